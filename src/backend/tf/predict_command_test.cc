#include "backend/tf/predict_command.h"

#include <gtest/gtest.h>

namespace stfs {
namespace {

TEST(PredictCommandTest, JsonToTensor) {
  auto t = ParseJsonTensor("[[1.5], [2], [-3]]", DType::kFloat);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<float>({1.5f, 2, -3}, Shape{3, 1})));
  auto s = ParseJsonTensor(R"(["ab", {"b64": "AAE="}])", DType::kString);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->data<std::string>()[0], "ab");
  EXPECT_EQ(s->data<std::string>()[1], std::string("\x00\x01", 2));
  auto scalar = ParseJsonTensor("7", DType::kInt64);
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(scalar->rank(), 0);
  EXPECT_EQ(scalar->scalar<int64_t>(), 7);
}

TEST(PredictCommandTest, JsonErrors) {
  EXPECT_FALSE(ParseJsonTensor("[[1], [2, 3]]", DType::kFloat).ok());  // ragged
  EXPECT_FALSE(ParseJsonTensor("[1.5]", DType::kInt32).ok());          // not an integer
  EXPECT_FALSE(ParseJsonTensor("[1", DType::kInt32).ok());             // bad JSON
  EXPECT_FALSE(ParseJsonTensor("[true]", DType::kFloat).ok());
}

TEST(PredictCommandTest, TensorToJson) {
  EXPECT_EQ(TensorToJson(Tensor::FromVector<int32_t>({1, 2, 3, 4}, Shape{2, 2})),
            R"({"dtype":"int32","shape":[2,2],"value":[[1,2],[3,4]]})");
  EXPECT_EQ(TensorToJson(Tensor::Scalar<std::string>(std::string("\xff", 1))),
            R"({"dtype":"string","shape":[],"value":{"b64":"/w=="}})");
}

TEST(PredictCommandTest, RunsHalfPlusTwoFromBasePath) {
  std::string dir = std::string(STFS_MODELS_DIR) + "/tfserving/saved_model_half_plus_two_cpu";
  std::vector<std::string> args = {"simple_tensorflow_serving", "predict", dir, "--signature_name", "serving_default", "--inputs", "x=[[1.0],[2.0]]"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStdout();
  int rc = RunPredictCommand(static_cast<int>(argv.size()), argv.data());
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, "{\"outputs\":{\"y\":{\"dtype\":\"float\",\"shape\":[2,1],\"value\":[[2.5],[3.0]]}}}\n");
}

TEST(PredictCommandTest, UsageErrors) {
  std::vector<std::string> args = {"simple_tensorflow_serving", "predict", "--bogus"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RunPredictCommand(static_cast<int>(argv.size()), argv.data()), 2);
  ::testing::internal::GetCapturedStderr();
}

}  // namespace
}  // namespace stfs
