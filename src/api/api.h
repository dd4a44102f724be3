// The transport-agnostic core API: what both HTTP front ends (TF Serving REST
// and the original simple_tensorflow_serving API) and a later gRPC front end
// call. Requests carry tensors and serialized tf.Examples, never JSON.
//
// Every function resolves the model through a ModelProvider, checks the
// request against the signature (aliases, dtypes, output filter) and runs the
// model. Errors are Status values with TF Serving's wording where clients
// match on it, and otherwise name model, signature, alias, dtype and shape.
//
// Thread safety: all functions are thread-safe (they only read the provider).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/model.h"
#include "base/status.h"
#include "repo/model_provider.h"
#include "tensor/signature.h"

namespace stfs::api {

inline constexpr char kDefaultSignature[] = "serving_default";

struct ModelSpec {
  std::string name;
  std::optional<int64_t> version;    // exclusive with label
  std::optional<std::string> label;
  // Empty: "serving_default" if the model has it, else "predict", else the
  // only signature (the original server's defect, every name mapping to the
  // default signature, is not reproduced).
  std::string signature_name;
};

// What a response reports about the servable that ran.
struct ResolvedSpec {
  std::string name;
  int64_t version = 0;
  std::string signature_name;
};

// ---------------------------------------------------------------- Predict

struct PredictRequest {
  ModelSpec spec;
  NamedTensors inputs;                     // by alias
  std::vector<std::string> output_filter;  // aliases; empty = all outputs
  // When set, run exactly this loaded version (already resolved by the
  // caller, e.g. to decode the inputs against its signature) instead of
  // looking `spec` up again: the handle keeps the version alive even if it
  // is being unloaded, so a hot swap never fails a request in flight.
  std::optional<ServableHandle> pinned;
};

struct PredictResponse {
  ResolvedSpec spec;
  NamedTensors outputs;  // by alias, in signature order (or filter order)
  std::shared_ptr<Model> model;  // keeps the signature metadata alive
  const SignatureInfo* signature = nullptr;  // the signature that ran
};

StatusOr<PredictResponse> Predict(const ModelProvider& provider, const PredictRequest& request);

// ---------------------------------------------------- Classify / Regress

// tf.Examples already serialized by the front end (JSON or gRPC). When
// `context` is non-empty it is prepended to every example (proto merge by
// concatenation, as TF Serving does for ExampleListWithContext).
struct ExampleInput {
  std::vector<std::string> examples;
  std::string context;
};

struct ClassifyRequest {
  ModelSpec spec;
  ExampleInput input;
};
struct ClassLabelScore {
  std::string label;  // "" when the signature has no `classes` output
  float score = 0;    // 0 when it has no `scores` output
  bool has_score = false;
};
struct ClassifyResponse {
  ResolvedSpec spec;
  std::vector<std::vector<ClassLabelScore>> classifications;  // per example
};
StatusOr<ClassifyResponse> Classify(const ModelProvider& provider, const ClassifyRequest& request);

struct RegressRequest {
  ModelSpec spec;
  ExampleInput input;
};
struct RegressResponse {
  ResolvedSpec spec;
  std::vector<float> values;  // per example
};
StatusOr<RegressResponse> Regress(const ModelProvider& provider, const RegressRequest& request);

// ---------------------------------------------------- Metadata / status

struct MetadataResponse {
  ResolvedSpec spec;  // signature_name stays empty, as in TF Serving
  std::shared_ptr<Model> model;
  const ModelMetadata& metadata() const { return model->metadata(); }
};
StatusOr<MetadataResponse> GetModelMetadata(const ModelProvider& provider, const ModelSpec& spec);

// All versions of the model (or the one named by version / label).
// NOT_FOUND "Could not find any versions of model M" /
// "Could not find version V of model M".
StatusOr<std::vector<ModelVersionStatus>> GetModelStatus(const ModelProvider& provider,
                                                         const ModelSpec& spec);

// ---------------------------------------------------- helpers

// Signature lookup with the defaulting rule of ModelSpec::signature_name.
// NOT_FOUND "Serving signature key "x" not found." (lists the available keys).
StatusOr<const SignatureInfo*> ResolveSignature(const ModelMetadata& metadata,
                                                const std::string& requested);

}  // namespace stfs::api
