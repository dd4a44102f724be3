#include "kernels/bucketize_ops.h"

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

TEST(BucketizeTest, UpperBoundSemantics) {
  // TF documentation example: boundaries [0, 10, 100].
  auto out = KernelTester("Bucketize").Attr("boundaries", std::vector<float>{0, 10, 100})
                 .Input(Tensor::FromVector<int32_t>({-5, 10000, 150, 10, 5, 100}, Shape{3, 2})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<int32_t>({0, 3, 3, 2, 1, 3}, Shape{3, 2}));
  auto f = KernelTester("Bucketize").Attr("boundaries", std::vector<float>{0.5f})
               .Input(Tensor::FromVector<float>({0.49f, 0.5f})).Run();
  ASSERT_TRUE(f.ok());
  ExpectTensorEq(f->at(0), Tensor::FromVector<int32_t>({0, 1}));
  EXPECT_FALSE(KernelTester("Bucketize").Attr("boundaries", std::vector<float>{2, 1})
                   .Input(Tensor::FromVector<float>({1})).Run().ok());
}

TEST(BoostedTreesBucketizeTest, LowerBoundClamped) {
  auto out = KernelTester("BoostedTreesBucketize").Attr("num_features", 2)
                 .Input(Tensor::FromVector<float>({0, 1, 1.5f, 3, 4})).Input(Tensor::FromVector<float>({5}))
                 .Input(Tensor::FromVector<float>({1, 2, 3})).Input(Tensor::FromVector<float>({5, 6}))
                 .Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<int32_t>({0, 0, 1, 2, 2}));
  ExpectTensorEq(out->at(1), Tensor::FromVector<int32_t>({0}));
}

TEST(SortedSearchTest, UpperAndLowerBound) {
  Tensor sorted = Tensor::FromVector<int32_t>({0, 3, 9, 9, 10, 1, 2, 3, 4, 5}, Shape{2, 5});
  Tensor values = Tensor::FromVector<int32_t>({2, 4, 9, 0, 2, 6}, Shape{2, 3});
  auto upper = KernelTester("UpperBound").Input(sorted).Input(values).Run();
  ASSERT_TRUE(upper.ok()) << upper.status().ToString();
  ExpectTensorEq(upper->at(0), Tensor::FromVector<int32_t>({1, 2, 4, 0, 2, 5}, Shape{2, 3}));
  auto lower = KernelTester("LowerBound").Attr("out_type", DType::kInt64).Input(sorted).Input(values).Run();
  ASSERT_TRUE(lower.ok());
  ExpectTensorEq(lower->at(0), Tensor::FromVector<int64_t>({1, 2, 2, 0, 1, 5}, Shape{2, 3}));
  EXPECT_FALSE(KernelTester("UpperBound").Input(sorted).Input(Tensor::FromVector<int32_t>({1})).Run().ok());
}

}  // namespace
}  // namespace stfs::kernels
