// TF Serving's REST JSON formats (tfserving-api.md 2.3 - 2.8): predict
// requests in row ("instances") and columnar ("inputs") form, classify /
// regress "examples", and the predict / classify / regress / status /
// metadata responses. Pure functions over parsed JSON and api structs.
#pragma once

#include <string>
#include <vector>

#include "api/api.h"
#include "tensor/signature.h"
#include "tensor/tensor_json.h"

namespace stfs::rest {

enum class PredictFormat { kRow, kColumnar };

// The root of a request must be an object. Reads its optional
// "signature_name" ("'signature_name' key must be a string value.").
Status ReadSignatureName(simdjson::dom::element root, std::string* name);

// Converts "instances" or "inputs" into tensors typed by `sig`.
Status ParsePredictBody(simdjson::dom::element root, const JsonReadOptions& options,
                        const SignatureInfo& sig, NamedTensors* inputs, PredictFormat* format);

// {"predictions": ...} (row) or {"outputs": ...} (columnar). Row form needs
// every output to have the same dim 0 ("inconsistent batch size").
Status WritePredictResponse(const NamedTensors& outputs, PredictFormat format, std::string* out);

// "examples" (required, non-empty list of objects) and "context" (optional
// object) as serialized tf.Examples.
Status ParseExamplesBody(simdjson::dom::element root, api::ExampleInput* input);

void WriteClassifyResponse(const api::ClassifyResponse& response, std::string* out);
void WriteRegressResponse(const api::RegressResponse& response, std::string* out);

// {"model_version_status": [...]} (versions, largest first, as TF Serving).
void WriteModelStatus(const std::vector<ModelVersionStatus>& versions, std::string* out);
// {"model_spec": ..., "metadata": {"signature_def": {"signature_def": {...}}}}
void WriteModelMetadata(const api::MetadataResponse& response, std::string* out);

// True for aliases whose string outputs TF Serving always writes as b64.
bool IsBytesAlias(std::string_view alias);

}  // namespace stfs::rest
