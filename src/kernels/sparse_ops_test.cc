#include "kernels/sparse_ops.h"

#include <cmath>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I64(std::vector<int64_t> v, Shape s) { return Tensor::FromVector<int64_t>(v, s); }
Tensor I64(std::vector<int64_t> v) { return Tensor::FromVector<int64_t>(v); }
Tensor I32(std::vector<int32_t> v) { return Tensor::FromVector<int32_t>(v); }

TEST(SparseFillEmptyRowsTest, InsertsDefaultRows) {
  auto out = KernelTester("SparseFillEmptyRows").Input(I64({0, 0, 0, 2, 3, 1}, Shape{3, 2}))
                 .Input(Tensor::FromVector<std::string>({"a", "b", "c"})).Input(I64({5, 4}))
                 .Input(Tensor::Scalar<std::string>("z")).Run(4);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I64({0, 0, 0, 2, 1, 0, 2, 0, 3, 1, 4, 0}, Shape{6, 2}));
  ExpectTensorEq(out->at(1), Tensor::FromVector<std::string>({"a", "b", "z", "z", "c", "z"}));
  ExpectTensorEq(out->at(2), Tensor::FromVector<bool>({false, true, true, false, true}));
  ExpectTensorEq(out->at(3), I64({0, 1, 4}));
}

TEST(SparseFillEmptyRowsTest, EmptyInputAndBadRow) {
  auto empty = KernelTester("SparseFillEmptyRows").Input(Tensor(DType::kInt64, Shape{0, 2}))
                   .Input(Tensor(DType::kFloat, Shape{0})).Input(I64({2, 3}))
                   .Input(Tensor::Scalar<float>(-1)).Run(4);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  ExpectTensorEq(empty->at(0), I64({0, 0, 1, 0}, Shape{2, 2}));
  ExpectTensorEq(empty->at(1), F({-1, -1}, Shape{2}));
  auto bad = KernelTester("SparseFillEmptyRows").Input(I64({5, 0}, Shape{1, 2})).Input(F({1}, Shape{1}))
                 .Input(I64({2, 3})).Input(Tensor::Scalar<float>(0)).Run(4);
  EXPECT_FALSE(bad.ok());
}

TEST(SparseReshapeTest, InfersMinusOne) {
  auto out = KernelTester("SparseReshape").Input(I64({0, 0, 0, 1, 1, 2}, Shape{3, 2})).Input(I64({2, 3}))
                 .Input(I64({3, -1})).Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I64({0, 0, 0, 1, 2, 1}, Shape{3, 2}));
  ExpectTensorEq(out->at(1), I64({3, 2}));
  EXPECT_FALSE(KernelTester("SparseReshape").Input(I64({0, 0}, Shape{1, 2})).Input(I64({2, 3}))
                   .Input(I64({4, -1})).Run(2).ok());
  EXPECT_FALSE(KernelTester("SparseReshape").Input(I64({0, 0}, Shape{1, 2})).Input(I64({2, 3}))
                   .Input(I64({5})).Run(2).ok());
}

TEST(SparseSegmentTest, SumMeanSqrtN) {
  Tensor data = F({1, 2, 3, 4, 5, 6}, Shape{3, 2});
  auto sum = KernelTester("SparseSegmentSum").Input(data).Input(I32({0, 2, 1})).Input(I32({0, 0, 2})).Run();
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  ExpectTensorEq(sum->at(0), F({6, 8, 0, 0, 3, 4}, Shape{3, 2}));
  auto mean = KernelTester("SparseSegmentMean").Input(data).Input(I32({0, 2, 1})).Input(I32({0, 0, 2})).Run();
  ASSERT_TRUE(mean.ok());
  ExpectTensorNear(mean->at(0), F({3, 4, 0, 0, 3, 4}, Shape{3, 2}));
  auto sqrtn = KernelTester("SparseSegmentSqrtN").Input(data).Input(I32({0, 2, 1})).Input(I32({0, 0, 2})).Run();
  ASSERT_TRUE(sqrtn.ok());
  const float r2 = std::sqrt(2.0f);
  ExpectTensorNear(sqrtn->at(0), F({6 / r2, 8 / r2, 0, 0, 3, 4}, Shape{3, 2}), 1e-5);
  auto with_n = KernelTester("SparseSegmentSumWithNumSegments").Input(data).Input(I64({1}, Shape{1}))
                    .Input(I64({0}, Shape{1})).Input(Tensor::Scalar<int32_t>(2)).Run();
  ASSERT_TRUE(with_n.ok()) << with_n.status().ToString();
  ExpectTensorEq(with_n->at(0), F({3, 4, 0, 0}, Shape{2, 2}));
}

TEST(SparseSegmentTest, Errors) {
  Tensor data = F({1, 2, 3, 4, 5, 6}, Shape{3, 2});
  EXPECT_FALSE(KernelTester("SparseSegmentSum").Input(data).Input(I32({0, 1})).Input(I32({1, 0})).Run().ok());
  EXPECT_FALSE(KernelTester("SparseSegmentSum").Input(data).Input(I32({0, 3})).Input(I32({0, 0})).Run().ok());
  EXPECT_FALSE(KernelTester("SparseSegmentSum").Input(data).Input(I32({0})).Input(I32({0, 0})).Run().ok());
}

TEST(SparseToDenseTest, ScatterAndValidate) {
  auto out = KernelTester("SparseToDense").Input(I64({0, 1, 2, 0}, Shape{2, 2})).Input(I64({3, 2}))
                 .Input(F({5, 6}, Shape{2})).Input(Tensor::Scalar<float>(0)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({0, 5, 0, 0, 6, 0}, Shape{3, 2}));
  auto scalar_value = KernelTester("SparseToDense").Input(I32({1, 3})).Input(I32({4}))
                          .Input(Tensor::Scalar<int32_t>(7)).Input(Tensor::Scalar<int32_t>(-1)).Run();
  ASSERT_TRUE(scalar_value.ok()) << scalar_value.status().ToString();
  ExpectTensorEq(scalar_value->at(0), I32({-1, 7, -1, 7}));
  auto unordered = [](bool validate) {
    return KernelTester("SparseToDense").Attr("validate_indices", validate).Input(I32({3, 1})).Input(I32({4}))
        .Input(Tensor::Scalar<int32_t>(7)).Input(Tensor::Scalar<int32_t>(0)).Run();
  };
  EXPECT_FALSE(unordered(true).ok());
  EXPECT_TRUE(unordered(false).ok());
  EXPECT_FALSE(KernelTester("SparseToDense").Input(I32({1, 1})).Input(I32({4}))
                   .Input(Tensor::Scalar<int32_t>(7)).Input(Tensor::Scalar<int32_t>(0)).Run().ok());
  EXPECT_FALSE(KernelTester("SparseToDense").Input(I32({4})).Input(I32({4}))
                   .Input(Tensor::Scalar<int32_t>(7)).Input(Tensor::Scalar<int32_t>(0)).Run().ok());
}

TEST(UniqueTest, FirstOccurrenceOrder) {
  auto out = KernelTester("Unique").Input(I32({1, 1, 2, 4, 4, 4, 7, 8, 8})).Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I32({1, 2, 4, 7, 8}));
  ExpectTensorEq(out->at(1), I32({0, 0, 1, 2, 2, 2, 3, 4, 4}));
  auto s = KernelTester("Unique").Attr("out_idx", DType::kInt64)
               .Input(Tensor::FromVector<std::string>({"b", "a", "b"})).Run(2);
  ASSERT_TRUE(s.ok());
  ExpectTensorEq(s->at(0), Tensor::FromVector<std::string>({"b", "a"}));
  ExpectTensorEq(s->at(1), I64({0, 1, 0}));
  EXPECT_FALSE(KernelTester("Unique").Input(Tensor::Scalar<int32_t>(1)).Run(2).ok());
}

TEST(SegmentSumTest, UnsortedAndSorted) {
  auto u = KernelTester("UnsortedSegmentSum").Input(F({1, 2, 3, 4}, Shape{4})).Input(I32({0, -1, 0, 2}))
               .Input(Tensor::Scalar<int32_t>(3)).Run();
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  ExpectTensorEq(u->at(0), F({4, 0, 4}, Shape{3}));
  auto rows = KernelTester("UnsortedSegmentSum").Input(F({1, 2, 3, 4}, Shape{2, 2})).Input(I32({1, 1}))
                  .Input(Tensor::Scalar<int64_t>(2)).Run();
  ASSERT_TRUE(rows.ok());
  ExpectTensorEq(rows->at(0), F({0, 0, 4, 6}, Shape{2, 2}));
  EXPECT_FALSE(KernelTester("UnsortedSegmentSum").Input(F({1}, Shape{1})).Input(I32({3}))
                   .Input(Tensor::Scalar<int32_t>(3)).Run().ok());
  auto sorted = KernelTester("SegmentSum").Input(I32({1, 2, 3, 4})).Input(I32({0, 0, 2, 2})).Run();
  ASSERT_TRUE(sorted.ok());
  ExpectTensorEq(sorted->at(0), I32({3, 0, 7}));
  EXPECT_FALSE(KernelTester("SegmentSum").Input(I32({1, 2})).Input(I32({1, 0})).Run().ok());
}

}  // namespace
}  // namespace stfs::kernels
