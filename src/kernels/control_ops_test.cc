#include "kernels/control_ops.h"

#include <gtest/gtest.h>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

TEST(ControlOpsTest, ConstOutputsItsValue) {
  Tensor v = Tensor::FromVector<float>({1.5f, -2.0f});
  auto out = KernelTester("Const").Attr("value", v).Attr("dtype", DType::kFloat).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), v);
  auto bad = KernelTester("Const").Attr("value", v).Attr("dtype", DType::kInt32).Run();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "value is float but dtype is int32");
}

TEST(ControlOpsTest, UnfedPlaceholderMessage) {
  auto out = KernelTester("Placeholder")
                 .Attr("dtype", DType::kFloat)
                 .Attr("shape", PartialShape(std::vector<int64_t>{-1, 1}))
                 .Run();
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "You must feed a value for placeholder tensor 'test_node' with dtype float and shape [?,1]");
}

TEST(ControlOpsTest, PlaceholderWithDefaultForwardsInput) {
  Tensor v = Tensor::FromVector<int32_t>({4, 5});
  auto out = KernelTester("PlaceholderWithDefault").Attr("dtype", DType::kInt32).Input(v).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), v);
}

TEST(ControlOpsTest, IdentityFamily) {
  for (const char* op : {"Identity", "Snapshot", "StopGradient", "PreventGradient"}) {
    auto out = KernelTester(op).Input(Tensor::Scalar<std::string>("abc")).Run();
    ASSERT_TRUE(out.ok()) << op;
    EXPECT_EQ(out->at(0).scalar<std::string>(), "abc") << op;
  }
  auto out = KernelTester("IdentityN").Input(Tensor::Scalar<int64_t>(7)).Input(Tensor::Scalar<bool>(true)).Run(2);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).scalar<int64_t>(), 7);
  EXPECT_TRUE(out->at(1).scalar<bool>());
}

TEST(ControlOpsTest, AssertPassesOrSummarizesData) {
  auto ok = KernelTester("Assert").Input(Tensor::Scalar<bool>(true)).Input(Tensor::Scalar<std::string>("m")).Run(0);
  EXPECT_TRUE(ok.ok());
  auto failed = KernelTester("Assert")
                    .Attr("summarize", 2)
                    .Input(Tensor::Scalar<bool>(false))
                    .Input(Tensor::Scalar<std::string>("x must be positive"))
                    .Input(Tensor::FromVector<int32_t>({-1, 2, 3}))
                    .Run(0);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(failed.status().message(), "assertion failed: [x must be positive] [-1 2...]");
}

TEST(ControlOpsTest, PrintPassesThrough) {
  auto out = KernelTester("Print")
                 .Attr("message", "value: ")
                 .Input(Tensor::Scalar<float>(3.0f))
                 .Input(Tensor::Scalar<float>(3.0f))
                 .Run();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->at(0).scalar<float>(), 3.0f);
}

}  // namespace
}  // namespace stfs::kernels
