#include <gtest/gtest.h>

#include "proto/example.pb.h"
#include "repo/testing/fake_model.h"
#include "rest/stfs_codec.h"
#include "rest/tfs_codec.h"

namespace stfs::rest {
namespace {

using stfs::testing::MakeHalfPlusTwoModel;

const SignatureInfo& Sig(const std::string& name) {
  static auto model = MakeHalfPlusTwoModel();
  return model->metadata().signatures.at(name);
}

struct Parsed {
  Status status;
  NamedTensors inputs;
  PredictFormat format = PredictFormat::kRow;
};

Parsed ParsePredict(std::string_view json, const SignatureInfo& sig) {
  Parsed p;
  JsonDocument doc;
  p.status = doc.Parse(json);
  if (p.status.ok()) p.status = ParsePredictBody(doc.root(), doc.read_options(), sig, &p.inputs, &p.format);
  return p;
}

TEST(PredictCodecTest, RowSingleInput) {
  Parsed p = ParsePredict(R"({"instances": [[2.0], [3.0], [4.0]]})", Sig("serving_default"));
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  EXPECT_EQ(p.format, PredictFormat::kRow);
  ASSERT_EQ(p.inputs.size(), 1u);
  EXPECT_EQ(p.inputs[0].first, "x");
  EXPECT_TRUE(TensorEquals(p.inputs[0].second, Tensor::FromVector<float>({2, 3, 4}, Shape{3, 1})));
}

TEST(PredictCodecTest, RowNamedInputs) {
  Parsed p = ParsePredict(
      R"({"instances": [{"a": [1, 2], "s": "x"}, {"s": {"b64": "eQ=="}, "a": [3, 4]}]})", Sig("multi"));
  ASSERT_TRUE(p.status.ok()) << p.status.ToString();
  ASSERT_EQ(p.inputs.size(), 2u);
  EXPECT_TRUE(TensorEquals(p.inputs[0].second, Tensor::FromVector<int32_t>({1, 2, 3, 4}, Shape{2, 2})));
  EXPECT_TRUE(TensorEquals(p.inputs[1].second, Tensor::FromVector<std::string>({"x", "y"})));
}

TEST(PredictCodecTest, ColumnarForms) {
  Parsed p = ParsePredict(R"({"inputs": [2.0, 3.0]})", Sig("serving_default"));
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.format, PredictFormat::kColumnar);
  EXPECT_EQ(p.inputs[0].second.shape(), Shape({2}));
  p = ParsePredict(R"({"inputs": {"a": [[1, 2]], "s": ["q"]}})", Sig("multi"));
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.inputs[0].second.shape(), Shape({1, 2}));
  p = ParsePredict(R"({"inputs": 5})", Sig("scalar"));
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.inputs[0].second.rank(), 0);
}

TEST(PredictCodecTest, Errors) {
  auto msg = [](std::string_view json, const SignatureInfo& sig) {
    return ParsePredict(json, sig).status.message();
  };
  EXPECT_NE(msg(R"({"signature_name": "x"})", Sig("serving_default")).find("Missing 'inputs' or 'instances' key"), std::string::npos);
  EXPECT_NE(msg(R"({"inputs": [1], "instances": [1]})", Sig("serving_default")).find("only one of"), std::string::npos);
  EXPECT_NE(msg(R"({"instances": []})", Sig("serving_default")).find("empty"), std::string::npos);
  EXPECT_NE(msg(R"({"instances": [[1, 2], [3, 4]]})", Sig("multi")).find("Expecting object but got list"), std::string::npos);
  EXPECT_NE(msg(R"({"instances": [{"a": [1, 2], "s": "x"}, {"a": [3, 4]}]})", Sig("multi")).find("keys"), std::string::npos);
  EXPECT_NE(msg(R"({"instances": ["x", "y"]})", Sig("serving_default")).find("not of expected type: float"), std::string::npos);
  EXPECT_NE(msg(R"({"inputs": {"zz": 1}})", Sig("serving_default")).find("input tensor alias not found in signature: zz"), std::string::npos);
  EXPECT_NE(msg(R"({"instances": [[1, 2], [3]]})", Sig("serving_default")).find("input 'x': ragged list at [1]: expected 2 elements, got 1"), std::string::npos);
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(R"({"signature_name": 100})").ok());
  std::string name;
  EXPECT_EQ(ReadSignatureName(doc.root(), &name).message(), "'signature_name' key must be a string value.");
}

TEST(PredictCodecTest, RowResponseMatchesTfServingExample) {
  // tfserving-api.md 2.4, from TF Serving's json_tensor tests.
  NamedTensors out = {
      {"double_scalar_tensor", Tensor::FromVector<double>({8.0, 9.0})},
      {"float_tensor", Tensor::FromVector<float>({1.0f, 2.0f}, Shape{2, 1})},
      {"int_tensor", Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Shape{2, 3, 2})},
      {"str_tensor", Tensor::FromVector<std::string>({"foo", "bar", "baz", "bat"}, Shape{2, 2})},
      {"str_tensor_bytes", Tensor::FromVector<std::string>({"hello", "world", "tf", "serving"}, Shape{2, 2})},
  };
  std::string json;
  ASSERT_TRUE(WritePredictResponse(out, PredictFormat::kRow, &json).ok());
  EXPECT_EQ(json,
            R"({"predictions": [{"double_scalar_tensor": 8.0, "float_tensor": [1.0], )"
            R"("int_tensor": [[1, 2], [3, 4], [5, 6]], "str_tensor": ["foo", "bar"], )"
            R"("str_tensor_bytes": [{"b64": "aGVsbG8="}, {"b64": "d29ybGQ="}]}, )"
            R"({"double_scalar_tensor": 9.0, "float_tensor": [2.0], )"
            R"("int_tensor": [[7, 8], [9, 10], [11, 12]], "str_tensor": ["baz", "bat"], )"
            R"("str_tensor_bytes": [{"b64": "dGY="}, {"b64": "c2VydmluZw=="}]}]})");
}

TEST(PredictCodecTest, ResponseShapesAndErrors) {
  std::string json;
  NamedTensors one = {{"y", Tensor::FromVector<float>({3.0f, 3.5f, 4.0f})}};
  ASSERT_TRUE(WritePredictResponse(one, PredictFormat::kRow, &json).ok());
  EXPECT_EQ(json, R"({"predictions": [3.0, 3.5, 4.0]})");
  json.clear();
  ASSERT_TRUE(WritePredictResponse(one, PredictFormat::kColumnar, &json).ok());
  EXPECT_EQ(json, R"({"outputs": [3.0, 3.5, 4.0]})");
  json.clear();
  NamedTensors two = {{"a", Tensor::FromVector<int64_t>({1, 2})}, {"b", Tensor::Scalar<float>(0.5f)}};
  ASSERT_TRUE(WritePredictResponse(two, PredictFormat::kColumnar, &json).ok());
  EXPECT_EQ(json, R"({"outputs": {"a": [1, 2], "b": 0.5}})");
  json.clear();
  EXPECT_NE(WritePredictResponse(two, PredictFormat::kRow, &json).message().find("has no shape information"),
            std::string::npos);
  NamedTensors uneven = {{"a", Tensor::FromVector<int64_t>({1, 2})}, {"b", Tensor::FromVector<int64_t>({1})}};
  EXPECT_NE(WritePredictResponse(uneven, PredictFormat::kRow, &json).message().find("inconsistent batch size"),
            std::string::npos);
  json.clear();
  NamedTensors empty = {{"y", Tensor(DType::kFloat, Shape{0, 1})}};
  ASSERT_TRUE(WritePredictResponse(empty, PredictFormat::kRow, &json).ok());
  EXPECT_EQ(json, R"({"predictions": []})");
}

TEST(ExamplesCodecTest, JsonToExamples) {
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(R"({"context": {"c": true},
      "examples": [{"x": 2.0, "n": 3, "s": "ab", "b": {"b64": "aGVsbG8="}, "l": [1, 2], "f": [1, 2.5]}]})")
                  .ok());
  api::ExampleInput input;
  ASSERT_TRUE(ParseExamplesBody(doc.root(), &input).ok());
  ASSERT_EQ(input.examples.size(), 1u);
  tensorflow::Example ex, ctx;
  ASSERT_TRUE(ex.ParseFromString(input.examples[0]));
  ASSERT_TRUE(ctx.ParseFromString(input.context));
  const auto& f = ex.features().feature();
  EXPECT_EQ(f.at("x").float_list().value(0), 2.0f);
  EXPECT_EQ(f.at("n").int64_list().value(0), 3);
  EXPECT_EQ(f.at("s").bytes_list().value(0), "ab");
  EXPECT_EQ(f.at("b").bytes_list().value(0), "hello");
  EXPECT_EQ(f.at("l").int64_list().value_size(), 2);
  ASSERT_EQ(f.at("f").float_list().value_size(), 2);  // ints promoted next to a float
  EXPECT_EQ(f.at("f").float_list().value(0), 1.0f);
  EXPECT_EQ(ctx.features().feature().at("c").int64_list().value(0), 1);
}

TEST(ExamplesCodecTest, Errors) {
  auto msg = [](std::string_view json) {
    JsonDocument doc;
    EXPECT_TRUE(doc.Parse(json).ok());
    api::ExampleInput input;
    return ParseExamplesBody(doc.root(), &input).message();
  };
  EXPECT_NE(msg(R"({"examples": [1]})").find("Example must be JSON object"), std::string::npos);
  EXPECT_NE(msg(R"({"examples": [{"x": 18446744073709551615}]})").find("Only int64_t is supported"), std::string::npos);
  EXPECT_NE(msg(R"({"examples": [{"x": [[1]]}]})").find("nested lists"), std::string::npos);
  EXPECT_NE(msg(R"({"examples": [{"x": null}]})").find("null"), std::string::npos);
  EXPECT_NE(msg(R"({"examples": [{"x": [1, "a"]}]})").find("all be numbers"), std::string::npos);
  EXPECT_NE(msg(R"({"examples": []})").find("empty"), std::string::npos);
  EXPECT_NE(msg(R"({"instances": []})").find("Missing 'examples' key"), std::string::npos);
}

TEST(ResultsCodecTest, ClassifyAndRegress) {
  api::ClassifyResponse c;
  c.classifications = {{{"", 3.0f, true}}};
  std::string json;
  WriteClassifyResponse(c, &json);
  EXPECT_EQ(json, R"({"results": [[["", 3.0]]]})");
  api::RegressResponse r;
  r.values = {42.0f, 2.5f};
  json.clear();
  WriteRegressResponse(r, &json);
  EXPECT_EQ(json, R"({"results": [42.0, 2.5]})");
}

TEST(StatusCodecTest, TfServingForm) {
  std::string json;
  WriteModelStatus({{123, "/m/123", ModelVersionState::kAvailable, Status::OK(), 0}}, &json);
  EXPECT_EQ(json, R"({"model_version_status": [{"version": "123", "state": "AVAILABLE", )"
                  R"("status": {"error_code": "OK", "error_message": ""}}]})");
  json.clear();
  WriteModelStatus({{1, "/m/1", ModelVersionState::kAvailable, Status::OK(), 0},
                    {2, "/m/2", ModelVersionState::kEnd, InvalidArgument("bad \"graph\""), 0}},
                   &json);
  EXPECT_EQ(json, R"({"model_version_status": [{"version": "2", "state": "END", "status": )"
                  R"({"error_code": "INVALID_ARGUMENT", "error_message": "bad \"graph\""}}, )"
                  R"({"version": "1", "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}]})");
}

TEST(MetadataCodecTest, TfServingForm) {
  api::MetadataResponse m;
  m.spec = {"default", 123, ""};
  m.model = MakeHalfPlusTwoModel();
  std::string json;
  WriteModelMetadata(m, &json);
  EXPECT_EQ(json.rfind(R"({"model_spec": {"name": "default", "signature_name": "", "version": "123"}, )"
                       R"("metadata": {"signature_def": {"signature_def": {)", 0), 0u) << json;
  EXPECT_NE(json.find(R"("serving_default": {"inputs": {"x": {"dtype": "DT_FLOAT", "tensor_shape": )"
                      R"({"dim": [{"size": "-1", "name": ""}, {"size": "1", "name": ""}], "unknown_rank": false}, )"
                      R"("name": "x:0"}}, "outputs": {"y": {"dtype": "DT_FLOAT", "tensor_shape": )"
                      R"({"dim": [{"size": "-1", "name": ""}, {"size": "1", "name": ""}], "unknown_rank": false}, )"
                      R"("name": "y:0"}}, "method_name": "tensorflow/serving/predict", "defaults": {}})"),
            std::string::npos) << json;
}

TEST(StfsCodecTest, RequestHeader) {
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(R"({"model_version": "00000123", "base64_decode": "true", "data": {}})").ok());
  StfsRequestHeader h;
  ASSERT_TRUE(ReadStfsRequestHeader(doc.root(), &h).ok());
  EXPECT_EQ(h.model_name, "default");
  EXPECT_EQ(*h.model_version, 123);
  EXPECT_TRUE(h.base64_decode);
  ASSERT_TRUE(doc.Parse(R"({"model_version": "x1", "data": {}})").ok());
  EXPECT_FALSE(ReadStfsRequestHeader(doc.root(), &h).ok());
  ASSERT_TRUE(doc.Parse(R"({"preprocess": true, "data": {}})").ok());
  EXPECT_NE(ReadStfsRequestHeader(doc.root(), &h).message().find("not supported"), std::string::npos);
}

}  // namespace
}  // namespace stfs::rest
