#include "exec/executor.h"

#include <gtest/gtest.h>

#include <thread>

#include "exec/test_util.h"

namespace stfs {
namespace {

using testing::AType;
using testing::FindTestKernel;
using testing::RunPlan;
using testing::TestGraph;

TEST(ExecutorTest, FeedsAndFetches) {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Const("two", Tensor::Scalar<int32_t>(2));
  g.Node("sum", "Add", {"x", "two"}, {{"T", AType(DType::kInt32)}});
  g.Node("prod", "Mul", {"sum", "x"}, {{"T", AType(DType::kInt32)}});
  auto plan = g.MakePlan({"x:0"}, {"prod:0", "sum", "x:0"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {Tensor::FromVector<int32_t>({1, 2, 3})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // (x + 2) * x
  EXPECT_TRUE(TensorEquals(out->at(0), Tensor::FromVector<int32_t>({3, 8, 15})));
  EXPECT_TRUE(TensorEquals(out->at(1), Tensor::FromVector<int32_t>({3, 4, 5})));
  EXPECT_TRUE(TensorEquals(out->at(2), Tensor::FromVector<int32_t>({1, 2, 3})));
}

TEST(ExecutorTest, UnfedPlaceholderFailsWithNodePrefix) {
  TestGraph g;
  g.Placeholder("x", DType::kFloat);
  g.Node("y", "Identity", {"x"}, {{"T", AType(DType::kFloat)}});
  auto plan = g.MakePlan({}, {"y:0"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "node 'x' (Placeholder): You must feed a value for placeholder tensor 'x'");
}

TEST(ExecutorTest, FeedDtypeIsChecked) {
  TestGraph g;
  g.Placeholder("x", DType::kFloat);
  g.Node("y", "Identity", {"x"}, {{"T", AType(DType::kFloat)}});
  auto plan = g.MakePlan({"x"}, {"y:0"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  auto out = RunPlan(**plan, {Tensor::Scalar<int64_t>(1)});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "feed 'x' expects float but got int64");
}

// Records whether its input buffer was exclusively owned when it ran.
class ForwardProbe : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    Tensor in = ctx->release_input(0);
    ctx->set_output(0, Tensor::Scalar<bool>(in.RefCountIsOne()));
    return Status::OK();
  }
};
StatusOr<std::unique_ptr<OpKernel>> MakeProbe(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new ForwardProbe());
}
const KernelRegistration kProbe{"Probe", &MakeProbe};
const KernelRegistration* ProbeLookup(std::string_view op) {
  return op == "Probe" ? &kProbe : FindTestKernel(op);
}

TEST(ExecutorTest, LastConsumerReceivesTheBuffer) {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Node("sum", "Add", {"x", "x"});       // fresh buffer, one consumer
  g.Node("probe", "Probe", {"sum"});
  g.Node("shared", "Add", {"x", "x"});    // fresh buffer, also fetched
  g.Node("probe2", "Probe", {"shared"});
  auto plan = g.MakePlan({"x"}, {"probe:0", "probe2:0", "shared:0"}, {}, ProbeLookup);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto out = RunPlan(**plan, {Tensor::FromVector<int32_t>({1, 2})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->at(0).scalar<bool>());
  EXPECT_FALSE(out->at(1).scalar<bool>());  // the fetch still holds it
}

TEST(ExecutorTest, ConcurrentRunsOnOnePlan) {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Const("three", Tensor::Scalar<int32_t>(3));
  g.Node("y", "Mul", {"x", "three"});
  g.Node("z", "Add", {"y", "x"});
  auto plan = g.MakePlan({"x"}, {"z"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        int32_t v = t * 1000 + i;
        auto out = RunPlan(**plan, {Tensor::Scalar<int32_t>(v)});
        if (!out.ok() || out->at(0).scalar<int32_t>() != 4 * v) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ExecutorTest, TargetsRunForEffectOnly) {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Node("check", "Identity", {"x"});
  g.Node("group", "NoOp", {"^check"});
  auto plan = g.MakePlan({}, {}, {"group"}, FindTestKernel);
  ASSERT_TRUE(plan.ok());
  auto out = RunPlan(**plan, {});
  ASSERT_FALSE(out.ok());  // the unfed placeholder runs because the target needs it
  EXPECT_NE(out.status().message().find("node 'x' (Placeholder)"), std::string::npos);
}

TEST(ExecutorTest, OnlyPlansWithoutControlFlowAreStraightLine) {
  TestGraph plain;
  plain.Placeholder("x", DType::kInt32);
  plain.Node("y", "Identity", {"x"});
  auto p1 = plain.MakePlan({"x"}, {"y"}, {}, FindTestKernel);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_TRUE((*p1)->straight_line());
  EXPECT_EQ((*p1)->order().size(), (*p1)->nodes().size());

  TestGraph branchy;
  branchy.Placeholder("x", DType::kInt32);
  branchy.Placeholder("p", DType::kBool);
  branchy.Node("s", "Switch", {"x", "p"}, {{"T", AType(DType::kInt32)}});
  branchy.Node("m", "Merge", {"s:0", "s:1"}, {{"T", AType(DType::kInt32)}, {"N", testing::AInt(2)}});
  auto p2 = branchy.MakePlan({"x", "p"}, {"m"}, {}, FindTestKernel);
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_FALSE((*p2)->straight_line());
}

// Appends its node name to a per-thread log: shows execution order.
thread_local std::vector<std::string> run_log;
class RecordKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    run_log.emplace_back(ctx->node_name());
    ctx->set_output(0, Tensor::Scalar<int32_t>(static_cast<int32_t>(run_log.size())));
    return Status::OK();
  }
};
StatusOr<std::unique_ptr<OpKernel>> MakeRecord(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new RecordKernel());
}
const KernelRegistration kRecord{"Record", &MakeRecord};
const KernelRegistration* RecordLookup(std::string_view op) {
  return op == "Record" ? &kRecord : FindTestKernel(op);
}

TEST(ExecutorTest, ControlEdgesOrderAStraightLineRun) {
  // Graph order is late, middle, early; control edges demand early -> middle -> late.
  TestGraph g;
  g.Node("late", "Record", {"^middle"});
  g.Node("middle", "Record", {"^early"});
  g.Node("early", "Record", {});
  auto plan = g.MakePlan({}, {"late"}, {}, RecordLookup);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_TRUE((*plan)->straight_line());
  run_log.clear();
  auto out = RunPlan(**plan, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(run_log, (std::vector<std::string>{"early", "middle", "late"}));
  EXPECT_EQ(out->at(0).scalar<int32_t>(), 3);
}

TEST(ExecutorTest, StraightLineErrorNamesNodeAndLeavesPlanReusable) {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Node("y", "Add", {"x", "x"});
  auto plan = g.MakePlan({}, {"y"}, {}, FindTestKernel);  // x unfed: fails
  ASSERT_TRUE(plan.ok());
  for (int i = 0; i < 2; ++i) {
    auto out = RunPlan(**plan, {});
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.status().message(),
              "node 'x' (Placeholder): You must feed a value for placeholder tensor 'x'");
  }
}

}  // namespace
}  // namespace stfs
