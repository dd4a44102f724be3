#include "repo/testing/fake_model.h"

#include <algorithm>

#include "proto/example.pb.h"

namespace stfs::testing {

TensorInfo MakeInfo(std::string alias, std::string tensor_name, DType dtype,
                    std::vector<int64_t> dims) {
  TensorInfo info;
  info.alias = std::move(alias);
  info.tensor_name = std::move(tensor_name);
  info.dtype = dtype;
  info.shape = PartialShape(std::move(dims));
  return info;
}

StatusOr<NamedTensors> FakeModel::Predict(const std::string& signature_name,
                                          const NamedTensors& inputs,
                                          const std::vector<std::string>& output_filter) {
  ++calls_;
  auto sig = metadata_.signatures.find(signature_name);
  if (sig == metadata_.signatures.end()) return NotFound("no signature ", signature_name);
  for (const TensorInfo& in : sig->second.inputs) {
    auto it = std::find_if(inputs.begin(), inputs.end(), [&](auto& p) { return p.first == in.alias; });
    if (it == inputs.end()) return InvalidArgument("fake: missing input ", in.alias);
    if (it->second.dtype() != in.dtype) {
      return InvalidArgument("fake: input ", in.alias, " has dtype ", DTypeName(it->second.dtype()));
    }
  }
  ASSIGN_OR_RETURN(NamedTensors all, fn_(signature_name, inputs));
  if (output_filter.empty()) return all;
  NamedTensors out;
  for (const std::string& name : output_filter) {
    for (auto& p : all) {
      if (p.first == name) out.push_back(p);
    }
  }
  return out;
}

namespace {

const Tensor& Input(const NamedTensors& inputs, const std::string& name) {
  for (auto& p : inputs) {
    if (p.first == name) return p.second;
  }
  static const Tensor kEmpty;
  return kEmpty;
}

// Reads float feature "x" from each serialized (context + example) string.
StatusOr<std::vector<float>> ExampleXs(const Tensor& serialized) {
  std::vector<float> xs;
  for (const std::string& bytes : serialized.flat<std::string>()) {
    tensorflow::Example ex;
    if (!ex.ParseFromString(bytes)) return InvalidArgument("fake: bad tf.Example");
    auto it = ex.features().feature().find("x");
    if (it == ex.features().feature().end() || it->second.float_list().value_size() != 1) {
      return InvalidArgument("fake: example has no float feature x");
    }
    xs.push_back(it->second.float_list().value(0));
  }
  return xs;
}

}  // namespace

std::shared_ptr<FakeModel> MakeHalfPlusTwoModel(float b) {
  ModelMetadata md;
  md.tags = {"serve"};
  auto add = [&](std::string name, std::string method, std::vector<TensorInfo> in,
                 std::vector<TensorInfo> out) {
    SignatureInfo s;
    s.name = name;
    s.method_name = "tensorflow/serving/" + method;
    s.inputs = std::move(in);
    s.outputs = std::move(out);
    md.signatures[name] = std::move(s);
  };
  add("serving_default", "predict", {MakeInfo("x", "x:0", DType::kFloat, {-1, 1})},
      {MakeInfo("y", "y:0", DType::kFloat, {-1, 1})});
  add("classify_x_to_y", "classify", {MakeInfo("inputs", "tf_example:0", DType::kString, {-1})},
      {MakeInfo("scores", "y:0", DType::kFloat, {-1, 1})});
  add("regress_x_to_y", "regress", {MakeInfo("inputs", "tf_example:0", DType::kString, {-1})},
      {MakeInfo("outputs", "y:0", DType::kFloat, {-1, 1})});
  add("classify_classes", "classify", {MakeInfo("inputs", "tf_example:0", DType::kString, {-1})},
      {MakeInfo("classes", "classes:0", DType::kString, {-1, 2}),
       MakeInfo("scores", "scores:0", DType::kFloat, {-1, 2})});
  add("multi", "predict",
      {MakeInfo("a", "a:0", DType::kInt32, {-1, 2}), MakeInfo("s", "s:0", DType::kString, {-1})},
      {MakeInfo("a2", "a2:0", DType::kInt32, {-1, 2}), MakeInfo("n", "n:0", DType::kFloat, {-1}),
       MakeInfo("s_bytes", "s_bytes:0", DType::kString, {-1})});
  add("scalar", "predict", {MakeInfo("x", "sx:0", DType::kFloat, {})},
      {MakeInfo("y", "sy:0", DType::kFloat, {})});

  auto fn = [b](const std::string& sig, const NamedTensors& in) -> StatusOr<NamedTensors> {
    auto half_plus_b = [b](const Tensor& x) {
      Tensor y = x.DeepCopy();
      for (float& v : y.flat<float>()) v = 0.5f * v + b;
      return y;
    };
    if (sig == "serving_default" || sig == "scalar") {
      return NamedTensors{{"y", half_plus_b(Input(in, "x"))}};
    }
    if (sig == "classify_x_to_y" || sig == "regress_x_to_y" || sig == "classify_classes") {
      ASSIGN_OR_RETURN(std::vector<float> xs, ExampleXs(Input(in, "inputs")));
      const int64_t n = static_cast<int64_t>(xs.size());
      if (sig == "classify_classes") {
        Tensor classes(DType::kString, Shape{n, 2});
        Tensor scores(DType::kFloat, Shape{n, 2});
        for (int64_t i = 0; i < n; ++i) {
          const float y = 0.5f * xs[i] + b;
          classes.flat<std::string>()[2 * i] = "neg";
          classes.flat<std::string>()[2 * i + 1] = "pos";
          scores.flat<float>()[2 * i] = 1 - y / 10;
          scores.flat<float>()[2 * i + 1] = y / 10;
        }
        return NamedTensors{{"classes", classes}, {"scores", scores}};
      }
      Tensor y(DType::kFloat, Shape{n, 1});
      for (int64_t i = 0; i < n; ++i) y.flat<float>()[i] = 0.5f * xs[i] + b;
      return NamedTensors{{sig == "regress_x_to_y" ? "outputs" : "scores", y}};
    }
    if (sig == "multi") {
      const Tensor& a = Input(in, "a");
      Tensor a2 = a.DeepCopy();
      for (int32_t& v : a2.flat<int32_t>()) v *= 2;
      const int64_t rows = a.rank() >= 1 ? a.dim(0) : 0;
      Tensor n(DType::kFloat, Shape{rows});
      const int64_t cols = rows ? a.NumElements() / rows : 0;
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < cols; ++c) n.flat<float>()[r] += a.flat<int32_t>()[r * cols + c];
      }
      return NamedTensors{{"a2", a2}, {"n", n}, {"s_bytes", Input(in, "s").DeepCopy()}};
    }
    return NotFound("fake: no signature ", sig);
  };
  return std::make_shared<FakeModel>(std::move(md), std::move(fn));
}

void FakeProvider::Add(const std::string& name, int64_t version, std::shared_ptr<Model> model) {
  ModelInfo& info = infos_[name];
  info.name = name;
  info.base_path = "/fake/" + name;
  info.platform = "tensorflow";
  info.versions.push_back({version, info.base_path + "/" + std::to_string(version),
                           ModelVersionState::kAvailable, Status::OK(), 0.25});
  std::sort(info.versions.begin(), info.versions.end(),
            [](auto& a, auto& b) { return a.version < b.version; });
  models_[{name, version}] = std::move(model);
}

void FakeProvider::AddFailed(const std::string& name, int64_t version, Status error) {
  ModelInfo& info = infos_[name];
  info.name = name;
  info.base_path = "/fake/" + name;
  info.platform = "tensorflow";
  info.versions.push_back({version, info.base_path + "/" + std::to_string(version),
                           ModelVersionState::kEnd, std::move(error), 0.5});
}

void FakeProvider::AddLabel(const std::string& name, const std::string& label, int64_t version) {
  infos_[name].labels[label] = version;
}

StatusOr<ServableHandle> FakeProvider::GetModel(std::string_view name,
                                                std::optional<int64_t> version,
                                                std::optional<std::string_view> label) const {
  auto it = infos_.find(name);
  if (it == infos_.end()) {
    if (version) return NotFound("Servable not found for request: Specific(", name, ", ", *version, ")");
    return NotFound("Servable not found for request: Latest(", name, ")");
  }
  if (label) {
    auto l = it->second.labels.find(std::string(*label));
    if (l == it->second.labels.end()) return InvalidArgument("Unrecognized servable version label: ", *label);
    version = l->second;
  }
  if (!version) {
    for (auto v = it->second.versions.rbegin(); v != it->second.versions.rend(); ++v) {
      if (v->state == ModelVersionState::kAvailable) {
        version = v->version;
        break;
      }
    }
    if (!version) return NotFound("Servable not found for request: Latest(", name, ")");
  }
  auto m = models_.find({std::string(name), *version});
  if (m == models_.end()) return NotFound("Servable not found for request: Specific(", name, ", ", *version, ")");
  return ServableHandle{std::string(name), *version, m->second};
}

std::vector<ModelInfo> FakeProvider::ListModels() const {
  std::vector<ModelInfo> out;
  for (const auto& [name, info] : infos_) out.push_back(info);
  return out;
}

StatusOr<ModelInfo> FakeProvider::GetModelInfo(std::string_view name) const {
  auto it = infos_.find(name);
  if (it == infos_.end()) return NotFound("Could not find any versions of model ", name);
  return it->second;
}

}  // namespace stfs::testing
