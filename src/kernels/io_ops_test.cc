#include "kernels/io_ops.h"

#include <gtest/gtest.h>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::KernelTester;

const std::string kHalfPlusTwo =
    std::string(STFS_MODELS_DIR) + "/tfserving/saved_model_half_plus_two_cpu/00000123/variables/variables";

Tensor Strings(std::vector<std::string> v) { return Tensor::FromVector<std::string>(v); }

TEST(IoOpsTest, RestoreV2ReadsHalfPlusTwoVariables) {
  // y = a * x + b with a = 0.5, b = 2 (the model's definition).
  auto out = KernelTester("RestoreV2")
                 .Attr("dtypes", std::vector<DType>{DType::kFloat, DType::kFloat})
                 .Input(Tensor::Scalar<std::string>(kHalfPlusTwo))
                 .Input(Strings({"a", "b"}))
                 .Input(Strings({"", ""}))
                 .Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).scalar<float>(), 0.5f);
  EXPECT_EQ(out->at(1).scalar<float>(), 2.0f);
}

TEST(IoOpsTest, RestoreV2Errors) {
  auto wrong_type = KernelTester("RestoreV2")
                        .Attr("dtypes", std::vector<DType>{DType::kInt32})
                        .Input(Tensor::Scalar<std::string>(kHalfPlusTwo))
                        .Input(Strings({"a"}))
                        .Input(Strings({""}))
                        .Run(1);
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("is float in the checkpoint but int32 was expected"),
            std::string::npos);
  auto missing = KernelTester("RestoreV2")
                     .Attr("dtypes", std::vector<DType>{DType::kFloat})
                     .Input(Tensor::Scalar<std::string>(kHalfPlusTwo))
                     .Input(Strings({"no_such_key"}))
                     .Input(Strings({""}))
                     .Run(1);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no_such_key"), std::string::npos);
  auto no_bundle = KernelTester("RestoreV2")
                       .Attr("dtypes", std::vector<DType>{DType::kFloat})
                       .Input(Tensor::Scalar<std::string>("/nonexistent/variables"))
                       .Input(Strings({"a"}))
                       .Input(Strings({""}))
                       .Run(1);
  ASSERT_FALSE(no_bundle.ok());
  EXPECT_NE(no_bundle.status().message().find("/nonexistent/variables"), std::string::npos);
}

TEST(IoOpsTest, ReadFile) {
  auto out = KernelTester("ReadFile")
                 .Input(Tensor::Scalar<std::string>(std::string(STFS_MODELS_DIR) +
                                                    "/tensorflow/AssetModule/1/assets/test_asset.txt"))
                 .Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).scalar<std::string>(), "TEST ASSET FILE CONTENTS\n");
  auto missing = KernelTester("ReadFile").Input(Tensor::Scalar<std::string>("/no/such/file")).Run();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace stfs::kernels
