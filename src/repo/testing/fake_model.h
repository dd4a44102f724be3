// Test doubles for the Model interface (backend/model.h), used by the repo,
// api and rest tests. Not linked into the server.
//
// MakeHalfPlusTwoModel(b) mirrors TF Serving's saved_model_half_plus_two
// (y = 0.5 * x + b) with the same signature names and shapes:
//   serving_default   x float[-1,1]          -> y float[-1,1]
//   classify_x_to_y   inputs string[-1]      -> scores float[-1,1]   (tf.Example "x")
//   regress_x_to_y    inputs string[-1]      -> outputs float[-1,1]  (tf.Example "x")
//   classify_classes  inputs string[-1]      -> classes string[-1,2] ("neg","pos"),
//                                               scores float[-1,2] (1 - y/10, y/10)
//   multi             a int32[-1,2], s string[-1] -> a2 int32[-1,2] (2a), s_bytes string[-1] (s),
//                                               n float[-1] (row sum of a)
//   scalar            x float[]              -> y float[] (0.5 x + b)
// Predict checks aliases and dtypes like a backend and counts calls.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>

#include "backend/model.h"
#include "repo/model_provider.h"

namespace stfs::testing {

class FakeModel : public Model {
 public:
  using PredictFn = std::function<StatusOr<NamedTensors>(
      const std::string& signature, const NamedTensors& inputs)>;
  FakeModel(ModelMetadata metadata, PredictFn fn)
      : metadata_(std::move(metadata)), fn_(std::move(fn)) {}

  const ModelMetadata& metadata() const override { return metadata_; }
  StatusOr<NamedTensors> Predict(const std::string& signature_name, const NamedTensors& inputs,
                                 const std::vector<std::string>& output_filter) override;
  int predict_calls() const { return calls_.load(); }

 private:
  ModelMetadata metadata_;
  PredictFn fn_;
  std::atomic<int> calls_{0};
};

std::shared_ptr<FakeModel> MakeHalfPlusTwoModel(float b = 2.0f);

// TensorInfo helper: MakeInfo("x", "x:0", DType::kFloat, {-1, 1}).
TensorInfo MakeInfo(std::string alias, std::string tensor_name, DType dtype,
                    std::vector<int64_t> dims);

// An in-memory ModelProvider. Not thread-safe for Add*; lookups are const.
class FakeProvider : public ModelProvider {
 public:
  void Add(const std::string& name, int64_t version, std::shared_ptr<Model> model);
  void AddFailed(const std::string& name, int64_t version, Status error);
  void AddLabel(const std::string& name, const std::string& label, int64_t version);

  StatusOr<ServableHandle> GetModel(std::string_view name, std::optional<int64_t> version,
                                    std::optional<std::string_view> label) const override;
  std::vector<ModelInfo> ListModels() const override;
  StatusOr<ModelInfo> GetModelInfo(std::string_view name) const override;

 private:
  std::map<std::string, ModelInfo, std::less<>> infos_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<Model>> models_;
};

}  // namespace stfs::testing
