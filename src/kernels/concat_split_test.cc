#include "kernels/concat_split.h"

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }

TEST(ConcatTest, ConcatV2AxisIsLastInput) {
  auto out = KernelTester("ConcatV2").Attr("N", 2).Input(F({1, 2, 3, 4}, Shape{2, 2}))
                 .Input(F({5, 6}, Shape{2, 1})).Input(Tensor::Scalar<int32_t>(1)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 2, 5, 3, 4, 6}, Shape{2, 3}));
}

TEST(ConcatTest, ConcatV2NegativeAxisAndEmptyInput) {
  auto out = KernelTester("ConcatV2").Input(F({1, 2}, Shape{1, 2})).Input(Tensor(DType::kFloat, Shape{0, 2}))
                 .Input(F({3, 4}, Shape{1, 2})).Input(Tensor::Scalar<int64_t>(-2)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 2, 3, 4}, Shape{2, 2}));
}

TEST(ConcatTest, ConcatStrings) {
  auto out = KernelTester("ConcatV2").Input(Tensor::FromVector<std::string>({"a"}))
                 .Input(Tensor::FromVector<std::string>({"b", "c"})).Input(Tensor::Scalar<int32_t>(0)).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), Tensor::FromVector<std::string>({"a", "b", "c"}));
}

TEST(ConcatTest, LegacyConcatAxisFirst) {
  auto out = KernelTester("Concat").Input(Tensor::Scalar<int32_t>(0)).Input(F({1, 2}, Shape{1, 2}))
                 .Input(F({3, 4}, Shape{1, 2})).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), F({1, 2, 3, 4}, Shape{2, 2}));
}

TEST(ConcatTest, Errors) {
  auto mismatch = KernelTester("ConcatV2").Input(F({1, 2}, Shape{1, 2})).Input(F({3, 4, 5}, Shape{1, 3}))
                      .Input(Tensor::Scalar<int32_t>(0)).Run();
  EXPECT_FALSE(mismatch.ok());
  auto bad_axis = KernelTester("ConcatV2").Input(F({1, 2}, Shape{1, 2})).Input(F({3, 4}, Shape{1, 2}))
                      .Input(Tensor::Scalar<int32_t>(2)).Run();
  EXPECT_FALSE(bad_axis.ok());
  auto scalars = KernelTester("ConcatV2").Input(Tensor::Scalar<float>(1)).Input(Tensor::Scalar<float>(2))
                     .Input(Tensor::Scalar<int32_t>(0)).Run();
  EXPECT_FALSE(scalars.ok());
}

TEST(PackTest, PackAxis0And1) {
  auto a0 = KernelTester("Pack").Input(F({1, 2}, Shape{2})).Input(F({3, 4}, Shape{2})).Run();
  ASSERT_TRUE(a0.ok());
  ExpectTensorEq(a0->at(0), F({1, 2, 3, 4}, Shape{2, 2}));
  auto a1 = KernelTester("Pack").Attr("axis", 1).Input(F({1, 2}, Shape{2})).Input(F({3, 4}, Shape{2})).Run();
  ASSERT_TRUE(a1.ok());
  ExpectTensorEq(a1->at(0), F({1, 3, 2, 4}, Shape{2, 2}));
  auto scalars = KernelTester("Pack").Input(Tensor::Scalar<int32_t>(7)).Input(Tensor::Scalar<int32_t>(8))
                     .Input(Tensor::Scalar<int32_t>(9)).Run();
  ASSERT_TRUE(scalars.ok());
  ExpectTensorEq(scalars->at(0), Tensor::FromVector<int32_t>({7, 8, 9}));
  auto mismatch = KernelTester("Pack").Input(F({1, 2}, Shape{2})).Input(F({3}, Shape{1})).Run();
  EXPECT_FALSE(mismatch.ok());
}

TEST(UnpackTest, UnpackAxis1) {
  auto out = KernelTester("Unpack").Attr("num", 2).Attr("axis", -1).Input(F({1, 2, 3, 4, 5, 6}, Shape{3, 2})).Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 3, 5}, Shape{3}));
  ExpectTensorEq(out->at(1), F({2, 4, 6}, Shape{3}));
  auto bad = KernelTester("Unpack").Attr("num", 3).Input(F({1, 2, 3, 4}, Shape{2, 2})).Run(3);
  EXPECT_FALSE(bad.ok());
}

TEST(SplitTest, SplitAxisFirst) {
  auto out = KernelTester("Split").Attr("num_split", 2).Input(Tensor::Scalar<int32_t>(1))
                 .Input(F({1, 2, 3, 4, 5, 6, 7, 8}, Shape{2, 4})).Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1, 2, 5, 6}, Shape{2, 2}));
  ExpectTensorEq(out->at(1), F({3, 4, 7, 8}, Shape{2, 2}));
  auto uneven = KernelTester("Split").Attr("num_split", 3).Input(Tensor::Scalar<int32_t>(1))
                    .Input(F({1, 2, 3, 4, 5, 6, 7, 8}, Shape{2, 4})).Run(3);
  EXPECT_FALSE(uneven.ok());
  EXPECT_NE(uneven.status().message().find("evenly divide"), std::string::npos);
}

TEST(SplitTest, SplitVWithMinusOne) {
  auto out = KernelTester("SplitV").Input(F({1, 2, 3, 4, 5}, Shape{5}))
                 .Input(Tensor::FromVector<int64_t>({1, -1, 2})).Input(Tensor::Scalar<int32_t>(0)).Run(3);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({1}, Shape{1}));
  ExpectTensorEq(out->at(1), F({2, 3}, Shape{2}));
  ExpectTensorEq(out->at(2), F({4, 5}, Shape{2}));
  auto bad_sum = KernelTester("SplitV").Input(F({1, 2, 3, 4, 5}, Shape{5}))
                     .Input(Tensor::FromVector<int32_t>({1, 2})).Input(Tensor::Scalar<int32_t>(0)).Run(2);
  EXPECT_FALSE(bad_sum.ok());
  auto two_unknown = KernelTester("SplitV").Input(F({1, 2, 3, 4, 5}, Shape{5}))
                         .Input(Tensor::FromVector<int32_t>({-1, -1})).Input(Tensor::Scalar<int32_t>(0)).Run(2);
  EXPECT_FALSE(two_unknown.ok());
}

}  // namespace
}  // namespace stfs::kernels
