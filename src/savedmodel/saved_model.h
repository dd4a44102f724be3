// Reading a SavedModel directory: saved_model.pb (or saved_model.pbtxt),
// selection of the MetaGraphDef by tag set, signatures as SignatureInfo,
// assets and the variables prefix. Also version-directory helpers.
//
// ReadSavedModel does not run anything; it validates what a loader must
// reject up front (a Const without `value`, tensor attrs with negative or
// absurd shapes, bad signature shapes/defaults) and returns clear errors
// naming the file, node, signature and alias. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "proto/meta_graph.pb.h"
#include "proto/saved_model.pb.h"
#include "tensor/signature.h"

namespace stfs {

// One AssetFileDef, resolved against the export dir.
struct AssetFile {
  std::string tensor_name;  // graph tensor to feed with `path` ("Const:0")
  std::string filename;     // as recorded ("foo.txt")
  std::string path;         // "<export_dir>/assets/<filename>"
};

struct LoadedSavedModel {
  std::string export_dir;
  std::string model_file;            // the saved_model.pb / .pbtxt that was read
  std::vector<std::string> tags;     // of the selected MetaGraph, as written
  std::vector<std::vector<std::string>> available_tag_sets;  // of every MetaGraph in the file
  // Immutable after loading; shared with whoever builds graphs from it.
  std::shared_ptr<const tensorflow::MetaGraphDef> meta_graph;
  // "<export_dir>/variables/variables", or empty if there is no
  // variables/variables.index (graph-only model: nothing to restore).
  std::string variables_prefix;
  std::vector<AssetFile> assets;
  // By signature name; includes "__saved_model_init_op" when present.
  std::map<std::string, SignatureInfo> signatures;
};

// Tag-set selection: the first MetaGraph whose tag SET equals `tags` (an
// empty set matches a MetaGraph without tags). The single-argument form uses
// {"serve"} and, if nothing matches but the file holds exactly one MetaGraph,
// uses that one. Errors list the available tag sets.
StatusOr<LoadedSavedModel> ReadSavedModel(const std::string& export_dir);
StatusOr<LoadedSavedModel> ReadSavedModel(const std::string& export_dir,
                                          const std::vector<std::string>& tags);

// Parses just the SavedModel proto (binary preferred, else text format).
// `model_file` receives the path read.
StatusOr<std::shared_ptr<tensorflow::SavedModel>> ReadSavedModelProto(const std::string& export_dir,
                                                                      std::string* model_file = nullptr);

// Converts one SignatureDef (inputs/outputs sorted by alias, _REF stripped
// into is_ref, defaults decoded).
StatusOr<SignatureInfo> SignatureFromProto(const std::string& name, const tensorflow::SignatureDef& def);

// Rejects graphs TensorFlow's loader rejects before running anything.
Status ValidateGraphDef(const tensorflow::GraphDef& graph);

// True if `dir` holds saved_model.pb, saved_model.pbtxt or saved_model.cpb.
bool IsSavedModelDir(const std::string& dir);

struct VersionDir {
  int64_t version;
  std::string name;  // directory name as on disk ("00000123")
};
// Children of `base_path` whose whole name is a non-negative decimal int64
// (zero padding allowed), sorted by version; other entries are ignored. If two
// names parse to the same version, the first in name order wins.
std::vector<VersionDir> ListVersionDirs(const std::string& base_path);
std::vector<int64_t> ListVersions(const std::string& base_path);
// The version-name rule above: true and *version set for "00000123".
bool ParseVersionName(const std::string& name, int64_t* version);

// "[serve, tpu]" for messages.
std::string TagSetString(const std::vector<std::string>& tags);

}  // namespace stfs
