// `inspect`: a saved_model_cli-style description of a SavedModel.
//
// For each version (dir may be a base path with numeric version
// subdirectories, or a version/export dir itself): the model file, the tag
// sets in it, each signature (method, inputs/outputs with alias, tensor name,
// dtype and shape, defaults), the op types reachable from the serving
// signatures' outputs (init/restore ops excluded), assets, and the variables
// in the checkpoint (key, dtype, shape, bytes). Thread-safe.
#pragma once

#include <string>

#include "base/status.h"

namespace stfs {

// `tag_set` is comma separated ("serve", "serve,tpu"; "" = the empty tag set).
// With the default "serve", a file holding exactly one MetaGraph with other
// tags is still shown. Human-readable text, or JSON when `json`.
StatusOr<std::string> InspectSavedModel(const std::string& dir, const std::string& tag_set = "serve",
                                        bool json = false);

// Command-line entry used by the server binary:
//   [prog] [inspect] DIR [--tag_set serve] [--json]
// Prints to stdout; errors and usage go to stderr. Returns the exit code
// (0 ok, 1 the model could not be inspected, 2 bad usage).
int RunInspectCommand(int argc, char** argv);

}  // namespace stfs
