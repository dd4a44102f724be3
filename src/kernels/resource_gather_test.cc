// ResourceGather / ResourceGatherNd on a variable assigned with
// AssignVariableOp through the same resources.
#include "kernels/resource_gather.h"

#include <gtest/gtest.h>

#include "kernels/kernel_tester.h"
#include "kernels/misc_test_util.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::MakeAttr;
using testing::SharedRunner;

Tensor Handle(SharedRunner& r, DType dtype) {
  auto h = r.Run("VarHandleOp", {}, {{"dtype", MakeAttr(dtype)}, {"shape", MakeAttr(PartialShape())},
                                     {"shared_name", MakeAttr("emb")}});
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? h->at(0) : Tensor();
}

// emb = [[0, 1], [10, 11], [20, 21]] (float).
Tensor AssignEmb(SharedRunner& r) {
  Tensor h = Handle(r, DType::kFloat);
  auto a = r.Run("AssignVariableOp", {h, Tensor::FromVector<float>({0, 1, 10, 11, 20, 21}, Shape{3, 2})},
                 {{"dtype", MakeAttr(DType::kFloat)}}, 0);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return h;
}

StatusOr<std::vector<Tensor>> Gather(SharedRunner& r, const Tensor& h, Tensor indices, int64_t batch_dims = 0,
                                     DType dtype = DType::kFloat) {
  return r.Run("ResourceGather", {h, std::move(indices)},
               {{"dtype", MakeAttr(dtype)}, {"batch_dims", MakeAttr(batch_dims)},
                {"validate_indices", MakeAttr(true)}});
}

TEST(ResourceGatherTest, RowsByIndices) {
  SharedRunner r;
  Tensor h = AssignEmb(r);
  auto out = Gather(r, h, Tensor::FromVector<int32_t>({2, 0, 2, 1}, Shape{2, 2}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<float>({20, 21, 0, 1, 20, 21, 10, 11}, Shape{2, 2, 2}));
  auto scalar = Gather(r, h, Tensor::Scalar<int64_t>(1));
  ASSERT_TRUE(scalar.ok());
  ExpectTensorEq(scalar->at(0), Tensor::FromVector<float>({10, 11}, Shape{2}));
}

TEST(ResourceGatherTest, BatchDims) {
  SharedRunner r;
  Tensor h = AssignEmb(r);
  // batch_dims=1: row b picks column indices[b].
  auto out = Gather(r, h, Tensor::FromVector<int32_t>({1, 0, 1}, Shape{3}), 1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<float>({1, 10, 21}, Shape{3}));
}

TEST(ResourceGatherTest, Errors) {
  SharedRunner r;
  Tensor h = Handle(r, DType::kFloat);
  auto uninit = Gather(r, h, Tensor::FromVector<int32_t>({0}));
  ASSERT_FALSE(uninit.ok());
  EXPECT_EQ(uninit.status().code(), Code::kFailedPrecondition);
  AssignEmb(r);
  auto range = Gather(r, h, Tensor::FromVector<int32_t>({1, 3}));
  ASSERT_FALSE(range.ok());
  EXPECT_NE(range.status().message().find("indices[1] = 3 is not in [0, 3)"), std::string::npos)
      << range.status().message();
  auto dtype = Gather(r, h, Tensor::FromVector<int32_t>({0}), 0, DType::kInt32);
  ASSERT_FALSE(dtype.ok());
  EXPECT_NE(dtype.status().message().find("emb"), std::string::npos);
}

TEST(ResourceGatherTest, GatherNd) {
  SharedRunner r;
  Tensor h = AssignEmb(r);
  auto out = r.Run("ResourceGatherNd", {h, Tensor::FromVector<int64_t>({2, 1, 0, 0}, Shape{2, 2})},
                   {{"dtype", MakeAttr(DType::kFloat)}});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<float>({21, 0}));
}

}  // namespace
}  // namespace stfs::kernels
