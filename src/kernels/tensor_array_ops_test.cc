// TensorArray V3 through the executor, including the map_fn pattern (scatter
// an input, read/transform/write inside a TF1 while loop, gather the result).
#include "kernels/tensor_array_ops.h"

#include <gtest/gtest.h>

#include "exec/test_util.h"
#include "kernels/registry.h"

namespace stfs::kernels {
namespace {

using stfs::testing::ABool;
using stfs::testing::AInt;
using stfs::testing::AShape;
using stfs::testing::AStr;
using stfs::testing::AType;
using stfs::testing::RunPlan;
using stfs::testing::TestGraph;

const auto kF = AType(DType::kFloat);
const auto kI = AType(DType::kInt32);

TEST(TensorArrayTest, WriteReadGatherSize) {
  TestGraph g;
  g.Const("size", Tensor::Scalar<int32_t>(3));
  g.Node("ta", "TensorArrayV3", {"size"}, {{"dtype", kF}, {"clear_after_read", ABool(false)}});
  g.Const("i0", Tensor::Scalar<int32_t>(0));
  g.Const("i1", Tensor::Scalar<int32_t>(1));
  g.Const("i2", Tensor::Scalar<int32_t>(2));
  g.Const("v0", Tensor::FromVector<float>({1, 2}));
  g.Const("v1", Tensor::FromVector<float>({3, 4}));
  g.Const("v2", Tensor::FromVector<float>({5, 6}));
  g.Node("w0", "TensorArrayWriteV3", {"ta", "i0", "v0", "ta:1"}, {{"T", kF}});
  g.Node("w1", "TensorArrayWriteV3", {"ta", "i1", "v1", "w0"}, {{"T", kF}});
  g.Node("w2", "TensorArrayWriteV3", {"ta", "i2", "v2", "w1"}, {{"T", kF}});
  g.Const("order", Tensor::FromVector<int32_t>({2, 0}));
  g.Node("gather", "TensorArrayGatherV3", {"ta", "order", "w2"}, {{"dtype", kF}});
  g.Node("read1", "TensorArrayReadV3", {"ta", "i1", "w2"}, {{"dtype", kF}});
  g.Node("size_out", "TensorArraySizeV3", {"ta", "w2"});
  g.Node("concat", "TensorArrayConcatV3", {"ta", "w2"}, {{"dtype", kF}});
  auto plan = g.MakePlan({}, {"gather", "read1", "size_out", "concat:0", "concat:1"}, {}, FindKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(TensorEquals(out->at(0), Tensor::FromVector<float>({5, 6, 1, 2}, Shape{2, 2})));
  EXPECT_TRUE(TensorEquals(out->at(1), Tensor::FromVector<float>({3, 4})));
  EXPECT_EQ(out->at(2).scalar<int32_t>(), 3);
  EXPECT_TRUE(TensorEquals(out->at(3), Tensor::FromVector<float>({1, 2, 3, 4, 5, 6})));
  EXPECT_TRUE(TensorEquals(out->at(4), Tensor::FromVector<int64_t>({2, 2, 2})));
}

TEST(TensorArrayTest, ClearAfterReadAndDoubleWriteAreErrors) {
  TestGraph g;
  g.Const("size", Tensor::Scalar<int32_t>(2));
  g.Node("ta", "TensorArrayV3", {"size"}, {{"dtype", kF}});
  g.Const("i0", Tensor::Scalar<int32_t>(0));
  g.Const("v", Tensor::Scalar<float>(1));
  g.Node("w", "TensorArrayWriteV3", {"ta", "i0", "v", "ta:1"}, {{"T", kF}});
  g.Node("r1", "TensorArrayReadV3", {"ta", "i0", "w"}, {{"dtype", kF}});
  g.Node("r2", "TensorArrayReadV3", {"ta", "i0", "w", "^r1"}, {{"dtype", kF}});
  g.Node("w_again", "TensorArrayWriteV3", {"ta", "i0", "v", "w"}, {{"T", kF}});
  g.Const("i5", Tensor::Scalar<int32_t>(5));
  g.Node("w_oob", "TensorArrayWriteV3", {"ta", "i5", "v", "ta:1"}, {{"T", kF}});
  auto twice = RunPlan(**g.MakePlan({}, {"r2"}, {}, FindKernel), {});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("twice because it was cleared"), std::string::npos);
  auto rewrite = RunPlan(**g.MakePlan({}, {"w_again"}, {}, FindKernel), {});
  ASSERT_FALSE(rewrite.ok());
  EXPECT_NE(rewrite.status().message().find("already been written"), std::string::npos);
  auto oob = RunPlan(**g.MakePlan({}, {"w_oob"}, {}, FindKernel), {});
  ASSERT_FALSE(oob.ok());
  EXPECT_NE(oob.status().message().find("not resizeable"), std::string::npos);
}

// map_fn(lambda e: e * 2, x) as TF1 builds it.
TestGraph MapFnGraph() {
  TestGraph g;
  g.Placeholder("x", DType::kFloat);
  g.Placeholder("n", DType::kInt32);
  g.Placeholder("indices", DType::kInt32);  // range(n)
  g.Node("ta_in", "TensorArrayV3", {"n"}, {{"dtype", kF}, {"element_shape", AShape({})}});
  g.Node("scatter", "TensorArrayScatterV3", {"ta_in", "indices", "x", "ta_in:1"}, {{"T", kF}});
  g.Node("ta_out", "TensorArrayV3", {"n"}, {{"dtype", kF}, {"element_shape", AShape({})}});
  g.Const("zero", Tensor::Scalar<int32_t>(0));
  auto enter = [&](const std::string& name, const std::string& in, DType t, bool constant) {
    g.Node(name, "Enter", {in},
           {{"T", AType(t)}, {"frame_name", AStr("map/while")}, {"is_constant", ABool(constant)}});
  };
  enter("w/i_enter", "zero", DType::kInt32, false);
  enter("w/flow_enter", "ta_out:1", DType::kFloat, false);
  enter("w/n", "n", DType::kInt32, true);
  enter("w/ta_in", "ta_in", DType::kResource, true);
  enter("w/flow_in", "scatter", DType::kFloat, true);
  enter("w/ta_out", "ta_out", DType::kResource, true);
  g.Node("w/i_merge", "Merge", {"w/i_enter", "w/i_next"}, {{"T", kI}, {"N", AInt(2)}});
  g.Node("w/flow_merge", "Merge", {"w/flow_enter", "w/flow_next"}, {{"T", kF}, {"N", AInt(2)}});
  g.Node("w/less", "Less", {"w/i_merge", "w/n"}, {{"T", kI}});
  g.Node("w/cond", "LoopCond", {"w/less"});
  g.Node("w/i_sw", "Switch", {"w/i_merge", "w/cond"}, {{"T", kI}});
  g.Node("w/flow_sw", "Switch", {"w/flow_merge", "w/cond"}, {{"T", kF}});
  g.Node("w/i", "Identity", {"w/i_sw:1"}, {{"T", kI}});
  g.Node("w/flow", "Identity", {"w/flow_sw:1"}, {{"T", kF}});
  g.Node("w/elem", "TensorArrayReadV3", {"w/ta_in", "w/i", "w/flow_in"}, {{"dtype", kF}});
  g.Node("w/two", "Const", {"^w/i"}, {{"dtype", kF}, {"value", stfs::testing::ATensor(Tensor::Scalar<float>(2))}});
  g.Node("w/doubled", "Mul", {"w/elem", "w/two"}, {{"T", kF}});
  g.Node("w/write", "TensorArrayWriteV3", {"w/ta_out", "w/i", "w/doubled", "w/flow"}, {{"T", kF}});
  g.Node("w/one", "Const", {"^w/i"}, {{"dtype", kI}, {"value", stfs::testing::ATensor(Tensor::Scalar<int32_t>(1))}});
  g.Node("w/i_new", "Add", {"w/i", "w/one"}, {{"T", kI}});
  g.Node("w/i_next", "NextIteration", {"w/i_new"}, {{"T", kI}});
  g.Node("w/flow_next", "NextIteration", {"w/write"}, {{"T", kF}});
  g.Node("w/flow_exit", "Exit", {"w/flow_sw:0"}, {{"T", kF}});
  g.Node("size", "TensorArraySizeV3", {"ta_out", "w/flow_exit"});
  g.Node("result", "TensorArrayGatherV3", {"ta_out", "indices", "w/flow_exit"},
         {{"dtype", kF}, {"element_shape", AShape({})}});
  return g;
}

TEST(TensorArrayTest, MapFnInsideWhileLoop) {
  auto plan = MapFnGraph().MakePlan({"x", "n", "indices"}, {"result", "size"}, {}, FindKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {Tensor::FromVector<float>({1, -2, 3.5f, 0}), Tensor::Scalar<int32_t>(4),
                              Tensor::FromVector<int32_t>({0, 1, 2, 3})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(TensorEquals(out->at(0), Tensor::FromVector<float>({2, -4, 7, 0})));
  EXPECT_EQ(out->at(1).scalar<int32_t>(), 4);
  // Zero elements: the loop body never runs; gather uses the element shape.
  auto empty = RunPlan(**plan, {Tensor(DType::kFloat, Shape{0}), Tensor::Scalar<int32_t>(0), Tensor(DType::kInt32, Shape{0})});
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(empty->at(0).shape(), Shape{0});
}

}  // namespace
}  // namespace stfs::kernels
