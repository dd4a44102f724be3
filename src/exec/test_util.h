// Test helpers for graph/executor tests (not part of any production target).
//
//   TestGraph g;
//   g.Node("x", "Placeholder", {}, {{"dtype", AType(DType::kInt32)}});
//   g.Node("y", "Identity", {"x"}, {{"T", AType(DType::kInt32)}});
//   auto plan = g.MakePlan({"x:0"}, {"y:0"}, {}, testing::FindTestKernel);
//
// FindTestKernel provides tiny reference kernels (Const, Placeholder,
// Identity, NoOp, Add, Mul, Less, Greater) so executor tests do not depend on
// the kernels library; their semantics are the ops' definitions on equal
// shapes or a scalar operand.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "exec/executor.h"
#include "exec/plan.h"
#include "graph/graph_def.h"
#include "proto/graph.pb.h"

namespace stfs::testing {

tensorflow::AttrValue AType(DType t);
tensorflow::AttrValue AInt(int64_t v);
tensorflow::AttrValue ABool(bool v);
tensorflow::AttrValue AStr(const std::string& v);
tensorflow::AttrValue ATensor(const Tensor& t);
tensorflow::AttrValue AShape(std::vector<int64_t> dims);  // -1 = unknown dim
tensorflow::AttrValue ATypeList(std::vector<DType> types);

class TestGraph {
 public:
  TestGraph& Node(const std::string& name, const std::string& op, std::vector<std::string> inputs,
                  std::vector<std::pair<std::string, tensorflow::AttrValue>> attrs = {});
  // Shorthands.
  TestGraph& Const(const std::string& name, const Tensor& value);
  TestGraph& Placeholder(const std::string& name, DType dtype);

  tensorflow::GraphDef& def() { return def_; }
  StatusOr<std::shared_ptr<const Graph>> Build() const;
  StatusOr<std::shared_ptr<const Plan>> MakePlan(std::vector<std::string> feeds, std::vector<std::string> fetches,
                                                 std::vector<std::string> targets, KernelLookup lookup) const;

 private:
  tensorflow::GraphDef def_;
};

// The reference kernels described above.
const KernelRegistration* FindTestKernel(std::string_view op);

// Runs a plan with a fresh or given ResourceManager.
StatusOr<std::vector<Tensor>> RunPlan(const Plan& plan, std::vector<Tensor> feeds,
                                      ResourceManager* resources = nullptr, const RunOptions& options = {});

}  // namespace stfs::testing
