// Plan: one compiled (feeds, fetches, targets) request on a Graph.
//
// Built once (at model load, per signature): prunes the graph to the nodes the
// fetches and targets need (walking data and control inputs, stopping at fed
// tensors), creates each node's kernel once through the injected lookup, and
// lays out static loop frames for the executor (executor.h). TF1 control-flow
// ops (Switch, Merge, Enter, Exit, NextIteration, LoopCond, ControlTrigger and
// their Ref variants) are executed natively and need no kernel.
//
// Thread safety: a Plan is immutable after Create and may be executed by any
// number of threads at once (kernels are stateless by contract).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "exec/op_kernel.h"
#include "graph/graph.h"

namespace stfs {

// Finds the kernel registration for an op (stfs::kernels::FindKernel in
// production); exec never links the kernels library itself.
using KernelLookup = const KernelRegistration* (*)(std::string_view op);

// Registry op name of the kernel that runs a node whose op is a library
// function name (KernelInit::op is then the function name).
inline constexpr std::string_view kFunctionCallOp = "_StfsFunctionCall";

// What the plan compiler needs to know of a function library.
class FunctionLibraryInfo {
 public:
  virtual ~FunctionLibraryInfo() = default;
  // True if `name` is a function of the library (a node may use it as its op).
  virtual bool HasFunction(std::string_view name) const = 0;
};

struct PlanSpec {
  std::vector<std::string> feeds;    // tensor names "node:idx" (":0" optional)
  std::vector<std::string> fetches;  // tensor names
  std::vector<std::string> targets;  // node names (run for effect, no output)
  // Names the requester in errors: "signature 'serving_default'".
  std::string purpose = "the request";
  // When set, a node whose op is one of its functions gets the
  // kFunctionCallOp kernel (unless a kernel of that name exists).
  const FunctionLibraryInfo* functions = nullptr;
};

enum class NodeKind : uint8_t {
  kKernel,         // a registered kernel
  kFeed,           // produces feed `feed_index`
  kSwitch,
  kMerge,
  kEnter,
  kExit,
  kNextIteration,
  kLoopCond,
  kControlTrigger,
};

constexpr int kControlSlot = -1;
constexpr int kFetchNode = -1;  // OutEdge::dst of a fetch; dst_slot = fetch index

struct OutEdge {
  int src_output;  // kControlSlot for control edges
  int dst;         // plan node, or kFetchNode
  int dst_slot;    // input slot, kControlSlot, or the fetch index
  bool last_use = false;  // the node's last data edge carrying src_output (may take the value)
};

struct PlanNode {
  int graph_node = -1;  // -1 for feeds
  std::string name;     // for errors
  std::string op;
  NodeKind kind = NodeKind::kKernel;
  std::unique_ptr<OpKernel> kernel;
  int num_inputs = 0;
  int num_control_inputs = 0;
  int num_outputs = 0;
  std::vector<bool> input_is_ref;       // the node wants a ref (input_ref)
  std::vector<DType> output_types;      // kInvalid where unknown
  std::vector<bool> output_is_ref;
  bool forwards_refs = false;           // Ref* control-flow ops keep refs
  std::vector<OutEdge> out_edges;
  // Static frame layout.
  int frame = 0;            // frame the node executes in (0 = root)
  int local_id = 0;         // index among its frame's nodes
  int input_base = 0;       // first input slot in its frame's slot array
  int child_frame = -1;     // kEnter: the frame it enters
  bool is_constant = false; // kEnter: loop invariant
  int exit_index = -1;      // kExit: index in its frame's exit list
  int feed_index = -1;      // kFeed
};

struct FrameInfo {
  std::string name;         // frame_name ("" for the root)
  int parent = -1;
  std::vector<int> nodes;   // plan nodes executing in this frame (by local_id)
  int num_input_slots = 0;
  int num_enters = 0;       // Enter nodes delivering into this frame
  std::vector<int> exits;   // Exit nodes of this frame
  std::vector<int32_t> initial_pending;  // per local node, for a new iteration
};

class Plan {
 public:
  // Errors: unknown feed/fetch/target names, an op without a kernel that the
  // request needs ("no kernel for op 'ZeroOut' (node 'zero_out'), needed by
  // signature 'serving_default'"), kernel factory errors, malformed frames.
  static StatusOr<std::shared_ptr<const Plan>> Create(std::shared_ptr<const Graph> graph, const PlanSpec& spec,
                                                      KernelLookup lookup);

  const Graph& graph() const { return *graph_; }
  const PlanSpec& spec() const { return spec_; }
  const std::vector<PlanNode>& nodes() const { return nodes_; }
  const std::vector<FrameInfo>& frames() const { return frames_; }
  const std::vector<int>& roots() const { return roots_; }  // ready at start (root frame)
  // Declared dtype of each feed (kInvalid if unknown).
  const std::vector<DType>& feed_types() const { return feed_types_; }
  int num_fetches() const { return static_cast<int>(spec_.fetches.size()); }
  // True when the plan uses no TF1 control flow (every node is a feed or a
  // kernel): the executor then runs order() straight through, with no frames,
  // pending counts or dead tensors. The common case for serving graphs.
  bool straight_line() const { return straight_line_; }
  // straight_line(): every node once, each after all its data and control inputs.
  const std::vector<int>& order() const { return order_; }

 private:
  Plan() = default;
  Status Build(KernelLookup lookup);
  Status BuildFrames();
  void BuildStraightLineOrder();

  std::shared_ptr<const Graph> graph_;
  PlanSpec spec_;
  std::vector<PlanNode> nodes_;
  std::vector<FrameInfo> frames_;
  std::vector<int> roots_;
  std::vector<DType> feed_types_;
  bool straight_line_ = false;
  std::vector<int> order_;
};

}  // namespace stfs
