#include "kernels/gather_ops.h"

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I32(std::vector<int32_t> v, Shape s) { return Tensor::FromVector<int32_t>(v, s); }
Tensor I32(std::vector<int32_t> v) { return Tensor::FromVector<int32_t>(v); }

TEST(GatherV2Test, Axis0) {
  auto out = KernelTester("GatherV2").Input(F({1, 2, 3, 4, 5, 6}, Shape{3, 2})).Input(I32({2, 0}))
                 .Input(Tensor::Scalar<int32_t>(0)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({5, 6, 1, 2}, Shape{2, 2}));
}

TEST(GatherV2Test, Axis1AndMatrixIndices) {
  auto out = KernelTester("GatherV2").Input(F({1, 2, 3, 4, 5, 6}, Shape{3, 2}))
                 .Input(I32({1, 0, 1, 1}, Shape{2, 2})).Input(Tensor::Scalar<int64_t>(-1)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // out[r, i, j] = params[r, idx[i, j]]
  ExpectTensorEq(out->at(0), F({2, 1, 2, 2, 4, 3, 4, 4, 6, 5, 6, 6}, Shape{3, 2, 2}));
}

TEST(GatherV2Test, BatchDims) {
  auto out = KernelTester("GatherV2").Attr("batch_dims", 1).Input(F({1, 2, 3, 4, 5, 6}, Shape{2, 3}))
                 .Input(I32({2, 0, 1, 1}, Shape{2, 2})).Input(Tensor::Scalar<int32_t>(1)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({3, 1, 5, 5}, Shape{2, 2}));
}

TEST(GatherV2Test, OutOfRangeIsAnError) {
  auto out = KernelTester("GatherV2").Input(F({1, 2, 3}, Shape{3})).Input(I32({0, 3}))
                 .Input(Tensor::Scalar<int32_t>(0)).Run();
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("indices[1] = 3 is not in [0, 3)"), std::string::npos)
      << out.status().ToString();
  auto neg = KernelTester("GatherV2").Input(F({1, 2, 3}, Shape{3})).Input(I32({-1}))
                 .Input(Tensor::Scalar<int32_t>(0)).Run();
  EXPECT_FALSE(neg.ok());
}

TEST(GatherTest, LegacyGatherStrings) {
  auto out = KernelTester("Gather").Input(Tensor::FromVector<std::string>({"a", "b", "c"}))
                 .Input(Tensor::FromVector<int64_t>({2, 2, 0})).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), Tensor::FromVector<std::string>({"c", "c", "a"}));
}

TEST(GatherNdTest, FullAndPartialIndices) {
  Tensor p = F({1, 2, 3, 4}, Shape{2, 2});
  auto full = KernelTester("GatherNd").Input(p).Input(I32({1, 0, 0, 1}, Shape{2, 2})).Run();
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  ExpectTensorEq(full->at(0), F({3, 2}, Shape{2}));
  auto rows = KernelTester("GatherNd").Input(p).Input(I32({1}, Shape{1, 1})).Run();
  ASSERT_TRUE(rows.ok());
  ExpectTensorEq(rows->at(0), F({3, 4}, Shape{1, 2}));
  auto bad = KernelTester("GatherNd").Input(p).Input(I32({2, 0}, Shape{1, 2})).Run();
  EXPECT_FALSE(bad.ok());
}

TEST(OneHotTest, OutOfRangeGivesOffRow) {
  auto out = KernelTester("OneHot").Input(Tensor::FromVector<int64_t>({0, 2, -1, 5}))
                 .Input(Tensor::Scalar<int32_t>(3)).Input(Tensor::Scalar<float>(1))
                 .Input(Tensor::Scalar<float>(0)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, Shape{4, 3}));
}

TEST(OneHotTest, Axis0) {
  auto out = KernelTester("OneHot").Attr("axis", 0).Input(I32({0, 2})).Input(Tensor::Scalar<int32_t>(3))
                 .Input(Tensor::Scalar<int32_t>(5)).Input(Tensor::Scalar<int32_t>(-1)).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), I32({5, -1, -1, -1, -1, 5}, Shape{3, 2}));
  auto bad_depth = KernelTester("OneHot").Input(I32({0})).Input(Tensor::Scalar<int32_t>(-1))
                       .Input(Tensor::Scalar<int32_t>(5)).Input(Tensor::Scalar<int32_t>(0)).Run();
  EXPECT_FALSE(bad_depth.ok());
}

TEST(ScatterTest, ScatterNdSumsDuplicates) {
  auto out = KernelTester("ScatterNd").Input(I32({1, 3, 1}, Shape{3, 1})).Input(F({9, 10, 11}, Shape{3}))
                 .Input(I32({5})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({0, 20, 0, 10, 0}, Shape{5}));
  auto two_d = KernelTester("ScatterNd").Input(I32({0, 1}, Shape{1, 2})).Input(F({7}, Shape{1}))
                   .Input(I32({2, 2})).Run();
  ASSERT_TRUE(two_d.ok());
  ExpectTensorEq(two_d->at(0), F({0, 7, 0, 0}, Shape{2, 2}));
  auto bad = KernelTester("ScatterNd").Input(I32({5}, Shape{1, 1})).Input(F({1}, Shape{1}))
                 .Input(I32({5})).Run();
  EXPECT_FALSE(bad.ok());
}

TEST(ScatterTest, TensorScatterUpdate) {
  Tensor t = F({1, 2, 3, 4}, Shape{4});
  auto out = KernelTester("TensorScatterUpdate").Input(t).Input(I32({1, 3}, Shape{2, 1}))
                 .Input(F({9, 8}, Shape{2})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 9, 3, 8}, Shape{4}));
  ExpectTensorEq(t, F({1, 2, 3, 4}, Shape{4}));  // input untouched
  auto bad = KernelTester("TensorScatterUpdate").Input(t).Input(I32({4}, Shape{1, 1}))
                 .Input(F({9}, Shape{1})).Run();
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace stfs::kernels
