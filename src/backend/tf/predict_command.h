// `simple_tensorflow_serving predict DIR --signature_name S --inputs 'alias=JSON|@file'
//    [--inputs ...] [--tag_set serve] [--output_filter a,b]`
// Loads the SavedModel at DIR (or the largest numeric version under it), runs
// one signature like `saved_model_cli run`, and prints the outputs as JSON:
//   {"outputs": {"y": {"dtype": "float", "shape": [2, 1], "value": [[2.5], [3.0]]}}}
// JSON inputs are nested lists of numbers / bools / strings; strings are
// UTF-8 bytes, {"b64": "..."} gives raw bytes. Returns the process exit code
// (0 ok, 1 error, 2 usage); errors go to stderr.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "tensor/tensor.h"

namespace stfs {

// argv is main's: argv[0] the program, then optionally "predict", then the arguments.
int RunPredictCommand(int argc, char** argv);

// JSON text -> Tensor of `dtype` (exposed for tests).
StatusOr<Tensor> ParseJsonTensor(const std::string& json, DType dtype);
// Tensor -> {"dtype": ..., "shape": [...], "value": ...} JSON text.
std::string TensorToJson(const Tensor& t);

}  // namespace stfs
