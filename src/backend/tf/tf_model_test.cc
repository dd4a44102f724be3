// End-to-end TfModel tests on real SavedModels; expected values come from
// /work/shared/models/cases.json (or the model's definition where noted).
#include "backend/tf/tf_model.h"

#include <gtest/gtest.h>

#include <thread>

namespace stfs {
namespace {

std::string ModelDir(const std::string& rel) { return std::string(STFS_MODELS_DIR) + "/" + rel; }

std::unique_ptr<TfModel> MustLoad(const std::string& rel, TfLoadOptions options = {}) {
  auto m = TfModel::Load(ModelDir(rel), options);
  EXPECT_TRUE(m.ok()) << rel << ": " << m.status().ToString();
  return m.ok() ? std::move(*m) : nullptr;
}

void ExpectFloats(const Tensor& t, const std::vector<float>& want, Shape shape, float atol) {
  ASSERT_EQ(t.dtype(), DType::kFloat);
  ASSERT_EQ(t.shape(), shape);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(t.data<float>()[i], want[i], atol) << "element " << i;
}

TEST(TfModelTest, BenchmarkSimplestModelIdentity) {
  auto model = MustLoad("stfs/benchmark_simplest_model/1");
  ASSERT_TRUE(model);
  Tensor keys = Tensor::FromVector<int32_t>({1, -2, 2147483647}, Shape{3, 1});
  auto out = model->Predict("serving_default", {{"keys", keys}}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ(out->at(0).first, "keys");
  EXPECT_TRUE(TensorEquals(out->at(0).second, keys));
}

TEST(TfModelTest, CounterSequenceFromCasesJson) {
  auto model = MustLoad("tfserving/saved_model_counter/00000123");
  ASSERT_TRUE(model);
  auto run = [&](const std::string& sig, NamedTensors in = {}) -> float {
    auto out = model->Predict(sig, in, {});
    EXPECT_TRUE(out.ok()) << sig << ": " << out.status().ToString();
    return out.ok() ? out->at(0).second.scalar<float>() : -1000.0f;
  };
  EXPECT_EQ(run("get_counter"), 0.0f);
  EXPECT_EQ(run("reset_counter"), 0.0f);
  EXPECT_EQ(run("incr_counter"), 1.0f);
  EXPECT_EQ(run("incr_counter"), 2.0f);
  EXPECT_EQ(run("incr_counter_by", {{"delta", Tensor::Scalar<float>(3.5f)}}), 5.5f);
  EXPECT_EQ(run("get_counter"), 5.5f);
  EXPECT_EQ(run("reset_counter"), 0.0f);
  EXPECT_EQ(run("get_counter"), 0.0f);
  // A second load is a separate version with its own variable.
  auto other = MustLoad("tfserving/saved_model_counter/00000123");
  ASSERT_TRUE(other);
  EXPECT_EQ(run("incr_counter"), 1.0f);
  auto out = other->Predict("get_counter", {}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).second.scalar<float>(), 0.0f);
}

TEST(TfModelTest, MatrixHalfPlusTwo) {
  auto model = MustLoad("tfserving/matrix_half_plus_two/1");
  ASSERT_TRUE(model);
  std::vector<float> x = {-4.5, -3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5};
  std::vector<float> y = {-0.25, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75,
                          4.25, 4.75, 5.25, 5.75, 6.25, 6.75, 7.25, 7.75, 8.25};
  auto out = model->Predict("serving_default", {{"x", Tensor::FromVector<float>(x, Shape{2, 3, 3})}}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectFloats(out->at(0).second, y, Shape{2, 3, 3}, 1e-6f);
}

TEST(TfModelTest, HalfPlusTwoCpuRestoresSnappyCheckpoint) {
  auto model = MustLoad("tfserving/saved_model_half_plus_two_cpu/00000123");
  ASSERT_TRUE(model);
  auto out = model->Predict("serving_default", {{"x", Tensor::FromVector<float>({1, 2, 5, -3.5f}, Shape{4, 1})}}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectFloats(out->at(0).second, {2.5, 3.0, 4.5, 0.25}, Shape{4, 1}, 1e-6f);
  // TF Serving's published columnar example feeds shape [3] to the [?,1] signature.
  auto columnar = model->Predict("serving_default", {{"x", Tensor::FromVector<float>({2, 3, 4})}}, {});
  ASSERT_TRUE(columnar.ok()) << columnar.status().ToString();
  ExpectFloats(columnar->at(0).second, {3.0, 3.5, 4.0}, Shape{3}, 1e-6f);
  auto y3 = model->Predict("regress_x2_to_y3", {{"inputs", Tensor::FromVector<float>({1, 2, -6}, Shape{3, 1})}}, {});
  ASSERT_TRUE(y3.ok()) << y3.status().ToString();
  ExpectFloats(y3->at(0).second, {3.5, 4.0, 0.0}, Shape{3, 1}, 1e-6f);
}

TEST(TfModelTest, DistributedModelTwoOutputs) {
  auto model = MustLoad("stfs/distributed_tensorflow_model/1");
  ASSERT_TRUE(model);
  Tensor keys = Tensor::FromVector<int32_t>({7, 8, 9, 10}, Shape{4, 1});
  auto out = model->Predict("serving_default",
                            {{"features", Tensor::FromVector<float>({1.0, 2.0, -3.5, 0.0}, Shape{4, 1})}, {"keys", keys}},
                            {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ(out->at(0).first, "keys");
  EXPECT_TRUE(TensorEquals(out->at(0).second, keys));
  EXPECT_EQ(out->at(1).first, "prediction");
  ExpectFloats(out->at(1).second, {12.043603897094727f, 14.08845329284668f, 2.841782569885254f, 9.998754501342773f},
               Shape{4, 1}, 2e-5f);
  // output_filter runs only the named output.
  auto filtered = model->Predict("serving_default",
                                 {{"features", Tensor::FromVector<float>({1.0}, Shape{1, 1})}, {"keys", keys}},
                                 {"prediction"});
  ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
  ASSERT_EQ(filtered->size(), 1u);
  EXPECT_EQ(filtered->at(0).first, "prediction");
}

TEST(TfModelTest, RequestValidationErrors) {
  auto model = MustLoad("tfserving/saved_model_half_plus_two_cpu/00000123");
  ASSERT_TRUE(model);
  Tensor x = Tensor::FromVector<float>({1}, Shape{1, 1});
  auto bad_alias = model->Predict("serving_default", {{"z", x}}, {});
  ASSERT_FALSE(bad_alias.ok());
  EXPECT_EQ(bad_alias.status().message(),
            "input alias 'z' is not in signature 'serving_default'; valid inputs: x");
  auto missing = model->Predict("serving_default", {}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "missing input 'x' for signature 'serving_default'");
  auto wrong_type = model->Predict("serving_default", {{"x", Tensor::FromVector<int64_t>({1}, Shape{1, 1})}}, {});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.status().message(), "input 'x' of signature 'serving_default' expects float but got int64");
  auto bad_filter = model->Predict("serving_default", {{"x", x}}, {"nope"});
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_EQ(bad_filter.status().message(),
            "output alias 'nope' is not in signature 'serving_default'; valid outputs: y");
  auto bad_sig = model->Predict("nope", {{"x", x}}, {});
  ASSERT_FALSE(bad_sig.ok());
  EXPECT_EQ(bad_sig.status().code(), Code::kNotFound);
  EXPECT_NE(bad_sig.status().message().find("serving_default"), std::string::npos);
}

TEST(TfModelTest, StrictShapesOption) {
  TfLoadOptions options;
  options.strict_input_shapes = true;
  auto model = MustLoad("tfserving/saved_model_half_plus_two_cpu/00000123", options);
  ASSERT_TRUE(model);
  auto out = model->Predict("serving_default", {{"x", Tensor::FromVector<float>({2, 3, 4})}}, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "input 'x' of signature 'serving_default' expects shape [?,1] but got [3]");
}

TEST(TfModelTest, CustomOpModelFailsToLoadNamingTheOp) {
  auto m = TfModel::Load(ModelDir("stfs/custom_op_zero_out_model/1"), {});
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("no kernel for op 'ZeroOut'"), std::string::npos) << m.status().ToString();
  EXPECT_NE(m.status().message().find("signature 'serving_default'"), std::string::npos) << m.status().ToString();
}

TEST(TfModelTest, ModelWithoutVariablesFailsToRunClearly) {
  auto model = MustLoad("tensorflow_net/example1/1");
  ASSERT_TRUE(model);
  Tensor x(DType::kFloat, Shape{1, 96});
  auto out = model->Predict("serving_default", {{"fuel", x}, {"sp", x}}, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("Attempting to use uninitialized value"), std::string::npos)
      << out.status().ToString();
}

TEST(TfModelTest, ConcurrentPredict) {
  auto model = MustLoad("tfserving/saved_model_half_plus_two_cpu/00000123");
  ASSERT_TRUE(model);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        float x = static_cast<float>(t * 1000 + i);
        auto out = model->Predict("serving_default", {{"x", Tensor::FromVector<float>({x}, Shape{1, 1})}}, {});
        if (!out.ok() || out->at(0).second.data<float>()[0] != 0.5f * x + 2.0f) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace stfs
