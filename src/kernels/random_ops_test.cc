// Random kernels: shape, dtype, range and seeded determinism (values are not
// TensorFlow's Philox streams, see random_ops.h, so no exact values).
#include "kernels/random_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::KernelTester;

// A tester for a float random op (KernelTester is not movable, hence the pointer).
std::unique_ptr<KernelTester> Float(const std::string& op, DType dtype, int64_t seed, int64_t seed2,
                                    std::vector<int32_t> shape) {
  auto t = std::make_unique<KernelTester>(op);
  t->Attr("dtype", dtype).Attr("seed", seed).Attr("seed2", seed2).Attr("T", DType::kInt32);
  t->Input(Tensor::FromVector<int32_t>(shape, Shape{static_cast<int64_t>(shape.size())}));
  return t;
}

TEST(RandomOpsTest, UniformShapeDtypeRange) {
  auto out = Float("RandomUniform", DType::kFloat, 0, 0, {50, 40})->Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Tensor& t = out->at(0);
  EXPECT_EQ(t.dtype(), DType::kFloat);
  EXPECT_EQ(t.shape(), (Shape{50, 40}));
  double sum = 0;
  for (float v : t.flat<float>()) {
    ASSERT_GE(v, 0.0f);
    ASSERT_LT(v, 1.0f);
    sum += v;
  }
  // 2000 draws: the mean is 0.5 +- 0.0065 (1 sigma); 0.05 is ~8 sigma.
  EXPECT_NEAR(sum / 2000, 0.5, 0.05);
  // Scalar shape and an empty shape.
  auto scalar = Float("RandomUniform", DType::kDouble, 1, 2, {})->Run();
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(scalar->at(0).shape(), Shape{});
  EXPECT_EQ(scalar->at(0).dtype(), DType::kDouble);
  auto empty = Float("RandomUniform", DType::kFloat, 1, 2, {3, 0})->Run();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->at(0).NumElements(), 0);
}

TEST(RandomOpsTest, SeededRunsAreReproducible) {
  auto a = Float("RandomStandardNormal", DType::kFloat, 7, 3, {16});
  auto b = Float("RandomStandardNormal", DType::kFloat, 7, 3, {16});
  // (KernelTester creates a fresh kernel per Run, so each Run is a first run.)
  auto a1 = a->Run(), b1 = b->Run();
  ASSERT_TRUE(a1.ok() && b1.ok());
  testing::ExpectTensorEq(a1->at(0), b1->at(0));  // same seeds, same first run
  // Another seed or seed2 gives other values.
  auto c1 = Float("RandomStandardNormal", DType::kFloat, 8, 3, {16})->Run();
  auto d1 = Float("RandomStandardNormal", DType::kFloat, 7, 4, {16})->Run();
  ASSERT_TRUE(c1.ok() && d1.ok());
  EXPECT_NE(a1->at(0).flat<float>()[0], c1->at(0).flat<float>()[0]);
  EXPECT_NE(a1->at(0).flat<float>()[0], d1->at(0).flat<float>()[0]);
  // Unseeded kernels draw a fresh seed: two 16-value draws coincide with
  // negligible probability.
  auto u1 = Float("RandomUniform", DType::kFloat, 0, 0, {16})->Run();
  auto u2 = Float("RandomUniform", DType::kFloat, 0, 0, {16})->Run();
  ASSERT_TRUE(u1.ok() && u2.ok());
  EXPECT_NE(u1->at(0).flat<float>()[0], u2->at(0).flat<float>()[0]);
}

TEST(RandomOpsTest, NormalAndTruncatedNormalMoments) {
  auto n = Float("RandomStandardNormal", DType::kDouble, 1, 1, {4000})->Run();
  ASSERT_TRUE(n.ok());
  double sum = 0, sq = 0;
  for (double v : n->at(0).flat<double>()) sum += v, sq += v * v;
  EXPECT_NEAR(sum / 4000, 0.0, 0.1);   // sigma of the mean ~0.016
  EXPECT_NEAR(sq / 4000, 1.0, 0.15);
  auto t = Float("TruncatedNormal", DType::kFloat, 1, 1, {4000})->Run();
  ASSERT_TRUE(t.ok());
  for (float v : t->at(0).flat<float>()) ASSERT_LE(std::fabs(v), 2.0f);
  auto h = Float("TruncatedNormal", DType::kHalf, 1, 1, {10})->Run();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->at(0).dtype(), DType::kHalf);
}

TEST(RandomOpsTest, UniformInt) {
  KernelTester t("RandomUniformInt");
  t.Attr("Tout", DType::kInt64).Attr("T", DType::kInt32).Attr("seed", 5).Attr("seed2", 0);
  t.Input(Tensor::FromVector<int32_t>({1000}))
      .Input(Tensor::Scalar<int64_t>(-3))
      .Input(Tensor::Scalar<int64_t>(4));
  auto out = t.Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::vector<int> seen(7, 0);
  for (int64_t v : out->at(0).flat<int64_t>()) {
    ASSERT_GE(v, -3);
    ASSERT_LT(v, 4);
    ++seen[v + 3];
  }
  for (int c : seen) EXPECT_GT(c, 0);  // each of 7 values expected ~143 times
  KernelTester bad("RandomUniformInt");
  bad.Attr("Tout", DType::kInt32).Attr("T", DType::kInt32);
  bad.Input(Tensor::FromVector<int32_t>({2})).Input(Tensor::Scalar<int32_t>(4)).Input(Tensor::Scalar<int32_t>(4));
  auto err = bad.Run();
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find("minval < maxval"), std::string::npos);
}

TEST(RandomOpsTest, BadShapeAndDtype) {
  EXPECT_FALSE(Float("RandomUniform", DType::kFloat, 0, 0, {-1, 2})->Run().ok());
  EXPECT_FALSE(Float("RandomUniform", DType::kInt32, 0, 0, {2})->Run().ok());
  KernelTester t("RandomUniform");
  t.Attr("dtype", DType::kFloat).Input(Tensor::FromVector<float>({2.0f}));
  EXPECT_FALSE(t.Run().ok());
}

}  // namespace
}  // namespace stfs::kernels
