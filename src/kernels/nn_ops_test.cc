// BiasAdd, Softmax/LogSoftmax, FusedBatchNorm, Conv2D, DepthwiseConv2dNative and
// pooling: expected values worked out by hand from TF's definitions.
#include <cmath>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, std::move(s)); }
Tensor I(std::vector<int32_t> v, Shape s) { return Tensor::FromVector<int32_t>(v, std::move(s)); }
Tensor Iota(int n, Shape s, float start = 1) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = start + i;
  return F(v, std::move(s));
}

TEST(BiasAddTest, NhwcAndNchw) {
  auto r = KernelTester("BiasAdd").Input(F({1, 2, 3, 4, 5, 6}, Shape{2, 3})).Input(F({10, 20, 30}, Shape{3})).Run();
  ASSERT_TRUE(r.ok());
  ExpectTensorEq(r->at(0), F({11, 22, 33, 14, 25, 36}, Shape{2, 3}));
  r = KernelTester("BiasAdd").Attr("data_format", "NCHW").Input(F({1, 2, 3, 4}, Shape{1, 2, 2}))
          .Input(F({10, 20}, Shape{2})).Run();
  ExpectTensorEq(r->at(0), F({11, 12, 23, 24}, Shape{1, 2, 2}));
  r = KernelTester("BiasAddV1").Input(I({1, 2}, Shape{1, 2})).Input(I({5, 6}, Shape{2})).Run();
  ExpectTensorEq(r->at(0), I({6, 8}, Shape{1, 2}));
  EXPECT_FALSE(KernelTester("BiasAdd").Input(F({1, 2}, Shape{1, 2})).Input(F({1, 2, 3}, Shape{3})).Run().ok());
  EXPECT_FALSE(KernelTester("BiasAdd").Input(F({1, 2}, Shape{2})).Input(F({1, 2}, Shape{2})).Run().ok());
}

TEST(SoftmaxTest, RowsAndStability) {
  // exp([-2,-1,0]) / (e^-2 + e^-1 + 1).
  auto r = KernelTester("Softmax").Input(F({1, 2, 3, 1000, 1000, 1000}, Shape{2, 3})).Run();
  ASSERT_TRUE(r.ok());
  const float third = 1.f / 3;
  ExpectTensorNear(r->at(0), F({0.0900305732f, 0.244728471f, 0.665240956f, third, third, third}, Shape{2, 3}), 1e-6,
                   1e-5);
  float sum = 0;
  for (int i = 0; i < 3; ++i) sum += r->at(0).data<float>()[i];
  EXPECT_NEAR(sum, 1.f, 1e-6);
  r = KernelTester("LogSoftmax").Input(F({1, 2, 3}, Shape{3})).Run();
  ExpectTensorNear(r->at(0), F({-2.40760596f, -1.40760596f, -0.40760596f}, Shape{3}), 1e-6, 1e-5);
  r = KernelTester("Softmax").Input(F({5}, Shape{1, 1, 1})).Run();
  ExpectTensorEq(r->at(0), F({1}, Shape{1, 1, 1}));
  EXPECT_FALSE(KernelTester("Softmax").Input(F({1}, Shape{})).Run().ok());
}

TEST(FusedBatchNormTest, InferenceFormula) {
  // y = scale*(x-mean)/sqrt(var+eps) + offset; eps = 1 makes the roots 2 and 1.
  Tensor scale = F({2, 1}, Shape{2}), offset = F({0.5f, -1}, Shape{2});
  Tensor mean = F({1, 2}, Shape{2}), var = F({3, 0}, Shape{2});
  auto r = KernelTester("FusedBatchNormV3").Attr("is_training", false).Attr("epsilon", 1.0f)
               .Input(F({1, 2, 3, 4}, Shape{1, 1, 2, 2})).Input(scale).Input(offset).Input(mean).Input(var).Run(6);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorNear(r->at(0), F({0.5f, -1, 2.5f, 1}, Shape{1, 1, 2, 2}));
  r = KernelTester("FusedBatchNorm").Attr("is_training", false).Attr("epsilon", 1.0f).Attr("data_format", "NCHW")
          .Input(F({1, 3, 2, 4}, Shape{1, 2, 1, 2})).Input(scale).Input(offset).Input(mean).Input(var).Run(5);
  ExpectTensorNear(r->at(0), F({0.5f, 2.5f, -1, 1}, Shape{1, 2, 1, 2}));
  // Default epsilon 1e-4 with var 0: (1.01 - 1) / 0.01 = 1.
  r = KernelTester("FusedBatchNormV2").Attr("is_training", false).Input(F({1.01f}, Shape{1, 1, 1, 1}))
          .Input(F({1}, Shape{1})).Input(F({0}, Shape{1})).Input(F({1}, Shape{1})).Input(F({0}, Shape{1})).Run(5);
  ExpectTensorNear(r->at(0), F({1}, Shape{1, 1, 1, 1}), 1e-4, 1e-4);
  EXPECT_FALSE(KernelTester("FusedBatchNormV3").Attr("is_training", true).Input(F({1}, Shape{1, 1, 1, 1})).Run(6).ok());
}

// Macros (not functions) because KernelTester is not movable.
#define CONV(padding, ...) \
  KernelTester("Conv2D").Attr("padding", padding).Attr("strides", std::vector<int>__VA_ARGS__)

TEST(Conv2DTest, SameStride2AsymmetricPadding) {
  // 4x4 input 1..16, 3x3 ones filter, SAME stride 2: out 2x2, pad_total 1 -> 0 before, 1 after.
  auto r = CONV("SAME", {1, 2, 2, 1}).Input(Iota(16, Shape{1, 4, 4, 1})).Input(F(std::vector<float>(9, 1), Shape{3, 3, 1, 1})).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({54, 45, 72, 54}, Shape{1, 2, 2, 1}));
}

TEST(Conv2DTest, SameStride1AndValid) {
  // 3x3 input 1..9, 2x2 ones filter, SAME stride 1: pad 0 before, 1 after (bottom/right).
  auto r = CONV("SAME", {1, 1, 1, 1}).Input(Iota(9, Shape{1, 3, 3, 1})).Input(F({1, 1, 1, 1}, Shape{2, 2, 1, 1})).Run();
  ExpectTensorEq(r->at(0), F({12, 16, 9, 24, 28, 15, 15, 17, 9}, Shape{1, 3, 3, 1}));
  r = CONV("VALID", {1, 1, 1, 1}).Input(Iota(9, Shape{1, 3, 3, 1})).Input(F({1, 1, 1, 1}, Shape{2, 2, 1, 1})).Run();
  ExpectTensorEq(r->at(0), F({12, 16, 24, 28}, Shape{1, 2, 2, 1}));
}

TEST(Conv2DTest, PointwiseMultiChannel) {
  // 1x1 conv = per-pixel [a,b] * [[1,2],[3,4]].
  auto r = CONV("VALID", {1, 1, 1, 1}).Input(Iota(8, Shape{1, 2, 2, 2})).Input(F({1, 2, 3, 4}, Shape{1, 1, 2, 2})).Run();
  ExpectTensorEq(r->at(0), F({7, 10, 15, 22, 23, 34, 31, 46}, Shape{1, 2, 2, 2}));
}

TEST(Conv2DTest, DilationExplicitPaddingAndBatch) {
  auto r = CONV("VALID", {1, 1, 1, 1}).Attr("dilations", std::vector<int>{1, 2, 2, 1})
               .Input(Iota(16, Shape{1, 4, 4, 1})).Input(F({1, 1, 1, 1}, Shape{2, 2, 1, 1})).Run();
  ExpectTensorEq(r->at(0), F({24, 28, 40, 44}, Shape{1, 2, 2, 1}));
  r = CONV("EXPLICIT", {1, 1, 1, 1}).Attr("explicit_paddings", std::vector<int>{0, 0, 1, 0, 0, 1, 0, 0})
          .Input(Iota(4, Shape{1, 2, 2, 1})).Input(F({1, 1, 1, 1}, Shape{2, 2, 1, 1})).Run();
  ExpectTensorEq(r->at(0), F({3, 2, 10, 6}, Shape{1, 2, 2, 1}));
  // Batch of 2: second image is the first + 16, the ones filter adds 9*16 per output.
  std::vector<float> two(32);
  for (int i = 0; i < 32; ++i) two[i] = i + 1;
  r = CONV("SAME", {1, 2, 2, 1}).Input(F(two, Shape{2, 4, 4, 1})).Input(F(std::vector<float>(9, 1), Shape{3, 3, 1, 1})).Run();
  ExpectTensorEq(r->at(0), F({54, 45, 72, 54, 54 + 144, 45 + 96, 72 + 96, 54 + 64}, Shape{2, 2, 2, 1}));
  auto bad = CONV("SAME", {1, 1, 1, 1}).Attr("data_format", "NCHW").Input(Iota(4, Shape{1, 1, 2, 2}))
                 .Input(F({1}, Shape{1, 1, 1, 1})).Run();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kUnimplemented);
  EXPECT_FALSE(CONV("SAME", {1, 1, 1, 1}).Input(Iota(4, Shape{1, 2, 2, 1})).Input(F({1, 1}, Shape{1, 1, 2, 1})).Run().ok());
}

TEST(Conv2DTest, LargeChunkedMatchesDirectSum) {
  // 3x3 ones filter over an all-ones 17x17x3 image, SAME stride 1: each output
  // counts the valid cells in its window (x 3 channels): 4*3 at corners, 6*3 on edges, 9*3 inside.
  const int h = 17;
  auto r = CONV("SAME", {1, 1, 1, 1}).Input(F(std::vector<float>(2 * h * h * 3, 1), Shape{2, h, h, 3}))
               .Input(F(std::vector<float>(9 * 3 * 4, 1), Shape{3, 3, 3, 4})).Run();
  ASSERT_TRUE(r.ok());
  const float* o = r->at(0).data<float>();
  for (int b = 0; b < 2; ++b)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < h; ++x) {
        const int rows = (y == 0 || y == h - 1) ? 2 : 3, cols = (x == 0 || x == h - 1) ? 2 : 3;
        for (int c = 0; c < 4; ++c) ASSERT_EQ(o[((b * h + y) * h + x) * 4 + c], rows * cols * 3.f);
      }
}

TEST(DepthwiseTest, MultiplierAndWindow) {
  auto r = KernelTester("DepthwiseConv2dNative").Attr("padding", "VALID").Attr("strides", std::vector<int>{1, 1, 1, 1})
               .Input(F({1, 2, 3, 4}, Shape{1, 1, 2, 2})).Input(F({1, 10, 100, 1000}, Shape{1, 2, 2, 1})).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({301, 4020}, Shape{1, 1, 1, 2}));
  r = KernelTester("DepthwiseConv2dNative").Attr("padding", "SAME").Attr("strides", std::vector<int>{1, 1, 1, 1})
          .Input(F({5, 6}, Shape{1, 1, 1, 2})).Input(F({1, 2, 3, 4}, Shape{1, 1, 2, 2})).Run();
  ExpectTensorEq(r->at(0), F({5, 10, 18, 24}, Shape{1, 1, 1, 4}));
}

#define POOL(op, padding, k, s)                                         \
  KernelTester(op).Attr("padding", padding).Attr("ksize", std::vector<int>{1, k, k, 1}) \
      .Attr("strides", std::vector<int>{1, s, s, 1})

TEST(PoolTest, MaxAndAvgSameBorders) {
  // 3x3 input 1..9, 2x2/2 SAME: windows clipped at the bottom/right.
  auto r = POOL("MaxPool", "SAME", 2, 2).Input(Iota(9, Shape{1, 3, 3, 1})).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({5, 6, 8, 9}, Shape{1, 2, 2, 1}));
  r = POOL("AvgPool", "SAME", 2, 2).Input(Iota(9, Shape{1, 3, 3, 1})).Run();
  ExpectTensorEq(r->at(0), F({3, 4.5f, 7.5f, 9}, Shape{1, 2, 2, 1}));  // divide by valid cells
  r = POOL("AvgPool", "SAME", 3, 1).Input(Iota(9, Shape{1, 3, 3, 1})).Run();
  ExpectTensorEq(r->at(0), F({3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7}, Shape{1, 3, 3, 1}));
  // Padded cells never win a max, even for negative inputs.
  r = POOL("MaxPool", "SAME", 2, 2).Input(Iota(9, Shape{1, 3, 3, 1}, -9)).Run();
  ExpectTensorEq(r->at(0), F({-5, -4, -2, -1}, Shape{1, 2, 2, 1}));
  r = POOL("MaxPool", "VALID", 2, 2).Input(Iota(9, Shape{1, 3, 3, 1})).Run();
  ExpectTensorEq(r->at(0), F({5}, Shape{1, 1, 1, 1}));
  // Channels pool independently.
  r = POOL("MaxPool", "VALID", 2, 1).Input(F({1, 8, 2, 7, 3, 6, 4, 5}, Shape{1, 2, 2, 2})).Run();
  ExpectTensorEq(r->at(0), F({4, 8}, Shape{1, 1, 1, 2}));
}

TEST(PoolTest, MaxPoolV2Inputs) {
  auto r = KernelTester("MaxPoolV2").Attr("padding", "SAME").Input(Iota(9, Shape{1, 3, 3, 1}))
               .Input(I({1, 2, 2, 1}, Shape{4})).Input(I({1, 2, 2, 1}, Shape{4})).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({5, 6, 8, 9}, Shape{1, 2, 2, 1}));
  EXPECT_FALSE(KernelTester("MaxPoolV2").Attr("padding", "SAME").Input(Iota(9, Shape{1, 3, 3, 1}))
                   .Input(I({2, 2, 2, 1}, Shape{4})).Input(I({1, 2, 2, 1}, Shape{4})).Run().ok());
}

}  // namespace
}  // namespace stfs::kernels
