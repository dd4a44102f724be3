#include "exec/plan.h"

#include <gtest/gtest.h>

#include "exec/test_util.h"

namespace stfs {
namespace {

using testing::AType;
using testing::FindTestKernel;
using testing::TestGraph;

TestGraph ServingGraph() {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Node("y", "Identity", {"x"}, {{"T", AType(DType::kInt32)}});
  // Training / save leftovers: their ops have no kernel and must be pruned.
  g.Node("save/SaveV2", "SaveV2", {"x", "x", "x", "x"},
         {{"dtypes", testing::ATypeList({DType::kInt32})}});
  g.Node("summary", "ScalarSummary", {"x", "x"});
  g.Node("train", "NoOp", {}, {});
  return g;
}

TEST(PlanTest, PrunesToFetches) {
  auto plan = ServingGraph().MakePlan({"x:0"}, {"y:0"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  // One feed node plus y; the fed placeholder itself is not executed.
  ASSERT_EQ((*plan)->nodes().size(), 2u);
  EXPECT_EQ((*plan)->nodes()[0].kind, NodeKind::kFeed);
  EXPECT_EQ((*plan)->nodes()[1].name, "y");
}

TEST(PlanTest, MissingKernelNamesOpNodeAndPurpose) {
  TestGraph g;
  g.Placeholder("input", DType::kInt32);
  g.Node("zero_out", "ZeroOut", {"input"}, {{"T", AType(DType::kInt32)}});
  auto plan = g.MakePlan({"input:0"}, {"zero_out:0"}, {}, FindTestKernel);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kUnimplemented);
  EXPECT_EQ(plan.status().message(),
            "no kernel for op 'ZeroOut' (node 'zero_out'), needed by signature 'test'");
}

TEST(PlanTest, UnknownFetchAndTarget) {
  auto plan = ServingGraph().MakePlan({"x:0"}, {"nope:0"}, {}, FindTestKernel);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), Code::kNotFound);
  EXPECT_NE(plan.status().message().find("nope"), std::string::npos);
  auto plan2 = ServingGraph().MakePlan({}, {}, {"missing_op"}, FindTestKernel);
  ASSERT_FALSE(plan2.ok());
  EXPECT_NE(plan2.status().message().find("missing_op"), std::string::npos);
  auto plan3 = ServingGraph().MakePlan({"y:1"}, {"y:0"}, {}, FindTestKernel);
  ASSERT_FALSE(plan3.ok());  // Identity has one output
}

TEST(PlanTest, ControlInputsAreFollowed) {
  TestGraph g = ServingGraph();
  g.Node("init", "NoOp", {"^y", "^train"});
  auto plan = g.MakePlan({"x:0"}, {}, {"init"}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ((*plan)->nodes().size(), 4u);  // feed, y, train, init
}

TEST(PlanTest, FeedingAnIntermediateCutsItsProducers) {
  TestGraph g;
  g.Placeholder("p", DType::kInt32);
  g.Node("mid", "Identity", {"p"}, {{"T", AType(DType::kInt32)}});
  g.Node("out", "Identity", {"mid"}, {{"T", AType(DType::kInt32)}});
  auto plan = g.MakePlan({"mid"}, {"out"}, {}, FindTestKernel);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  for (const PlanNode& n : (*plan)->nodes()) EXPECT_NE(n.name, "p");
  auto out = testing::RunPlan(**plan, {Tensor::Scalar<int32_t>(7)});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).scalar<int32_t>(), 7);
}

TEST(PlanTest, FeedTwiceIsAnError) {
  auto plan = ServingGraph().MakePlan({"x:0", "x"}, {"y:0"}, {}, FindTestKernel);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("fed twice"), std::string::npos);
}

TEST(PlanTest, ExitOutsideLoopIsRejected) {
  TestGraph g;
  g.Placeholder("x", DType::kInt32);
  g.Node("e", "Exit", {"x"}, {{"T", AType(DType::kInt32)}});
  auto plan = g.MakePlan({"x:0"}, {"e:0"}, {}, FindTestKernel);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("outside any loop"), std::string::npos);
}

}  // namespace
}  // namespace stfs
