#include "kernels/shape_ops.h"

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I32(std::vector<int32_t> v) { return Tensor::FromVector<int32_t>(v); }
Tensor I64(std::vector<int64_t> v) { return Tensor::FromVector<int64_t>(v); }

TEST(ShapeOpsTest, ShapeDefaultsToInt32) {
  auto out = KernelTester("Shape").Input(Tensor(DType::kFloat, Shape{2, 0, 3})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I32({2, 0, 3}));
}

TEST(ShapeOpsTest, ShapeInt64AndScalar) {
  auto out = KernelTester("Shape").Attr("out_type", DType::kInt64).Input(Tensor::Scalar<float>(1)).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), Tensor(DType::kInt64, Shape{0}));
}

TEST(ShapeOpsTest, ShapeN) {
  auto out = KernelTester("ShapeN").Attr("N", 2).Input(Tensor(DType::kInt32, Shape{4}))
                 .Input(Tensor(DType::kString, Shape{1, 5})).Run(2);
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), I32({4}));
  ExpectTensorEq(out->at(1), I32({1, 5}));
}

TEST(ShapeOpsTest, SizeAndRank) {
  auto size = KernelTester("Size").Input(Tensor(DType::kFloat, Shape{3, 4})).Run();
  ASSERT_TRUE(size.ok());
  ExpectTensorEq(size->at(0), Tensor::Scalar<int32_t>(12));
  auto size64 = KernelTester("Size").Attr("out_type", DType::kInt64).Input(Tensor(DType::kFloat, Shape{0, 4})).Run();
  ASSERT_TRUE(size64.ok());
  ExpectTensorEq(size64->at(0), Tensor::Scalar<int64_t>(0));
  auto rank = KernelTester("Rank").Input(Tensor(DType::kFloat, Shape{3, 4, 1})).Run();
  ASSERT_TRUE(rank.ok());
  ExpectTensorEq(rank->at(0), Tensor::Scalar<int32_t>(3));
}

TEST(ShapeOpsTest, ReshapeWithMinusOne) {
  auto out = KernelTester("Reshape").Input(F({1, 2, 3, 4, 5, 6}, Shape{6})).Input(I32({-1, 2})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 2, 3, 4, 5, 6}, Shape{3, 2}));
}

TEST(ShapeOpsTest, ReshapeToScalarWithEmptyShape) {
  auto out = KernelTester("Reshape").Input(F({7}, Shape{1, 1})).Input(Tensor(DType::kInt64, Shape{0})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::Scalar<float>(7));
}

TEST(ShapeOpsTest, ReshapeEmptyTensorInfersFromNonZeroDims) {
  // [0, 5] -> [0, -1]: the -1 is inferred as 5 (zero dims are set aside).
  auto out = KernelTester("Reshape").Input(Tensor(DType::kFloat, Shape{0, 5})).Input(I64({0, -1})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).shape(), (Shape{0, 5}));
  auto out2 = KernelTester("Reshape").Input(Tensor(DType::kFloat, Shape{0, 4})).Input(I64({-1, 2})).Run();
  ASSERT_TRUE(out2.ok());
  EXPECT_EQ(out2->at(0).shape(), (Shape{0, 2}));
}

TEST(ShapeOpsTest, ReshapeErrors) {
  auto bad = KernelTester("Reshape").Input(F({1, 2, 3}, Shape{3})).Input(I32({2, 2})).Run();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("3 values"), std::string::npos) << bad.status().ToString();
  auto not_multiple = KernelTester("Reshape").Input(F({1, 2, 3}, Shape{3})).Input(I32({-1, 2})).Run();
  EXPECT_FALSE(not_multiple.ok());
  EXPECT_NE(not_multiple.status().message().find("multiple of 2"), std::string::npos);
  auto two_unknown = KernelTester("Reshape").Input(F({1, 2}, Shape{2})).Input(I32({-1, -1})).Run();
  EXPECT_FALSE(two_unknown.ok());
  auto negative = KernelTester("Reshape").Input(F({1, 2}, Shape{2})).Input(I32({-2, -1})).Run();
  EXPECT_FALSE(negative.ok());
  auto float_shape = KernelTester("Reshape").Input(F({1, 2}, Shape{2})).Input(F({2}, Shape{1})).Run();
  EXPECT_FALSE(float_shape.ok());
}

TEST(ShapeOpsTest, SqueezeAllAndNamed) {
  auto all = KernelTester("Squeeze").Input(F({1, 2}, Shape{1, 2, 1})).Run();
  ASSERT_TRUE(all.ok());
  ExpectTensorEq(all->at(0), F({1, 2}, Shape{2}));
  auto named = KernelTester("Squeeze").Attr("squeeze_dims", std::vector<int64_t>{-1})
                   .Input(F({1, 2}, Shape{1, 2, 1})).Run();
  ASSERT_TRUE(named.ok());
  ExpectTensorEq(named->at(0), F({1, 2}, Shape{1, 2}));
  auto bad = KernelTester("Squeeze").Attr("squeeze_dims", std::vector<int64_t>{1})
                 .Input(F({1, 2}, Shape{1, 2, 1})).Run();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("expected a dimension of 1, got 2"), std::string::npos);
  auto out_of_range = KernelTester("Squeeze").Attr("squeeze_dims", std::vector<int64_t>{3})
                          .Input(F({1, 2}, Shape{1, 2, 1})).Run();
  EXPECT_FALSE(out_of_range.ok());
}

TEST(ShapeOpsTest, ExpandDims) {
  auto front = KernelTester("ExpandDims").Input(F({1, 2}, Shape{2})).Input(Tensor::Scalar<int32_t>(0)).Run();
  ASSERT_TRUE(front.ok());
  EXPECT_EQ(front->at(0).shape(), (Shape{1, 2}));
  auto back = KernelTester("ExpandDims").Input(F({1, 2}, Shape{2})).Input(Tensor::Scalar<int64_t>(-1)).Run();
  ASSERT_TRUE(back.ok());
  ExpectTensorEq(back->at(0), F({1, 2}, Shape{2, 1}));
  auto min = KernelTester("ExpandDims").Input(F({1, 2}, Shape{2})).Input(Tensor::Scalar<int32_t>(-2)).Run();
  ASSERT_TRUE(min.ok());
  EXPECT_EQ(min->at(0).shape(), (Shape{1, 2}));
  auto bad = KernelTester("ExpandDims").Input(F({1, 2}, Shape{2})).Input(Tensor::Scalar<int32_t>(2)).Run();
  EXPECT_FALSE(bad.ok());
  auto bad_neg = KernelTester("ExpandDims").Input(F({1, 2}, Shape{2})).Input(Tensor::Scalar<int32_t>(-3)).Run();
  EXPECT_FALSE(bad_neg.ok());
}

TEST(ShapeOpsTest, EnsureShape) {
  auto ok = KernelTester("EnsureShape").Attr("shape", PartialShape({-1, 2}))
                .Input(F({1, 2, 3, 4}, Shape{2, 2})).Run();
  ASSERT_TRUE(ok.ok());
  ExpectTensorEq(ok->at(0), F({1, 2, 3, 4}, Shape{2, 2}));
  auto bad = KernelTester("EnsureShape").Attr("shape", PartialShape({-1, 3}))
                 .Input(F({1, 2, 3, 4}, Shape{2, 2})).Run();
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("not compatible"), std::string::npos);
}

}  // namespace
}  // namespace stfs::kernels
