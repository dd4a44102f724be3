// Function calls and functional control flow, run through a LibraryRuntime
// on small hand-written function libraries (text-format protos).
#include "kernels/function_ops.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "exec/executor.h"
#include "exec/function_runtime.h"
#include "graph/graph_def.h"
#include "kernels/kernel_tester.h"
#include "kernels/registry.h"

namespace stfs::kernels {
namespace {

// Schemas the test bodies use that are not in the built-in table.
constexpr char kOps[] = R"pb(
  op { name: "AddV2" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
       output_arg { name: "z" type_attr: "T" } attr { name: "T" type: "type" } }
  op { name: "Mul" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
       output_arg { name: "z" type_attr: "T" } attr { name: "T" type: "type" } }
  op { name: "Sub" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
       output_arg { name: "z" type_attr: "T" } attr { name: "T" type: "type" } }
  op { name: "Less" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
       output_arg { name: "z" type: DT_BOOL } attr { name: "T" type: "type" } }
  op { name: "ZeroOut" input_arg { name: "to_zero" type: DT_INT32 } output_arg { name: "zeroed" type: DT_INT32 } }
  op { name: "Case" input_arg { name: "branch_index" type: DT_INT32 } input_arg { name: "input" type_list_attr: "Tin" }
       output_arg { name: "output" type_list_attr: "Tout" } attr { name: "Tin" type: "list(type)" }
       attr { name: "Tout" type: "list(type)" } attr { name: "branches" type: "list(func)" } is_stateful: true }
)pb";

#define FLOAT_BINARY(NAME, OP)                                                                          \
  "function { signature { name: '" NAME "' input_arg { name: 'a' type: DT_FLOAT }"                     \
  " input_arg { name: 'b' type: DT_FLOAT } output_arg { name: 'out' type: DT_FLOAT } }"                 \
  " node_def { name: 's' op: '" OP "' input: 'a' input: 'b' attr { key: 'T' value { type: DT_FLOAT } } }" \
  " ret { key: 'out' value: 's:z:0' } }\n"

#define CONST_NODE(NAME, DT, FIELD, V)                                                      \
  " node_def { name: '" NAME "' op: 'Const' attr { key: 'dtype' value { type: " DT " } }" \
  " attr { key: 'value' value { tensor { dtype: " DT " tensor_shape {} " FIELD ": " V " } } } }"

constexpr char kLibrary[] =
    FLOAT_BINARY("add", "AddV2") FLOAT_BINARY("mul", "Mul") FLOAT_BINARY("sub", "Sub")
    // count loop: (i, n, acc) while i < n: (i + 1, n, acc * 2)
    "function { signature { name: 'count_cond' input_arg { name: 'i' type: DT_INT32 }"
    " input_arg { name: 'n' type: DT_INT32 } input_arg { name: 'acc' type: DT_FLOAT }"
    " output_arg { name: 'go' type: DT_BOOL } }"
    " node_def { name: 'lt' op: 'Less' input: 'i' input: 'n' attr { key: 'T' value { type: DT_INT32 } } }"
    " ret { key: 'go' value: 'lt:z:0' } }\n"
    "function { signature { name: 'count_body' input_arg { name: 'i' type: DT_INT32 }"
    " input_arg { name: 'n' type: DT_INT32 } input_arg { name: 'acc' type: DT_FLOAT }"
    " output_arg { name: 'i2' type: DT_INT32 } output_arg { name: 'n2' type: DT_INT32 }"
    " output_arg { name: 'acc2' type: DT_FLOAT } }" CONST_NODE("one", "DT_INT32", "int_val", "1")
    CONST_NODE("two", "DT_FLOAT", "float_val", "2")
    " node_def { name: 'inc' op: 'AddV2' input: 'i' input: 'one:output:0' attr { key: 'T' value { type: DT_INT32 } } }"
    " node_def { name: 'dbl' op: 'Mul' input: 'acc' input: 'two:output:0' attr { key: 'T' value { type: DT_FLOAT } } }"
    " ret { key: 'i2' value: 'inc:z:0' } ret { key: 'n2' value: 'n' } ret { key: 'acc2' value: 'dbl:z:0' } }\n"
    // inner loop (j, lim, t) while j < lim: (j + 1, lim, t + 1)
    "function { signature { name: 'inner_cond' input_arg { name: 'j' type: DT_INT32 }"
    " input_arg { name: 'lim' type: DT_INT32 } input_arg { name: 't' type: DT_INT32 }"
    " output_arg { name: 'go' type: DT_BOOL } }"
    " node_def { name: 'lt' op: 'Less' input: 'j' input: 'lim' attr { key: 'T' value { type: DT_INT32 } } }"
    " ret { key: 'go' value: 'lt:z:0' } }\n"
    "function { signature { name: 'inner_body' input_arg { name: 'j' type: DT_INT32 }"
    " input_arg { name: 'lim' type: DT_INT32 } input_arg { name: 't' type: DT_INT32 }"
    " output_arg { name: 'j2' type: DT_INT32 } output_arg { name: 'lim2' type: DT_INT32 }"
    " output_arg { name: 't2' type: DT_INT32 } }" CONST_NODE("one", "DT_INT32", "int_val", "1")
    " node_def { name: 'jj' op: 'AddV2' input: 'j' input: 'one:output:0' attr { key: 'T' value { type: DT_INT32 } } }"
    " node_def { name: 'tt' op: 'AddV2' input: 't' input: 'one:output:0' attr { key: 'T' value { type: DT_INT32 } } }"
    " ret { key: 'j2' value: 'jj:z:0' } ret { key: 'lim2' value: 'lim' } ret { key: 't2' value: 'tt:z:0' } }\n"
    // outer loop (i, n, total) while i < n: total += i (by an inner loop), i += 1
    "function { signature { name: 'outer_body' input_arg { name: 'i' type: DT_INT32 }"
    " input_arg { name: 'n' type: DT_INT32 } input_arg { name: 'total' type: DT_INT32 }"
    " output_arg { name: 'i2' type: DT_INT32 } output_arg { name: 'n2' type: DT_INT32 }"
    " output_arg { name: 'total2' type: DT_INT32 } }" CONST_NODE("zero", "DT_INT32", "int_val", "0")
    CONST_NODE("one", "DT_INT32", "int_val", "1")
    " node_def { name: 'inner' op: 'While' input: 'zero:output:0' input: 'i' input: 'total'"
    "   attr { key: 'T' value { list { type: DT_INT32 type: DT_INT32 type: DT_INT32 } } }"
    "   attr { key: 'cond' value { func { name: 'inner_cond' } } }"
    "   attr { key: 'body' value { func { name: 'inner_body' } } } }"
    " node_def { name: 'ii' op: 'AddV2' input: 'i' input: 'one:output:0' attr { key: 'T' value { type: DT_INT32 } } }"
    " ret { key: 'i2' value: 'ii:z:0' } ret { key: 'n2' value: 'n' } ret { key: 'total2' value: 'inner:output:2' } }\n"
    // recursion without a base case
    "function { signature { name: 'forever' input_arg { name: 'x' type: DT_FLOAT } output_arg { name: 'y' type: DT_FLOAT } }"
    " node_def { name: 'r' op: 'forever' input: 'x' } ret { key: 'y' value: 'r:y:0' } }\n"
    // an op without a kernel, reachable and unreachable
    "function { signature { name: 'bad' input_arg { name: 'x' type: DT_INT32 } output_arg { name: 'y' type: DT_INT32 } }"
    " node_def { name: 'zz' op: 'ZeroOut' input: 'x' } ret { key: 'y' value: 'zz:zeroed:0' } }\n"
    "function { signature { name: 'unused' input_arg { name: 'x' type: DT_INT32 } output_arg { name: 'y' type: DT_INT32 } }"
    " node_def { name: 'zz' op: 'ZeroOut' input: 'x' } ret { key: 'y' value: 'zz:zeroed:0' } }\n";

class FunctionOpsTest : public ::testing::Test {
 protected:
  // Builds `graph_text` (GraphDef nodes) with kLibrary, compiles a plan for
  // (feeds, fetches) with every reachable function, and runs it.
  StatusOr<std::vector<Tensor>> Run(const std::string& graph_text, std::vector<std::string> feeds,
                                    std::vector<Tensor> values, std::vector<std::string> fetches) {
    tensorflow::GraphDef def;
    if (!google::protobuf::TextFormat::ParseFromString(graph_text + kLibrary_wrapped(), &def)) {
      return InvalidArgument("bad test graph");
    }
    tensorflow::OpList ops;
    if (!google::protobuf::TextFormat::ParseFromString(kOps, &ops)) return InvalidArgument("bad test ops");
    ASSIGN_OR_RETURN(auto schemas, SchemasFromProto(&ops, &def.library()));
    ASSIGN_OR_RETURN(auto graph, GraphFromProto(def, *schemas));
    LibraryRuntimeOptions opts;
    opts.lookup = &FindKernel;
    opts.resources = &resources_;
    runtime_ = std::make_unique<LibraryRuntime>(def.library(), std::shared_ptr<const OpSchemaSet>(std::move(schemas)),
                                                opts);
    PlanSpec spec;
    spec.feeds = std::move(feeds);
    spec.fetches = std::move(fetches);
    spec.functions = runtime_.get();
    ASSIGN_OR_RETURN(auto plan, Plan::Create(graph, spec, &FindKernel));
    RETURN_IF_ERROR(runtime_->InstantiateReachable(*plan));
    RunEnv env;
    env.resources = &resources_;
    env.functions = runtime_.get();
    std::vector<Tensor> out;
    RunOptions run;
    run.max_loop_iterations = max_loop_iterations_;
    RETURN_IF_ERROR(Execute(*plan, env, std::move(values), &out, run));
    return out;
  }
  static std::string kLibrary_wrapped() { return std::string("library {\n") + kLibrary + "}\n"; }

  ResourceManager resources_;
  std::unique_ptr<LibraryRuntime> runtime_;
  int64_t max_loop_iterations_ = 1000;
};

constexpr char kPlaceholders[] = R"pb(
  node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
  node { name: "y" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
)pb";

Tensor F(float v) { return Tensor::Scalar<float>(v); }
Tensor I(int32_t v) { return Tensor::Scalar<int32_t>(v); }

TEST_F(FunctionOpsTest, PartitionedCallRunsFunction) {
  std::string g = std::string(kPlaceholders) + R"pb(
    node { name: "call" op: "StatefulPartitionedCall" input: "x" input: "y"
      attr { key: "Tin" value { list { type: DT_FLOAT type: DT_FLOAT } } }
      attr { key: "Tout" value { list { type: DT_FLOAT } } }
      attr { key: "f" value { func { name: "mul" } } } }
  )pb";
  auto out = Run(g, {"x", "y"}, {F(3), F(4)}, {"call:0"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FLOAT_EQ((*out)[0].scalar<float>(), 12.0f);
  // Only the reachable function was compiled.
  EXPECT_EQ(runtime_->InstantiatedFunctions(), std::vector<std::string>{"mul"});
}

TEST_F(FunctionOpsTest, NodeWhoseOpIsAFunctionName) {
  std::string g = std::string(kPlaceholders) + R"pb(
    node { name: "call" op: "sub" input: "x" input: "y" }
  )pb";
  auto out = Run(g, {"x", "y"}, {F(3), F(4)}, {"call:0"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FLOAT_EQ((*out)[0].scalar<float>(), -1.0f);
}

constexpr char kCountLoop[] = R"pb(
  node { name: "i" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
  node { name: "n" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
  node { name: "acc" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
  node { name: "w" op: "StatelessWhile" input: "i" input: "n" input: "acc"
    attr { key: "T" value { list { type: DT_INT32 type: DT_INT32 type: DT_FLOAT } } }
    attr { key: "cond" value { func { name: "count_cond" } } }
    attr { key: "body" value { func { name: "count_body" } } } }
)pb";

TEST_F(FunctionOpsTest, WhileTripCountDependsOnInput) {
  // 5 trips: i 0 -> 5, acc 1 -> 2^5.
  auto out = Run(kCountLoop, {"i", "n", "acc"}, {I(0), I(5), F(1)}, {"w:0", "w:1", "w:2"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 5);
  EXPECT_EQ((*out)[1].scalar<int32_t>(), 5);
  EXPECT_FLOAT_EQ((*out)[2].scalar<float>(), 32.0f);
  // 2 trips from i = 3 to n = 5: acc 1.5 -> 6.
  out = Run(kCountLoop, {"i", "n", "acc"}, {I(3), I(5), F(1.5)}, {"w:0", "w:2"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 5);
  EXPECT_FLOAT_EQ((*out)[1].scalar<float>(), 6.0f);
  // Zero trips: cond false at once, values pass through.
  out = Run(kCountLoop, {"i", "n", "acc"}, {I(7), I(5), F(3)}, {"w:0", "w:2"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 7);
  EXPECT_FLOAT_EQ((*out)[1].scalar<float>(), 3.0f);
}

TEST_F(FunctionOpsTest, WhileIterationCap) {
  max_loop_iterations_ = 10;
  auto out = Run(kCountLoop, {"i", "n", "acc"}, {I(0), I(100), F(1)}, {"w:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted) << out.status().ToString();
  out = Run(kCountLoop, {"i", "n", "acc"}, {I(0), I(10), F(1)}, {"w:0"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 10);
}

TEST_F(FunctionOpsTest, NestedWhileLoops) {
  std::string g = R"pb(
    node { name: "n" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
    node { name: "zero" op: "Const" attr { key: "dtype" value { type: DT_INT32 } }
      attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {} int_val: 0 } } } }
    node { name: "w" op: "While" input: "zero" input: "n" input: "zero"
      attr { key: "T" value { list { type: DT_INT32 type: DT_INT32 type: DT_INT32 } } }
      attr { key: "cond" value { func { name: "inner_cond" } } }
      attr { key: "body" value { func { name: "outer_body" } } } }
  )pb";
  // total = sum_{i < n} i: 0+1+2+3 = 6 for n = 4; 0+...+6 = 21 for n = 7.
  auto out = Run(g, {"n"}, {I(4)}, {"w:2"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 6);
  out = Run(g, {"n"}, {I(7)}, {"w:0", "w:2"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].scalar<int32_t>(), 7);
  EXPECT_EQ((*out)[1].scalar<int32_t>(), 21);
}

constexpr char kIf[] = R"pb(
  node { name: "c" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
  node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
  node { name: "y" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
  node { name: "if" op: "If" input: "c" input: "x" input: "y"
    attr { key: "Tcond" value { type: DT_INT32 } }
    attr { key: "Tin" value { list { type: DT_FLOAT type: DT_FLOAT } } }
    attr { key: "Tout" value { list { type: DT_FLOAT } } }
    attr { key: "then_branch" value { func { name: "add" } } }
    attr { key: "else_branch" value { func { name: "mul" } } } }
)pb";

TEST_F(FunctionOpsTest, IfPicksBranch) {
  auto out = Run(kIf, {"c", "x", "y"}, {I(2), F(3), F(4)}, {"if:0"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FLOAT_EQ((*out)[0].scalar<float>(), 7.0f);
  out = Run(kIf, {"c", "x", "y"}, {I(0), F(3), F(4)}, {"if:0"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_FLOAT_EQ((*out)[0].scalar<float>(), 12.0f);
}

constexpr char kCase[] = R"pb(
  node { name: "b" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
  node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
  node { name: "y" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
  node { name: "case" op: "Case" input: "b" input: "x" input: "y"
    attr { key: "Tin" value { list { type: DT_FLOAT type: DT_FLOAT } } }
    attr { key: "Tout" value { list { type: DT_FLOAT } } }
    attr { key: "branches" value { list { func { name: "add" } func { name: "mul" } func { name: "sub" } } } } }
)pb";

TEST_F(FunctionOpsTest, CaseOutOfRangeRunsLastBranch) {
  const std::pair<int, float> want[] = {{0, 7}, {1, 12}, {2, -1}, {3, -1}, {-1, -1}, {100, -1}};
  for (auto [index, expected] : want) {
    auto out = Run(kCase, {"b", "x", "y"}, {I(index), F(3), F(4)}, {"case:0"});
    ASSERT_TRUE(out.ok()) << index << ": " << out.status().ToString();
    EXPECT_FLOAT_EQ((*out)[0].scalar<float>(), expected) << "branch_index " << index;
  }
}

TEST_F(FunctionOpsTest, RecursionIsBounded) {
  std::string g = std::string(kPlaceholders) + R"pb(node { name: "call" op: "forever" input: "x" })pb";
  auto out = Run(g, {"x"}, {F(1)}, {"call:0"});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kResourceExhausted) << out.status().ToString();
}

TEST_F(FunctionOpsTest, MissingKernelInReachableFunctionFailsAtCompile) {
  std::string g = R"pb(
    node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
    node { name: "call" op: "PartitionedCall" input: "x"
      attr { key: "Tin" value { list { type: DT_INT32 } } }
      attr { key: "Tout" value { list { type: DT_INT32 } } }
      attr { key: "f" value { func { name: "bad" } } } }
  )pb";
  auto out = Run(g, {"x"}, {I(1)}, {"call:0"});
  ASSERT_FALSE(out.ok());
  const std::string msg = out.status().ToString();
  EXPECT_NE(msg.find("ZeroOut"), std::string::npos) << msg;
  EXPECT_NE(msg.find("function 'bad'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("node 'zz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("node 'call'"), std::string::npos) << msg;
}

TEST(TensorToBoolTest, FollowsTensorFlowRules) {
  EXPECT_TRUE(*TensorToBool(Tensor::Scalar<float>(0.5f)));
  EXPECT_FALSE(*TensorToBool(Tensor::Scalar<float>(0.0f)));
  EXPECT_FALSE(*TensorToBool(Tensor::Scalar<int64_t>(0)));
  EXPECT_TRUE(*TensorToBool(Tensor::Scalar<bool>(true)));
  EXPECT_FALSE(*TensorToBool(Tensor::Scalar<std::string>("")));
  EXPECT_TRUE(*TensorToBool(Tensor::Scalar<std::string>("a")));
  // Non-scalars: true iff they have elements, whatever the values.
  EXPECT_TRUE(*TensorToBool(Tensor::FromVector<int32_t>({0}, Shape{1})));
  EXPECT_FALSE(*TensorToBool(Tensor::FromVector<int32_t>({}, Shape{0})));
}

}  // namespace
}  // namespace stfs::kernels
