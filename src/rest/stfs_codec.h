// The original simple_tensorflow_serving wire formats (original-stfs.md 3):
// the POST / JSON request and its response, the model detail objects of
// GET /v1/models, gen_json and gen_client.
#pragma once

#include <optional>
#include <string>

#include "api/api.h"
#include "tensor/tensor_json.h"

namespace stfs::rest {

// The request fields other than "data".
struct StfsRequestHeader {
  std::string model_name = "default";
  std::optional<int64_t> model_version;
  std::string signature_name;
  bool base64_decode = false;
  bool run_profile = false;
};

// Reads model_name / model_version (int or numeric string) / signature_name /
// base64_decode / run_profile (booleans or "true"/"false" strings).
// "preprocess" / "postprocess" are rejected: Python functions cannot run here.
Status ReadStfsRequestHeader(simdjson::dom::element root, StfsRequestHeader* header);

// Converts "data" ({alias: value}) into tensors typed by `sig`; keys that are
// not inputs of the signature are ignored (as the original did). With
// base64_decode, string inputs fed to "input_example_tensor:0" are base64-decoded.
Status ParseStfsData(simdjson::dom::element root, const JsonReadOptions& options,
                     const SignatureInfo& sig, bool base64_decode, NamedTensors* inputs);

// {alias: value, ...} for every output.
Status WriteStfsResponse(const NamedTensors& outputs, std::string* out);

// One model of GET /v1/models: {"model_name", "model_base_path",
// "model_version_list", "model_signature", "platform"}; `metadata` is the
// latest available version's (null if none is available).
void WriteStfsModelDetail(const ModelInfo& info, const ModelMetadata* metadata, std::string* out);

}  // namespace stfs::rest
