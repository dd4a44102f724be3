// TF1 control flow: Switch/Merge conditionals, while loops (frames and
// iterations), nested loops, dead loops, and runaway-loop protection.
#include <gtest/gtest.h>

#include "exec/executor.h"
#include "exec/test_util.h"

namespace stfs {
namespace {

using testing::ABool;
using testing::AStr;
using testing::AType;
using testing::FindTestKernel;
using testing::RunPlan;
using testing::TestGraph;

const auto kI32 = AType(DType::kInt32);

// cond(pred, x * 2, x + 100); the false branch also depends on an unfed
// placeholder "boom" that must only run when that branch is taken.
TestGraph CondGraph() {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Placeholder("pred", DType::kBool);
  g.Node("boom", "Placeholder", {"^f_id"}, {{"dtype", kI32}});
  g.Node("sw", "Switch", {"x", "pred"}, {{"T", kI32}});
  g.Node("t_id", "Identity", {"sw:1"}, {{"T", kI32}});
  g.Node("f_id", "Identity", {"sw:0"}, {{"T", kI32}});
  g.Node("two", "Const", {"^t_id"}, {{"dtype", kI32}, {"value", testing::ATensor(Tensor::Scalar<int32_t>(2))}});
  g.Node("hundred", "Const", {"^f_id"}, {{"dtype", kI32}, {"value", testing::ATensor(Tensor::Scalar<int32_t>(100))}});
  g.Node("t_val", "Mul", {"t_id", "two"});
  g.Node("f_val", "Add", {"f_id", "hundred"});
  g.Node("boom_gate", "Identity", {"boom", "^f_id"}, {{"T", kI32}});
  g.Node("f_out", "Add", {"f_val", "boom_gate"});
  g.Node("merge", "Merge", {"f_out", "t_val"}, {{"T", kI32}, {"N", testing::AInt(2)}});
  return g;
}

TEST(ControlFlowTest, CondTakesTrueBranchWithoutRunningTheOther) {
  auto plan = CondGraph().MakePlan({"x", "pred"}, {"merge:0", "merge:1"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(21), Tensor::Scalar<bool>(true)});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).scalar<int32_t>(), 42);
  EXPECT_EQ(out->at(1).scalar<int32_t>(), 1);  // value_index: input 1 (t_val)
}

TEST(ControlFlowTest, CondFalseBranchRunsIt) {
  auto plan = CondGraph().MakePlan({"x", "pred", "boom"}, {"merge:0", "merge:1"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(1), Tensor::Scalar<bool>(false), Tensor::Scalar<int32_t>(5)});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).scalar<int32_t>(), 106);  // 1 + 100 + 5
  EXPECT_EQ(out->at(1).scalar<int32_t>(), 0);
  // Without feeding boom the taken false branch fails on it.
  auto plan2 = CondGraph().MakePlan({"x", "pred"}, {"merge:0"}, {}, FindTestKernel);
  ASSERT_TRUE(plan2.ok());
  auto out2 = RunPlan(**plan2, {Tensor::Scalar<int32_t>(1), Tensor::Scalar<bool>(false)});
  ASSERT_FALSE(out2.ok());
  EXPECT_NE(out2.status().message().find("node 'boom' (Placeholder)"), std::string::npos);
}

TEST(ControlFlowTest, FetchingADeadTensorIsAnError) {
  auto plan = CondGraph().MakePlan({"x", "pred"}, {"t_val"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(1), Tensor::Scalar<bool>(false)});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("untaken control-flow branch"), std::string::npos);
}

TEST(ControlFlowTest, SwitchNeedsScalarBoolPredicate) {
  auto plan = CondGraph().MakePlan({"x", "pred"}, {"merge:0"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  Tensor bad_pred = Tensor::FromVector<bool>({true, false});
  auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(1), bad_pred});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("node 'sw' (Switch): pred must be a scalar bool"), std::string::npos)
      << out.status().ToString();
}

// Adds "while i < limit: i += 1; s += i_old" in frame `frame`, with prefix p.
// `limit`, `i0`, `s0` are tensors of the enclosing frame. Exits: p/i_exit, p/s_exit.
void AddSumLoop(TestGraph& g, const std::string& p, const std::string& frame, const std::string& limit,
                const std::string& i0, const std::string& s0, const std::string& s_step = "") {
  auto enter = [&](const std::string& name, const std::string& in, bool constant) {
    g.Node(p + name, "Enter", {in},
           {{"T", kI32}, {"frame_name", AStr(frame)}, {"is_constant", ABool(constant)},
            {"parallel_iterations", testing::AInt(10)}});
  };
  enter("/i_enter", i0, false);
  enter("/s_enter", s0, false);
  enter("/limit", limit, true);
  g.Node(p + "/i_merge", "Merge", {p + "/i_enter", p + "/i_next"}, {{"T", kI32}, {"N", testing::AInt(2)}});
  g.Node(p + "/s_merge", "Merge", {p + "/s_enter", p + "/s_next"}, {{"T", kI32}, {"N", testing::AInt(2)}});
  g.Node(p + "/less", "Less", {p + "/i_merge", p + "/limit"});
  g.Node(p + "/cond", "LoopCond", {p + "/less"});
  g.Node(p + "/i_sw", "Switch", {p + "/i_merge", p + "/cond"}, {{"T", kI32}});
  g.Node(p + "/s_sw", "Switch", {p + "/s_merge", p + "/cond"}, {{"T", kI32}});
  g.Node(p + "/i", "Identity", {p + "/i_sw:1"}, {{"T", kI32}});
  g.Node(p + "/s", "Identity", {p + "/s_sw:1"}, {{"T", kI32}});
  g.Node(p + "/one", "Const", {"^" + p + "/i"},
         {{"dtype", kI32}, {"value", testing::ATensor(Tensor::Scalar<int32_t>(1))}});
  g.Node(p + "/i_new", "Add", {p + "/i", p + "/one"});
  g.Node(p + "/s_new", "Add", {p + "/s", s_step.empty() ? p + "/i" : s_step});
  g.Node(p + "/i_next", "NextIteration", {p + "/i_new"}, {{"T", kI32}});
  g.Node(p + "/s_next", "NextIteration", {p + "/s_new"}, {{"T", kI32}});
  g.Node(p + "/i_exit", "Exit", {p + "/i_sw:0"}, {{"T", kI32}});
  g.Node(p + "/s_exit", "Exit", {p + "/s_sw:0"}, {{"T", kI32}});
}

TestGraph SumGraph() {
  TestGraph g;
  g.Placeholder("n", DType::kInt32);
  g.Const("zero", Tensor::Scalar<int32_t>(0));
  AddSumLoop(g, "loop", "loop_frame", "n", "zero", "zero");
  return g;
}

TEST(ControlFlowTest, WhileLoopTripCountFromFeed) {
  auto plan = SumGraph().MakePlan({"n"}, {"loop/s_exit", "loop/i_exit"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  for (int n : {0, 1, 5, 100, 1000}) {
    auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(n)});
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(out->at(0).scalar<int32_t>(), n * (n - 1) / 2) << "n=" << n;  // 0 + 1 + ... + n-1
    EXPECT_EQ(out->at(1).scalar<int32_t>(), n);
  }
}

TEST(ControlFlowTest, NestedLoops) {
  // outer: for i in [0, n): total = inner(total, i) where inner adds 1, i times.
  TestGraph g;
  g.Placeholder("n", DType::kInt32);
  g.Const("zero", Tensor::Scalar<int32_t>(0));
  AddSumLoop(g, "outer", "outer_frame", "n", "zero", "zero", "outer/inner/s_exit");
  // The inner loop runs in the outer body: limit = outer i, start total = outer s.
  g.Node("outer/inner_zero", "Const", {"^outer/i"},
         {{"dtype", kI32}, {"value", testing::ATensor(Tensor::Scalar<int32_t>(0))}});
  AddSumLoop(g, "outer/inner", "inner_frame", "outer/i", "outer/inner_zero", "outer/s", "outer/inner/one");
  auto plan = g.MakePlan({"n"}, {"outer/s_exit", "outer/i_exit"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  for (int n : {0, 1, 4, 20}) {
    auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(n)});
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    // total after iteration i = previous total + (previous total + i) ... see below.
    // outer body: s_new = s + inner_result where inner_result = s + i (inner adds 1 i times to s).
    int64_t s = 0;
    for (int i = 0; i < n; ++i) s = s + (s + i);
    EXPECT_EQ(out->at(0).scalar<int32_t>(), s) << "n=" << n;
    EXPECT_EQ(out->at(1).scalar<int32_t>(), n);
  }
}

TEST(ControlFlowTest, LoopInUntakenBranchIsDead) {
  TestGraph g = SumGraph();
  g.Placeholder("pred", DType::kBool);
  // Gate the loop's input through a switch: the loop only runs when pred is true.
  g.Node("gate", "Switch", {"n", "pred"}, {{"T", kI32}});
  // Rewire: the loop limit comes from gate:1 instead of n.
  for (auto& node : *g.def().mutable_node()) {
    if (node.name() == "loop/limit") node.set_input(0, "gate:1");
  }
  g.Node("other", "Identity", {"gate:0"}, {{"T", kI32}});
  g.Node("result", "Merge", {"loop/s_exit", "other"}, {{"T", kI32}, {"N", testing::AInt(2)}});
  auto plan = g.MakePlan({"n", "pred"}, {"result:0", "result:1"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto taken = RunPlan(**plan, {Tensor::Scalar<int32_t>(4), Tensor::Scalar<bool>(true)});
  ASSERT_TRUE(taken.ok()) << taken.status().ToString();
  EXPECT_EQ(taken->at(0).scalar<int32_t>(), 6);
  EXPECT_EQ(taken->at(1).scalar<int32_t>(), 0);
  auto skipped = RunPlan(**plan, {Tensor::Scalar<int32_t>(4), Tensor::Scalar<bool>(false)});
  ASSERT_TRUE(skipped.ok()) << skipped.status().ToString();
  EXPECT_EQ(skipped->at(0).scalar<int32_t>(), 4);  // "other" passes n through
  EXPECT_EQ(skipped->at(1).scalar<int32_t>(), 1);
}

TEST(ControlFlowTest, RunawayLoopHitsIterationCapAndDeadline) {
  // limit is huge: the cap or the deadline must stop it.
  auto plan = SumGraph().MakePlan({"n"}, {"loop/s_exit"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  RunOptions capped;
  capped.max_loop_iterations = 1000;
  auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(2000000000)}, nullptr, capped);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted);
  EXPECT_NE(out.status().message().find("loop_frame"), std::string::npos);

  RunOptions timed;
  timed.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  auto out2 = RunPlan(**plan, {Tensor::Scalar<int32_t>(2000000000)}, nullptr, timed);
  ASSERT_FALSE(out2.ok());
  EXPECT_EQ(out2.status().code(), Code::kDeadlineExceeded);
}

TEST(ControlFlowTest, ErrorInsideLoopBodyStopsTheRun) {
  TestGraph g = SumGraph();
  g.Placeholder("boom", DType::kInt32);
  for (auto& node : *g.def().mutable_node()) {
    if (node.name() == "loop/s_new") node.set_input(1, "loop/boom_in");
  }
  g.Node("loop/boom_in", "Enter", {"boom"},
         {{"T", kI32}, {"frame_name", AStr("loop_frame")}, {"is_constant", ABool(true)}});
  auto plan = g.MakePlan({"n"}, {"loop/s_exit"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(3)});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("node 'boom' (Placeholder)"), std::string::npos);
}

TEST(ControlFlowTest, ConcurrentLoops) {
  auto plan = SumGraph().MakePlan({"n"}, {"loop/s_exit"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 40; ++k) {
        int n = (t * 7 + k) % 50;
        auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(n)});
        if (!out.ok() || out->at(0).scalar<int32_t>() != n * (n - 1) / 2) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace stfs
