#include "exec/plan.h"

#include <deque>
#include <map>
#include <unordered_map>

namespace stfs {
namespace {

struct NativeOp {
  std::string_view op;
  NodeKind kind;
  bool forwards_refs;
};

constexpr NativeOp kNativeOps[] = {
    {"Switch", NodeKind::kSwitch, false},
    {"RefSwitch", NodeKind::kSwitch, true},
    {"Merge", NodeKind::kMerge, false},
    {"RefMerge", NodeKind::kMerge, true},
    {"Enter", NodeKind::kEnter, false},
    {"RefEnter", NodeKind::kEnter, true},
    {"Exit", NodeKind::kExit, false},
    {"RefExit", NodeKind::kExit, true},
    {"NextIteration", NodeKind::kNextIteration, false},
    {"RefNextIteration", NodeKind::kNextIteration, true},
    {"LoopCond", NodeKind::kLoopCond, false},
    {"ControlTrigger", NodeKind::kControlTrigger, false},
};

const NativeOp* FindNative(std::string_view op) {
  for (const NativeOp& n : kNativeOps) {
    if (n.op == op) return &n;
  }
  return nullptr;
}

uint64_t EndpointKey(Endpoint e) { return (static_cast<uint64_t>(e.node) << 32) | static_cast<uint32_t>(e.index); }

}  // namespace

StatusOr<std::shared_ptr<const Plan>> Plan::Create(std::shared_ptr<const Graph> graph, const PlanSpec& spec,
                                                   KernelLookup lookup) {
  if (!graph) return InvalidArgument("Plan::Create: null graph");
  std::shared_ptr<Plan> plan(new Plan());
  plan->graph_ = std::move(graph);
  plan->spec_ = spec;
  RETURN_IF_ERROR(plan->Build(lookup));
  return std::shared_ptr<const Plan>(std::move(plan));
}

Status Plan::Build(KernelLookup lookup) {
  const Graph& g = *graph_;
  const std::string& purpose = spec_.purpose;
  // Feeds.
  std::unordered_map<uint64_t, int> fed;  // endpoint -> feed index
  std::vector<Endpoint> feed_eps;
  for (size_t i = 0; i < spec_.feeds.size(); ++i) {
    auto e = g.ParseTensorName(spec_.feeds[i]);
    if (!e.ok()) return e.status().WithContext(StrCat("feed of ", purpose));
    if (!fed.emplace(EndpointKey(*e), static_cast<int>(i)).second) {
      return InvalidArgument("tensor '", spec_.feeds[i], "' is fed twice in ", purpose);
    }
    feed_eps.push_back(*e);
    feed_types_.push_back(g.nodes[e->node].output_types[e->index]);
  }
  std::vector<Endpoint> fetch_eps;
  for (const std::string& name : spec_.fetches) {
    auto e = g.ParseTensorName(name);
    if (!e.ok()) return e.status().WithContext(StrCat("fetch of ", purpose));
    fetch_eps.push_back(*e);
  }
  std::vector<int> target_ids;
  for (const std::string& name : spec_.targets) {
    int id = g.FindNode(name);
    if (id < 0) {
      std::string_view base;
      int index = 0;
      if (SplitTensorName(name, &base, &index)) id = g.FindNode(base);
    }
    if (id < 0) return NotFound("target node '", name, "' of ", purpose, " is not in the graph");
    target_ids.push_back(id);
  }

  // Reverse walk from fetches and targets, stopping at fed tensors.
  std::vector<char> needed(g.nodes.size(), 0);
  std::vector<int> stack;
  auto need = [&](int id) {
    if (!needed[id]) {
      needed[id] = 1;
      stack.push_back(id);
    }
  };
  for (const Endpoint& e : fetch_eps) {
    if (!fed.count(EndpointKey(e))) need(e.node);
  }
  for (int id : target_ids) need(id);
  while (!stack.empty()) {
    int id = stack.back();
    stack.pop_back();
    const Node& n = g.nodes[id];
    for (const Endpoint& e : n.inputs) {
      if (!fed.count(EndpointKey(e))) need(e.node);
    }
    for (int c : n.control_inputs) need(c);
  }

  // Plan nodes: feeds first, then needed graph nodes in graph order.
  std::vector<int> plan_id(g.nodes.size(), -1);
  for (size_t i = 0; i < feed_eps.size(); ++i) {
    PlanNode p;
    p.kind = NodeKind::kFeed;
    p.feed_index = static_cast<int>(i);
    p.name = StrCat("_feed_", spec_.feeds[i]);
    p.op = "_Feed";
    p.num_outputs = 1;
    p.output_types = {feed_types_[i]};
    p.output_is_ref = {false};
    nodes_.push_back(std::move(p));
  }
  for (size_t id = 0; id < g.nodes.size(); ++id) {
    if (!needed[id]) continue;
    const Node& n = g.nodes[id];
    plan_id[id] = static_cast<int>(nodes_.size());
    PlanNode p;
    p.graph_node = static_cast<int>(id);
    p.name = n.name;
    p.op = n.op;
    p.num_inputs = static_cast<int>(n.inputs.size());
    p.num_control_inputs = static_cast<int>(n.control_inputs.size());
    p.num_outputs = n.num_outputs();
    p.input_is_ref = n.input_is_ref;
    p.output_types = n.output_types;
    p.output_is_ref = n.output_is_ref;
    nodes_.push_back(std::move(p));
  }

  // Edges.
  auto source_of = [&](Endpoint e) -> std::pair<int, int> {
    auto it = fed.find(EndpointKey(e));
    if (it != fed.end()) return {it->second, 0};
    return {plan_id[e.node], e.index};
  };
  for (size_t id = 0; id < g.nodes.size(); ++id) {
    int p = plan_id[id];
    if (p < 0) continue;
    const Node& n = g.nodes[id];
    for (size_t slot = 0; slot < n.inputs.size(); ++slot) {
      auto [src, out] = source_of(n.inputs[slot]);
      nodes_[src].out_edges.push_back(OutEdge{out, p, static_cast<int>(slot)});
    }
    for (int c : n.control_inputs) {
      nodes_[plan_id[c]].out_edges.push_back(OutEdge{kControlSlot, p, kControlSlot});
    }
  }
  for (size_t i = 0; i < fetch_eps.size(); ++i) {
    auto [src, out] = source_of(fetch_eps[i]);
    nodes_[src].out_edges.push_back(OutEdge{out, kFetchNode, static_cast<int>(i)});
  }
  for (PlanNode& p : nodes_) {  // mark the last data edge of each output
    std::vector<char> seen(p.num_outputs, 0);
    for (auto e = p.out_edges.rbegin(); e != p.out_edges.rend(); ++e) {
      if (e->src_output < 0 || e->src_output >= p.num_outputs || seen[e->src_output]) continue;
      seen[e->src_output] = 1;
      e->last_use = true;
    }
  }

  // Kinds and kernels.
  for (PlanNode& p : nodes_) {
    if (p.kind == NodeKind::kFeed) continue;
    const Node& n = g.nodes[p.graph_node];
    if (const NativeOp* native = FindNative(n.op)) {
      p.kind = native->kind;
      p.forwards_refs = native->forwards_refs;
      if (p.kind == NodeKind::kEnter) p.is_constant = n.attrs.GetBoolOr("is_constant", false);
      continue;
    }
    const KernelRegistration* reg = lookup ? lookup(n.op) : nullptr;
    if (!reg && lookup && spec_.functions && spec_.functions->HasFunction(n.op)) reg = lookup(kFunctionCallOp);
    if (!reg) {
      return Unimplemented("no kernel for op '", n.op, "' (node '", n.name, "'), needed by ", purpose);
    }
    std::vector<bool> is_ref = n.input_is_ref;
    std::unique_ptr<bool[]> is_ref_array(new bool[is_ref.size() + 1]);
    for (size_t i = 0; i < is_ref.size(); ++i) is_ref_array[i] = is_ref[i];
    KernelInit init{n.name, n.op, n.attrs, std::span<const DType>(n.input_types),
                    std::span<const bool>(is_ref_array.get(), is_ref.size()), n.num_outputs()};
    auto kernel = reg->create(init);
    if (!kernel.ok()) return kernel.status().WithContext(StrCat("node '", n.name, "' (", n.op, ")"));
    p.kernel = std::move(*kernel);
  }
  RETURN_IF_ERROR(BuildFrames());
  BuildStraightLineOrder();
  return Status::OK();
}

void Plan::BuildStraightLineOrder() {
  order_.clear();
  straight_line_ = false;
  for (const PlanNode& p : nodes_) {
    if (p.kind != NodeKind::kKernel && p.kind != NodeKind::kFeed) return;
  }
  // Kahn's algorithm over data and control edges; a cycle leaves nodes out and
  // the plan on the general executor (which reports the stall).
  std::vector<int32_t> pending(nodes_.size());
  std::vector<int> ready;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    pending[i] = nodes_[i].num_inputs + nodes_[i].num_control_inputs;
    if (pending[i] == 0) ready.push_back(static_cast<int>(i));
  }
  // FIFO like the general executor, so stateful ops keep the same relative order.
  for (size_t head = 0; head < ready.size(); ++head) {
    const int id = ready[head];
    order_.push_back(id);
    for (const OutEdge& e : nodes_[id].out_edges) {
      if (e.dst != kFetchNode && --pending[e.dst] == 0) ready.push_back(e.dst);
    }
  }
  if (order_.size() != nodes_.size()) {
    order_.clear();
    return;
  }
  straight_line_ = true;
}

Status Plan::BuildFrames() {
  frames_.clear();
  frames_.push_back(FrameInfo{});
  std::map<std::pair<std::string, int>, int> frame_ids;  // (name, parent) -> id
  std::vector<int> frame_of(nodes_.size(), -1);
  std::deque<int> queue;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].num_inputs + nodes_[i].num_control_inputs == 0) {
      frame_of[i] = 0;
      queue.push_back(static_cast<int>(i));
      roots_.push_back(static_cast<int>(i));
    }
  }
  while (!queue.empty()) {
    int id = queue.front();
    queue.pop_front();
    PlanNode& p = nodes_[id];
    const int f = frame_of[id];
    int out_frame = f;
    if (p.kind == NodeKind::kEnter) {
      const Node& n = graph_->nodes[p.graph_node];
      std::string fname = n.attrs.GetStringOr("frame_name", "");
      if (fname.empty()) return InvalidArgument("node '", p.name, "' (", p.op, ") has no frame_name");
      auto [it, inserted] = frame_ids.emplace(std::make_pair(fname, f), static_cast<int>(frames_.size()));
      if (inserted) {
        FrameInfo info;
        info.name = fname;
        info.parent = f;
        frames_.push_back(std::move(info));
      }
      out_frame = it->second;
      p.child_frame = out_frame;
      frames_[out_frame].num_enters++;
    } else if (p.kind == NodeKind::kExit) {
      if (f == 0) return InvalidArgument("node '", p.name, "' (", p.op, ") is an Exit outside any loop frame");
      out_frame = frames_[f].parent;
      p.exit_index = static_cast<int>(frames_[f].exits.size());
      frames_[f].exits.push_back(id);
    }
    for (const OutEdge& e : p.out_edges) {
      if (e.dst == kFetchNode) {
        if (out_frame != 0) {
          return InvalidArgument("fetch '", spec_.fetches[e.dst_slot], "' is inside loop frame '",
                                 frames_[out_frame].name, "'");
        }
        continue;
      }
      if (frame_of[e.dst] < 0) {
        frame_of[e.dst] = out_frame;
        queue.push_back(e.dst);
      } else if (frame_of[e.dst] != out_frame) {
        return InvalidArgument("node '", nodes_[e.dst].name, "' (", nodes_[e.dst].op, ") receives inputs from frames '",
                               frames_[frame_of[e.dst]].name, "' and '", frames_[out_frame].name, "'");
      }
    }
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (frame_of[i] < 0) {
      return InvalidArgument("node '", nodes_[i].name, "' (", nodes_[i].op,
                             ") can never run: its inputs form a cycle that is not a loop");
    }
    PlanNode& p = nodes_[i];
    FrameInfo& fr = frames_[frame_of[i]];
    p.frame = frame_of[i];
    p.local_id = static_cast<int>(fr.nodes.size());
    p.input_base = fr.num_input_slots;
    fr.nodes.push_back(static_cast<int>(i));
    fr.num_input_slots += p.num_inputs;
    // Merge waits only for its control inputs plus one live (or all dead) data input.
    fr.initial_pending.push_back(p.kind == NodeKind::kMerge ? p.num_control_inputs
                                                             : p.num_inputs + p.num_control_inputs);
  }
  return Status::OK();
}

}  // namespace stfs
