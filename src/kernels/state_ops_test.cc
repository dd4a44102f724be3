// Variables through the real executor: ref semantics (VariableV2 + Assign*),
// resource variables, snapshot isolation and concurrent updates.
#include "kernels/state_ops.h"

#include <gtest/gtest.h>

#include <thread>

#include "exec/test_util.h"
#include "kernels/kernel_tester.h"
#include "kernels/registry.h"

namespace stfs::kernels {
namespace {

using stfs::testing::ABool;
using stfs::testing::AShape;
using stfs::testing::AStr;
using stfs::testing::AType;
using stfs::testing::RunPlan;
using stfs::testing::TestGraph;

const auto kF = AType(DType::kFloat);

// The TF Serving saved_model_counter graph, rebuilt by hand.
TestGraph CounterGraph() {
  TestGraph g;
  g.Node("counter", "VariableV2", {}, {{"dtype", kF}, {"shape", AShape({})}});
  g.Const("zero", Tensor::Scalar<float>(0));
  g.Const("one", Tensor::Scalar<float>(1));
  g.Placeholder("delta", DType::kFloat);
  g.Node("reset", "Assign", {"counter", "zero"}, {{"T", kF}});
  g.Node("incr", "AssignAdd", {"counter", "one"}, {{"T", kF}});
  g.Node("incr_by", "AssignAdd", {"counter", "delta"}, {{"T", kF}});
  g.Node("read", "Identity", {"counter"}, {{"T", kF}});
  g.Node("is_init", "IsVariableInitialized", {"counter"}, {{"dtype", kF}});
  return g;
}

std::shared_ptr<const Plan> MustPlan(const TestGraph& g, std::vector<std::string> feeds,
                                     std::vector<std::string> fetches) {
  auto plan = g.MakePlan(std::move(feeds), std::move(fetches), {}, FindKernel);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return plan.ok() ? *plan : nullptr;
}

float RunScalar(const Plan& plan, ResourceManager* rm, std::vector<Tensor> feeds = {}) {
  auto out = RunPlan(plan, std::move(feeds), rm);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->at(0).scalar<float>() : -12345.0f;
}

TEST(StateOpsTest, CounterSequence) {
  TestGraph g = CounterGraph();
  auto get = MustPlan(g, {}, {"counter:0"});
  auto read = MustPlan(g, {}, {"read:0"});
  auto reset = MustPlan(g, {}, {"reset:0"});
  auto incr = MustPlan(g, {}, {"incr:0"});
  auto incr_by = MustPlan(g, {"delta:0"}, {"incr_by:0"});
  auto is_init = MustPlan(g, {}, {"is_init:0"});
  ResourceManager rm;
  // Before any assignment: reading fails, IsVariableInitialized says false.
  auto before = RunPlan(*read, {}, &rm);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(before.status().message(), "node 'read' (Identity): Attempting to use uninitialized value counter");
  auto init = RunPlan(*is_init, {}, &rm);
  ASSERT_TRUE(init.ok());
  EXPECT_FALSE(init->at(0).scalar<bool>());
  EXPECT_EQ(RunScalar(*reset, &rm), 0.0f);
  EXPECT_EQ(RunScalar(*incr, &rm), 1.0f);
  EXPECT_EQ(RunScalar(*incr, &rm), 2.0f);
  EXPECT_EQ(RunScalar(*incr_by, &rm, {Tensor::Scalar<float>(3.5f)}), 5.5f);
  EXPECT_EQ(RunScalar(*get, &rm), 5.5f);
  EXPECT_EQ(RunScalar(*read, &rm), 5.5f);
  EXPECT_EQ(RunScalar(*reset, &rm), 0.0f);
  EXPECT_EQ(RunScalar(*get, &rm), 0.0f);
  // Another model version (another ResourceManager) has its own variable.
  ResourceManager other;
  EXPECT_FALSE(RunPlan(*get, {}, &other).ok());
}

TEST(StateOpsTest, ConcurrentIncrementsAreAtomic) {
  TestGraph g = CounterGraph();
  auto reset = MustPlan(g, {}, {"reset:0"});
  auto incr = MustPlan(g, {}, {"incr:0"});
  auto get = MustPlan(g, {}, {"counter:0"});
  ResourceManager rm;
  RunScalar(*reset, &rm);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) RunPlan(*incr, {}, &rm).status().IgnoreError();
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(RunScalar(*get, &rm), 400.0f);
}

TEST(StateOpsTest, AssignValidatesShape) {
  TestGraph g;
  g.Node("v", "VariableV2", {}, {{"dtype", kF}, {"shape", AShape({2})}});
  g.Const("two", Tensor::FromVector<float>({1, 2}));
  g.Const("three", Tensor::FromVector<float>({1, 2, 3}));
  g.Node("set2", "Assign", {"v", "two"}, {{"T", kF}});
  g.Node("set3", "Assign", {"v", "three"}, {{"T", kF}});
  g.Node("set3_loose", "Assign", {"v", "three"}, {{"T", kF}, {"validate_shape", ABool(false)}});
  ResourceManager rm;
  ASSERT_TRUE(RunPlan(*MustPlan(g, {}, {"set2"}), {}, &rm).ok());
  auto bad = RunPlan(*MustPlan(g, {}, {"set3"}), {}, &rm);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "node 'set3' (Assign): Assign requires shapes of both tensors to match. lhs shape= [2] rhs shape= [3]");
  auto loose = RunPlan(*MustPlan(g, {}, {"set3_loose"}), {}, &rm);
  ASSERT_TRUE(loose.ok()) << loose.status().ToString();
  EXPECT_TRUE(TensorEquals(loose->at(0), Tensor::FromVector<float>({1, 2, 3})));
}

TestGraph ResourceVarGraph() {
  TestGraph g;
  g.Node("v", "VarHandleOp", {}, {{"dtype", kF}, {"shape", AShape({2})}, {"shared_name", AStr("weights")}});
  g.Const("init_value", Tensor::FromVector<float>({1, 2}));
  g.Const("delta", Tensor::FromVector<float>({10, 20}));
  g.Node("assign", "AssignVariableOp", {"v", "init_value"}, {{"dtype", kF}});
  g.Node("add", "AssignAddVariableOp", {"v", "delta"}, {{"dtype", kF}});
  g.Node("sub", "AssignSubVariableOp", {"v", "init_value"}, {{"dtype", kF}});
  g.Node("read", "ReadVariableOp", {"v"}, {{"dtype", kF}});
  g.Node("read_int", "ReadVariableOp", {"v"}, {{"dtype", AType(DType::kInt32)}});
  g.Node("is_init", "VarIsInitializedOp", {"v"});
  return g;
}

TEST(StateOpsTest, ResourceVariables) {
  TestGraph g = ResourceVarGraph();
  ResourceManager rm;
  auto is_init = MustPlan(g, {}, {"is_init"});
  auto read = MustPlan(g, {}, {"read"});
  auto init_before = RunPlan(*is_init, {}, &rm);
  ASSERT_TRUE(init_before.ok());
  EXPECT_FALSE(init_before->at(0).scalar<bool>());
  auto uninit = RunPlan(*read, {}, &rm);
  ASSERT_FALSE(uninit.ok());
  EXPECT_EQ(uninit.status().code(), Code::kFailedPrecondition);

  ASSERT_TRUE(RunPlan(*MustPlan(g, {}, {}), {}, &rm).ok());  // empty request is fine
  auto assign = g.MakePlan({}, {}, {"assign"}, FindKernel);
  ASSERT_TRUE(assign.ok());
  ASSERT_TRUE(RunPlan(**assign, {}, &rm).ok());
  auto first = RunPlan(*read, {}, &rm);
  ASSERT_TRUE(first.ok());
  Tensor snapshot = first->at(0);
  auto add = g.MakePlan({}, {}, {"add"}, FindKernel);
  ASSERT_TRUE(RunPlan(**add, {}, &rm).ok());
  auto second = RunPlan(*read, {}, &rm);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(TensorEquals(second->at(0), Tensor::FromVector<float>({11, 22})));
  // The value read before the update is unchanged (copy-on-write).
  EXPECT_TRUE(TensorEquals(snapshot, Tensor::FromVector<float>({1, 2})));
  auto sub = g.MakePlan({}, {}, {"sub"}, FindKernel);
  ASSERT_TRUE(RunPlan(**sub, {}, &rm).ok());
  EXPECT_TRUE(TensorEquals(RunPlan(*read, {}, &rm)->at(0), Tensor::FromVector<float>({10, 20})));
  EXPECT_TRUE(RunPlan(*is_init, {}, &rm)->at(0).scalar<bool>());
  auto wrong = RunPlan(*MustPlan(g, {}, {"read_int"}), {}, &rm);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("wrong dtype"), std::string::npos);
}

TEST(StateOpsTest, AssignAddNeedsInitializedVariable) {
  TestGraph g = CounterGraph();
  ResourceManager rm;
  auto out = RunPlan(*MustPlan(g, {}, {"incr"}), {}, &rm);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "node 'incr' (AssignAdd): Attempting to use uninitialized value counter");
}

}  // namespace
}  // namespace stfs::kernels
