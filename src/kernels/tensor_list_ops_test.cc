#include "kernels/tensor_list_ops.h"

#include <gtest/gtest.h>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::KernelTester;

Tensor Shape1(std::vector<int32_t> dims) {
  return Tensor::FromVector<int32_t>(dims, Shape{static_cast<int64_t>(dims.size())});
}
Tensor UnknownShape() { return Tensor::Scalar<int32_t>(-1); }
Tensor I(int32_t v) { return Tensor::Scalar<int32_t>(v); }

std::vector<float> Floats(const Tensor& t) { return {t.data<float>(), t.data<float>() + t.NumElements()}; }

Tensor One(const std::string& op, std::vector<Tensor> inputs, DType element_dtype = DType::kFloat) {
  KernelTester k(op);
  k.Attr("element_dtype", element_dtype);
  for (Tensor& t : inputs) k.Input(std::move(t));
  auto out = k.Run();
  EXPECT_TRUE(out.ok()) << op << ": " << out.status().ToString();
  return out.ok() ? (*out)[0] : Tensor();
}

int32_t Length(const Tensor& list) { return One("TensorListLength", {list}).scalar<int32_t>(); }

TEST(TensorListTest, ReserveSetItemStackWithValueSemantics) {
  Tensor list = One("TensorListReserve", {Shape1({2}), I(3)});
  EXPECT_EQ(Length(list), 3);
  Tensor set = One("TensorListSetItem", {list, I(1), Tensor::FromVector<float>({1, 2}, Shape{2})});
  Tensor stacked = One("TensorListStack", {set, Shape1({2})});
  EXPECT_EQ(stacked.shape(), (Shape{3, 2}));
  EXPECT_EQ(Floats(stacked), (std::vector<float>{0, 0, 1, 2, 0, 0}));
  // The input list is unchanged: its item 1 is still unset (zeros).
  Tensor old = One("TensorListGetItem", {list, I(1), Shape1({2})});
  EXPECT_EQ(Floats(old), (std::vector<float>{0, 0}));
  Tensor now = One("TensorListGetItem", {set, I(1), Shape1({2})});
  EXPECT_EQ(Floats(now), (std::vector<float>{1, 2}));
}

TEST(TensorListTest, FromTensorGetItemGather) {
  Tensor list = One("TensorListFromTensor", {Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, Shape{3, 2}), UnknownShape()});
  EXPECT_EQ(Length(list), 3);
  EXPECT_EQ(Floats(One("TensorListGetItem", {list, I(2), UnknownShape()})), (std::vector<float>{5, 6}));
  Tensor g = One("TensorListGather", {list, Tensor::FromVector<int32_t>({2, 0}, Shape{2}), UnknownShape()});
  EXPECT_EQ(g.shape(), (Shape{2, 2}));
  EXPECT_EQ(Floats(g), (std::vector<float>{5, 6, 1, 2}));
  Tensor es = One("TensorListElementShape", {list});
  EXPECT_EQ(es.shape(), (Shape{1}));
  EXPECT_EQ(es.data<int32_t>()[0], 2);
}

TEST(TensorListTest, PushBackPopBack) {
  Tensor list = One("EmptyTensorList", {UnknownShape(), I(-1)});
  EXPECT_EQ(Length(list), 0);
  list = One("TensorListPushBack", {list, Tensor::Scalar<float>(1)});
  Tensor two = One("TensorListPushBack", {list, Tensor::Scalar<float>(2)});
  EXPECT_EQ(Length(two), 2);
  KernelTester pop("TensorListPopBack");
  pop.Attr("element_dtype", DType::kFloat).Input(two).Input(UnknownShape());
  auto out = pop.Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Length((*out)[0]), 1);
  EXPECT_FLOAT_EQ((*out)[1].scalar<float>(), 2.0f);
  EXPECT_EQ(Length(two), 2);  // value semantics
  // Popping an empty list fails.
  KernelTester empty_pop("TensorListPopBack");
  empty_pop.Attr("element_dtype", DType::kFloat).Input(One("EmptyTensorList", {UnknownShape(), I(-1)})).Input(UnknownShape());
  EXPECT_FALSE(empty_pop.Run(2).ok());
  // A full list refuses more items.
  Tensor capped = One("EmptyTensorList", {UnknownShape(), I(1)});
  capped = One("TensorListPushBack", {capped, Tensor::Scalar<float>(1)});
  KernelTester push("TensorListPushBack");
  push.Attr("element_dtype", DType::kFloat).Input(capped).Input(Tensor::Scalar<float>(2));
  EXPECT_FALSE(push.Run().ok());
}

TEST(TensorListTest, ScatterAndScatterV2) {
  Tensor rows = Tensor::FromVector<float>({1, 2}, Shape{2, 1});
  Tensor list = One("TensorListScatter", {rows, Tensor::FromVector<int32_t>({3, 0}, Shape{2}), UnknownShape()});
  EXPECT_EQ(Length(list), 4);
  Tensor stacked = One("TensorListStack", {list, Shape1({1})});
  EXPECT_EQ(stacked.shape(), (Shape{4, 1}));
  EXPECT_EQ(Floats(stacked), (std::vector<float>{2, 0, 0, 1}));
  Tensor v2 = One("TensorListScatterV2", {rows, Tensor::FromVector<int32_t>({3, 0}, Shape{2}), UnknownShape(), I(6)});
  EXPECT_EQ(Length(v2), 6);
}

TEST(TensorListTest, SplitAndConcat) {
  Tensor t = Tensor::FromVector<float>({1, 2, 3, 4, 5}, Shape{5});
  Tensor list = One("TensorListSplit", {t, UnknownShape(), Tensor::FromVector<int64_t>({2, 3}, Shape{2})});
  EXPECT_EQ(Length(list), 2);
  EXPECT_EQ(Floats(One("TensorListGetItem", {list, I(1), UnknownShape()})), (std::vector<float>{3, 4, 5}));
  KernelTester concat("TensorListConcatV2");
  concat.Attr("element_dtype", DType::kFloat).Input(list).Input(UnknownShape()).Input(Tensor::FromVector<int64_t>({}, Shape{0}));
  auto out = concat.Run(2);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Floats((*out)[0]), (std::vector<float>{1, 2, 3, 4, 5}));
  EXPECT_EQ((*out)[1].data<int64_t>()[0], 2);
  EXPECT_EQ((*out)[1].data<int64_t>()[1], 3);
  // Lengths that do not cover the tensor are rejected.
  KernelTester bad("TensorListSplit");
  bad.Attr("element_dtype", DType::kFloat).Input(t).Input(UnknownShape()).Input(Tensor::FromVector<int64_t>({2, 2}, Shape{2}));
  EXPECT_FALSE(bad.Run().ok());
}

TEST(TensorListTest, ElementShapeUnknownRankAndDims) {
  Tensor unknown = One("EmptyTensorList", {UnknownShape(), I(-1)});
  Tensor es = One("TensorListElementShape", {unknown});
  EXPECT_EQ(es.rank(), 0);
  EXPECT_EQ(es.scalar<int32_t>(), -1);
  Tensor partial = One("TensorListReserve", {Shape1({-1, 3}), I(0)});
  es = One("TensorListElementShape", {partial});
  EXPECT_EQ(es.shape(), (Shape{2}));
  EXPECT_EQ(es.data<int32_t>()[0], -1);
  EXPECT_EQ(es.data<int32_t>()[1], 3);
}

TEST(TensorListTest, BadInputsAreErrors) {
  Tensor list = One("TensorListReserve", {Shape1({2}), I(2)});
  KernelTester get("TensorListGetItem");
  get.Attr("element_dtype", DType::kFloat).Input(list).Input(I(2)).Input(Shape1({2}));
  EXPECT_FALSE(get.Run().ok());  // index out of range
  KernelTester set("TensorListSetItem");
  set.Attr("element_dtype", DType::kFloat).Input(list).Input(I(0)).Input(Tensor::FromVector<int32_t>({1, 2}, Shape{2}));
  EXPECT_FALSE(set.Run().ok());  // wrong dtype
  KernelTester shape("TensorListSetItem");
  shape.Attr("element_dtype", DType::kFloat).Input(list).Input(I(0)).Input(Tensor::FromVector<float>({1, 2, 3}, Shape{3}));
  EXPECT_FALSE(shape.Run().ok());  // wrong shape
  KernelTester huge("TensorListReserve");
  huge.Attr("element_dtype", DType::kFloat).Input(Shape1({2})).Input(Tensor::Scalar<int64_t>(int64_t{1} << 40));
  EXPECT_FALSE(huge.Run().ok());
  KernelTester unknown_stack("TensorListStack");
  unknown_stack.Attr("element_dtype", DType::kFloat)
      .Input(One("TensorListReserve", {UnknownShape(), I(2)}))
      .Input(UnknownShape());
  EXPECT_FALSE(unknown_stack.Run().ok());  // unset items of unknown shape
}

}  // namespace
}  // namespace stfs::kernels
