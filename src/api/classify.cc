// Classify and Regress over serialized tf.Examples, following TF Serving's
// classifier.cc / regressor.cc with the method-name check off (its default):
// the signature's shape decides, because TF2 exports label every signature
// "tensorflow/serving/predict".
#include "api/api.h"

namespace stfs::api {
namespace {

constexpr char kInputs[] = "inputs";
constexpr char kClasses[] = "classes";
constexpr char kScores[] = "scores";
constexpr char kOutputs[] = "outputs";

struct Prepared {
  ServableHandle handle;
  const SignatureInfo* sig = nullptr;
  std::string where;
  Tensor serialized;  // string [num_examples]
};

const TensorInfo* FindAlias(const std::vector<TensorInfo>& infos, std::string_view alias) {
  for (const TensorInfo& t : infos) {
    if (t.alias == alias) return &t;
  }
  return nullptr;
}

StatusOr<Prepared> Prepare(const ModelProvider& provider, const ModelSpec& spec,
                           const ExampleInput& input, std::string_view api) {
  Prepared p;
  ASSIGN_OR_RETURN(p.handle, provider.GetModel(spec.name, spec.version,
                                               spec.label ? std::optional<std::string_view>(*spec.label)
                                                          : std::nullopt));
  ASSIGN_OR_RETURN(p.sig, ResolveSignature(p.handle.model->metadata(), spec.signature_name));
  p.where = StrCat("model '", p.handle.name, "' version ", p.handle.version, " signature '",
                   p.sig->name, "'");
  if (p.sig->inputs.size() != 1 || p.sig->inputs[0].alias != kInputs) {
    return InvalidArgument(api, " needs a signature with exactly one input named 'inputs' ",
                           "(serialized tf.Example strings); ", p.where, " has ",
                           p.sig->inputs.size(), " input(s)",
                           p.sig->inputs.empty() ? "" : StrCat(", first '", p.sig->inputs[0].alias, "'"));
  }
  // The declared dtype of 'inputs' is not checked: TF Serving feeds the
  // serialized Examples as strings whatever the SignatureDef says (some
  // exports declare DT_FLOAT for a string placeholder); the backend checks
  // the feed against the graph's placeholder dtype.
  if (input.examples.empty()) return InvalidArgument("Input is empty.");
  const int64_t n = static_cast<int64_t>(input.examples.size());
  ASSIGN_OR_RETURN(p.serialized, Tensor::Create(DType::kString, Shape{n}));
  auto flat = p.serialized.flat<std::string>();
  for (int64_t i = 0; i < n; ++i) {
    if (input.context.empty()) {
      flat[i] = input.examples[i];
    } else {
      // Parsing the concatenation merges the two messages (context first,
      // so example features win on duplicate keys).
      flat[i].reserve(input.context.size() + input.examples[i].size());
      flat[i] = input.context;
      flat[i] += input.examples[i];
    }
  }
  return p;
}

Status CheckBatch(const Tensor& t, const std::string& alias, int64_t n, const std::string& where) {
  if (t.rank() < 1 || t.dim(0) != n) {
    return InvalidArgument(where, ": output '", alias, "' has shape ", t.shape().ToString(),
                           "; expected batch size ", n, " (one row per example)");
  }
  return Status::OK();
}

}  // namespace

StatusOr<ClassifyResponse> Classify(const ModelProvider& provider, const ClassifyRequest& request) {
  ASSIGN_OR_RETURN(Prepared p, Prepare(provider, request.spec, request.input, "Classify"));
  const TensorInfo* classes_info = FindAlias(p.sig->outputs, kClasses);
  const TensorInfo* scores_info = FindAlias(p.sig->outputs, kScores);
  if (!classes_info && !scores_info) {
    return InvalidArgument("Classify: ", p.where, " has neither a 'classes' nor a 'scores' output");
  }
  std::vector<std::string> filter;
  if (classes_info) filter.push_back(kClasses);
  if (scores_info) filter.push_back(kScores);
  NamedTensors inputs = {{kInputs, p.serialized}};
  ASSIGN_OR_RETURN(NamedTensors outputs, p.handle.model->Predict(p.sig->name, inputs, filter));
  const Tensor* classes = nullptr;
  const Tensor* scores = nullptr;
  for (const auto& [alias, t] : outputs) {
    if (alias == kClasses) classes = &t;
    if (alias == kScores) scores = &t;
  }
  if ((classes_info && !classes) || (scores_info && !scores)) {
    return Internal("Classify: ", p.where, " did not return every requested output");
  }
  const int64_t n = static_cast<int64_t>(request.input.examples.size());
  int64_t num_classes = -1;
  if (classes) {
    if (classes->dtype() != DType::kString || classes->rank() != 2) {
      return InvalidArgument("Classify: ", p.where, " output 'classes' must be string [batch, ",
                             "num_classes], got ", classes->DTypeShapeString());
    }
    RETURN_IF_ERROR(CheckBatch(*classes, kClasses, n, p.where));
    num_classes = classes->dim(1);
  }
  if (scores) {
    if (scores->dtype() != DType::kFloat || scores->rank() != 2) {
      return InvalidArgument("Classify: ", p.where, " output 'scores' must be float [batch, ",
                             "num_classes], got ", scores->DTypeShapeString());
    }
    RETURN_IF_ERROR(CheckBatch(*scores, kScores, n, p.where));
    if (num_classes >= 0 && scores->dim(1) != num_classes) {
      return InvalidArgument("Classify: ", p.where, " outputs 'classes' ",
                             classes->shape().ToString(), " and 'scores' ",
                             scores->shape().ToString(), " disagree on the number of classes");
    }
    num_classes = scores->dim(1);
  }
  ClassifyResponse response;
  response.spec = {p.handle.name, p.handle.version, p.sig->name};
  response.classifications.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    auto& row = response.classifications[i];
    row.resize(num_classes);
    for (int64_t c = 0; c < num_classes; ++c) {
      if (classes) row[c].label = classes->flat<std::string>()[i * num_classes + c];
      if (scores) {
        row[c].score = scores->flat<float>()[i * num_classes + c];
        row[c].has_score = true;
      }
    }
  }
  return response;
}

StatusOr<RegressResponse> Regress(const ModelProvider& provider, const RegressRequest& request) {
  ASSIGN_OR_RETURN(Prepared p, Prepare(provider, request.spec, request.input, "Regress"));
  if (!FindAlias(p.sig->outputs, kOutputs)) {
    return InvalidArgument("Regress: ", p.where, " has no 'outputs' output");
  }
  NamedTensors inputs = {{kInputs, p.serialized}};
  ASSIGN_OR_RETURN(NamedTensors outputs, p.handle.model->Predict(p.sig->name, inputs, {kOutputs}));
  if (outputs.size() != 1) return Internal("Regress: ", p.where, " returned no 'outputs'");
  const Tensor& t = outputs[0].second;
  const int64_t n = static_cast<int64_t>(request.input.examples.size());
  if (t.dtype() != DType::kFloat) {
    return InvalidArgument("Regress: ", p.where, " output 'outputs' must be float, got ",
                           t.DTypeShapeString());
  }
  RETURN_IF_ERROR(CheckBatch(t, kOutputs, n, p.where));
  if (!(t.rank() == 1 || (t.rank() == 2 && t.dim(1) == 1))) {
    return InvalidArgument("Regress: ", p.where, " output 'outputs' must have shape [batch] or ",
                           "[batch, 1], got ", t.shape().ToString());
  }
  RegressResponse response;
  response.spec = {p.handle.name, p.handle.version, p.sig->name};
  response.values.assign(t.flat<float>().begin(), t.flat<float>().end());
  return response;
}

}  // namespace stfs::api
