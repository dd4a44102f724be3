#include "kernels/xent_ops.h"

#include <cmath>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {
using testing::ExpectTensorNear;
using testing::KernelTester;

TEST(SparseXentTest, LossAndBackpropFromTheDefinition) {
  // Row 0: logits [0,0], label 1: loss = ln 2, softmax = [.5,.5].
  // Row 1: logits [1,2] label 0: softmax = [1/(1+e), e/(1+e)], loss = ln(1+e).
  auto out = KernelTester("SparseSoftmaxCrossEntropyWithLogits")
                 .Attr("T", DType::kFloat)
                 .Attr("Tlabels", DType::kInt32)
                 .Input(Tensor::FromVector<float>({0, 0, 1, 2}, Shape{2, 2}))
                 .Input(Tensor::FromVector<int32_t>({1, 0}))
                 .Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const float e = std::exp(1.0f);
  ExpectTensorNear((*out)[0], Tensor::FromVector<float>({std::log(2.0f), std::log(1 + e)}), 1e-6);
  ExpectTensorNear((*out)[1], Tensor::FromVector<float>({0.5f, -0.5f, 1 / (1 + e) - 1, e / (1 + e)}, Shape{2, 2}),
                   1e-6);
}

TEST(SparseXentTest, LabelOutOfRangeIsAnError) {
  auto out = KernelTester("SparseSoftmaxCrossEntropyWithLogits")
                 .Attr("T", DType::kFloat)
                 .Attr("Tlabels", DType::kInt64)
                 .Input(Tensor::FromVector<float>({0, 0}, Shape{1, 2}))
                 .Input(Tensor::FromVector<int64_t>({2}))
                 .Run(2);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("outside the valid range of [0, 2)"), std::string::npos);
}

}  // namespace
}  // namespace stfs::kernels
