#include "api/api.h"

#include <gtest/gtest.h>

#include "proto/example.pb.h"
#include "repo/testing/fake_model.h"

namespace stfs::api {
namespace {

// A provider with model "half" versions 1 (b = 2) and 2 (b = 3, latest),
// label "stable" -> 1, and model "broken" whose only version failed.
class FakeProvider : public ModelProvider {
 public:
  FakeProvider() : v1_(testing::MakeHalfPlusTwoModel(2)), v2_(testing::MakeHalfPlusTwoModel(3)) {}

  StatusOr<ServableHandle> GetModel(std::string_view name, std::optional<int64_t> version,
                                    std::optional<std::string_view> label) const override {
    if (name != "half") return NotFound("Servable not found for request: Latest(", name, ")");
    if (label) {
      if (*label != "stable") return InvalidArgument("Unrecognized servable version label: ", *label);
      version = 1;
    }
    int64_t v = version.value_or(2);
    if (v == 1) return ServableHandle{"half", 1, v1_};
    if (v == 2) return ServableHandle{"half", 2, v2_};
    return NotFound("Servable not found for request: Specific(half, ", v, ")");
  }
  std::vector<ModelInfo> ListModels() const override {
    return {*GetModelInfo("broken"), *GetModelInfo("half")};
  }
  StatusOr<ModelInfo> GetModelInfo(std::string_view name) const override {
    ModelInfo info;
    info.name = std::string(name);
    if (name == "half") {
      info.versions = {{1, "/m/1", ModelVersionState::kAvailable, Status::OK(), 0.1},
                       {2, "/m/2", ModelVersionState::kAvailable, Status::OK(), 0.1}};
      info.labels = {{"stable", 1}};
    } else if (name == "broken") {
      info.versions = {{5, "/b/5", ModelVersionState::kEnd, InvalidArgument("bad graph"), 0.1}};
    } else if (name == "empty") {
      info.error = NotFound("no numeric version directories");
    } else {
      return NotFound("Could not find any versions of model ", name);
    }
    return info;
  }

  std::shared_ptr<testing::FakeModel> v1_, v2_;
};

std::string ExampleWithX(float x) {
  tensorflow::Example ex;
  (*ex.mutable_features()->mutable_feature())["x"].mutable_float_list()->add_value(x);
  return ex.SerializeAsString();
}

PredictRequest XRequest(std::vector<float> xs) {
  PredictRequest r;
  r.spec.name = "half";
  r.inputs = {{"x", Tensor::FromVector<float>(xs, Shape{static_cast<int64_t>(xs.size()), 1})}};
  return r;
}

TEST(PredictTest, RunsDefaultSignatureOfLatestVersion) {
  FakeProvider p;
  auto r = Predict(p, XRequest({1, 2}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->spec.name, "half");
  EXPECT_EQ(r->spec.version, 2);
  EXPECT_EQ(r->spec.signature_name, "serving_default");
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].first, "y");
  // Version 2: y = 0.5 x + 3.
  EXPECT_TRUE(TensorEquals(r->outputs[0].second, Tensor::FromVector<float>({3.5f, 4}, Shape{2, 1})));
}

TEST(PredictTest, VersionAndLabel) {
  FakeProvider p;
  PredictRequest req = XRequest({2});
  req.spec.version = 1;
  auto r = Predict(p, req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->outputs[0].second.flat<float>()[0], 3.0f);  // 0.5 * 2 + 2
  req.spec.version.reset();
  req.spec.label = "stable";
  EXPECT_EQ(Predict(p, req)->spec.version, 1);
  req.spec.label = "nope";
  EXPECT_EQ(Predict(p, req).status().code(), Code::kInvalidArgument);
}

TEST(PredictTest, UnknownModelAndSignature) {
  FakeProvider p;
  PredictRequest req = XRequest({2});
  req.spec.name = "nope";
  EXPECT_EQ(Predict(p, req).status().message(), "Servable not found for request: Latest(nope)");
  req.spec.name = "half";
  req.spec.signature_name = "missing";
  auto r = Predict(p, req);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("Serving signature key \"missing\" not found."),
            std::string::npos);
}

TEST(PredictTest, ChecksAliasesAndDtypes) {
  FakeProvider p;
  PredictRequest req = XRequest({2});
  req.inputs[0].first = "z";
  auto r = Predict(p, req);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("input tensor alias not found in signature: z"),
            std::string::npos);

  req = XRequest({2});
  req.inputs[0].second = Tensor::FromVector<int32_t>({2}, Shape{1, 1});
  r = Predict(p, req);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("input 'x' expects dtype float with shape [?,1], got int32 with shape [1,1]"),
            std::string::npos) << r.status().message();

  req.inputs.clear();
  r = Predict(p, req);
  EXPECT_NE(r.status().message().find("missing input 'x'"), std::string::npos);

  req = XRequest({2});
  req.inputs.push_back(req.inputs[0]);
  EXPECT_NE(Predict(p, req).status().message().find("given twice"), std::string::npos);
  EXPECT_EQ(p.v2_->predict_calls(), 0);  // all rejected before the model ran
}

TEST(PredictTest, OutputFilter) {
  FakeProvider p;
  PredictRequest req;
  req.spec = {"half", std::nullopt, std::nullopt, "multi"};
  req.inputs = {{"a", Tensor::FromVector<int32_t>({1, 2}, Shape{1, 2})},
                {"s", Tensor::FromVector<std::string>({"q"})}};
  req.output_filter = {"n"};
  auto r = Predict(p, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->outputs.size(), 1u);
  EXPECT_EQ(r->outputs[0].first, "n");
  EXPECT_EQ(r->outputs[0].second.flat<float>()[0], 3.0f);  // 1 + 2
  req.output_filter = {"nope"};
  EXPECT_NE(Predict(p, req).status().message().find("output tensor alias not found in signature: nope"),
            std::string::npos);
  req.output_filter = {"n", "n"};
  EXPECT_NE(Predict(p, req).status().message().find("duplicate output tensor alias: n"),
            std::string::npos);
}

TEST(ClassifyTest, ScoresOnlyGiveEmptyLabels) {
  // TF Serving's published case: classify_x_to_y, x = 2.0 -> [["", 3.0]] (b = 2).
  FakeProvider p;
  ClassifyRequest req;
  req.spec = {"half", 1, std::nullopt, "classify_x_to_y"};
  req.input.examples = {ExampleWithX(2.0f)};
  auto r = Classify(p, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->classifications.size(), 1u);
  ASSERT_EQ(r->classifications[0].size(), 1u);
  EXPECT_EQ(r->classifications[0][0].label, "");
  EXPECT_EQ(r->classifications[0][0].score, 3.0f);
}

TEST(ClassifyTest, ClassesAndScores) {
  FakeProvider p;
  ClassifyRequest req;
  req.spec = {"half", 1, std::nullopt, "classify_classes"};
  req.input.examples = {ExampleWithX(4.0f), ExampleWithX(12.0f)};
  auto r = Classify(p, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->classifications.size(), 2u);
  // x = 4: y = 4, scores (1 - 0.4, 0.4); x = 12: y = 8, scores (0.2, 0.8).
  EXPECT_EQ(r->classifications[0][0].label, "neg");
  EXPECT_FLOAT_EQ(r->classifications[0][0].score, 0.6f);
  EXPECT_EQ(r->classifications[0][1].label, "pos");
  EXPECT_FLOAT_EQ(r->classifications[1][1].score, 0.8f);
}

TEST(ClassifyTest, ContextIsMergedAndExampleWins) {
  FakeProvider p;
  ClassifyRequest req;
  req.spec = {"half", 1, std::nullopt, "classify_x_to_y"};
  req.input.context = ExampleWithX(2.0f);
  req.input.examples = {tensorflow::Example().SerializeAsString(), ExampleWithX(6.0f)};
  auto r = Classify(p, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->classifications[0][0].score, 3.0f);  // context x = 2
  EXPECT_EQ(r->classifications[1][0].score, 5.0f);  // example x = 6
}

TEST(ClassifyTest, Errors) {
  FakeProvider p;
  ClassifyRequest req;
  req.spec = {"half", 1, std::nullopt, "classify_x_to_y"};
  EXPECT_EQ(Classify(p, req).status().message(), "Input is empty.");
  req.input.examples = {ExampleWithX(1)};
  req.spec.signature_name = "serving_default";  // input is 'x', not 'inputs'
  auto r = Classify(p, req);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("exactly one input named 'inputs'"), std::string::npos);
  req.spec.signature_name = "regress_x_to_y";  // no classes / scores
  EXPECT_NE(Classify(p, req).status().message().find("neither a 'classes' nor a 'scores'"),
            std::string::npos);
}

TEST(RegressTest, PublishedValue) {
  // TF Serving's REST test: regress_x_to_y, x = 80 -> 42 (b = 2).
  FakeProvider p;
  RegressRequest req;
  req.spec = {"half", 1, std::nullopt, "regress_x_to_y"};
  req.input.examples = {ExampleWithX(80.0f), ExampleWithX(1.0f)};
  auto r = Regress(p, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->values, (std::vector<float>{42.0f, 2.5f}));
  req.spec.signature_name = "classify_x_to_y";
  EXPECT_NE(Regress(p, req).status().message().find("no 'outputs' output"), std::string::npos);
}

// saved_model_half_plus_three's regress signature declares "inputs" as
// DT_FLOAT over a string placeholder; TF Serving feeds the serialized
// Examples as strings anyway, so Regress must not reject the signature.
class FloatDeclaredRegressModel : public Model {
 public:
  FloatDeclaredRegressModel() {
    SignatureInfo s;
    s.name = "tensorflow/serving/regress";
    s.method_name = "tensorflow/serving/regress";
    s.inputs = {testing::MakeInfo("inputs", "tf_example:0", DType::kFloat, {})};
    s.outputs = {testing::MakeInfo("outputs", "y:0", DType::kFloat, {-1})};
    md_.signatures[s.name] = s;
  }
  const ModelMetadata& metadata() const override { return md_; }
  StatusOr<NamedTensors> Predict(const std::string&, const NamedTensors& inputs,
                                 const std::vector<std::string>&) override {
    fed_dtype = inputs.at(0).second.dtype();
    const int64_t n = inputs.at(0).second.dim(0);
    return NamedTensors{{"outputs", Tensor::FromVector<float>(std::vector<float>(n, 7.0f), Shape{n})}};
  }
  ModelMetadata md_;
  DType fed_dtype = DType::kInvalid;
};

TEST(RegressTest, DeclaredInputDtypeIsNotChecked) {
  auto model = std::make_shared<FloatDeclaredRegressModel>();
  testing::FakeProvider p;
  p.Add("three", 123, model);
  RegressRequest req;
  req.spec = {"three", std::nullopt, std::nullopt, "tensorflow/serving/regress"};
  req.input.examples = {ExampleWithX(1.0f), ExampleWithX(2.0f)};
  auto r = Regress(p, req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(model->fed_dtype, DType::kString);
  EXPECT_EQ(r->values, (std::vector<float>{7.0f, 7.0f}));
}

TEST(MetadataTest, ReportsVersionAndSignatures) {
  FakeProvider p;
  auto m = GetModelMetadata(p, {"half", std::nullopt, std::nullopt, ""});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->spec.version, 2);
  EXPECT_EQ(m->metadata().signatures.count("serving_default"), 1u);
  EXPECT_EQ(GetModelMetadata(p, {"nope"}).status().code(), Code::kNotFound);
}

TEST(StatusTest, VersionsLabelsAndErrors) {
  FakeProvider p;
  auto all = GetModelStatus(p, {"half"});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  auto one = GetModelStatus(p, {"half", 2});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].version, 2);
  auto labelled = GetModelStatus(p, {"half", std::nullopt, "stable"});
  EXPECT_EQ((*labelled)[0].version, 1);
  EXPECT_EQ(GetModelStatus(p, {"half", 7}).status().message(), "Could not find version 7 of model half");
  EXPECT_EQ(GetModelStatus(p, {"nope"}).status().message(), "Could not find any versions of model nope");
  auto empty = GetModelStatus(p, {"empty"});
  EXPECT_NE(empty.status().message().find("Could not find any versions of model empty: no numeric"),
            std::string::npos);
  auto broken = GetModelStatus(p, {"broken"});
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ((*broken)[0].state, ModelVersionState::kEnd);
  EXPECT_EQ((*broken)[0].status.message(), "bad graph");
}

TEST(ResolveSignatureTest, DefaultingRules) {
  ModelMetadata md;
  md.signatures["predict"].name = "predict";
  md.signatures["other"].name = "other";
  EXPECT_EQ((*ResolveSignature(md, ""))->name, "predict");
  ModelMetadata only;
  only.signatures["mine"].name = "mine";
  only.signatures["__saved_model_init_op"].name = "__saved_model_init_op";
  EXPECT_EQ((*ResolveSignature(only, ""))->name, "mine");
  ModelMetadata two;
  two.signatures["a"].name = "a";
  two.signatures["b"].name = "b";
  EXPECT_EQ(ResolveSignature(two, "").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace stfs::api
