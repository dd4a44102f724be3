#include "exec/executor.h"

#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace stfs {
namespace {

// A value on an edge: a tensor, or a ref to a variable (VariableV2 outputs).
struct Entry {
  Tensor value;
  Var* ref = nullptr;
};

enum : uint8_t {
  kFlagDead = 1,       // some input was dead
  kFlagLive = 2,       // merge: a live data input arrived
  kFlagFired = 4,      // merge: already scheduled
  kFlagDeadEnter = 8,  // merge: a dead Enter value arrived (the loop is dead)
};

// Per (frame instance, iteration) bookkeeping, sized by the static frame.
struct IterState {
  std::vector<Entry> inputs;
  std::vector<int32_t> pending;
  std::vector<int32_t> aux;  // merge: dead count (< 0 never) and chosen input
  std::vector<int32_t> chosen;
  std::vector<uint8_t> flags;
  int outstanding_ops = 0;
  int outstanding_frames = 0;
};

struct Frame {
  int static_id = 0;
  Frame* parent = nullptr;
  int64_t parent_iter = 0;
  int64_t first_iter = 0;  // iterations.front() is this iteration
  std::deque<std::unique_ptr<IterState>> iterations;
  int pending_enters = 0;
  struct Invariant {
    int enter_node;
    bool dead;
    Entry entry;
  };
  std::vector<Invariant> invariants;
  std::vector<uint8_t> exit_live;
  std::map<std::pair<int, int64_t>, std::unique_ptr<Frame>> children;
};

struct Token {
  int node;
  Frame* frame;
  int64_t iter;
  bool dead;
};

Status Deref(const Entry& e, Tensor* out) {
  if (!e.ref) {
    *out = e.value;
    return Status::OK();
  }
  std::shared_lock<std::shared_mutex> lock(e.ref->mu);
  if (!e.ref->initialized) {
    return FailedPrecondition("Attempting to use uninitialized value ", e.ref->name);
  }
  *out = e.ref->tensor;
  return Status::OK();
}

Status CheckFeeds(const Plan& plan, const std::vector<Tensor>& feeds) {
  if (feeds.size() != plan.spec().feeds.size()) {
    return InvalidArgument("expected ", plan.spec().feeds.size(), " feeds, got ", feeds.size());
  }
  for (size_t i = 0; i < feeds.size(); ++i) {
    DType want = plan.feed_types()[i];
    if (want != DType::kInvalid && feeds[i].dtype() != want) {
      return InvalidArgument("feed '", plan.spec().feeds[i], "' expects ", DTypeName(want), " but got ",
                             DTypeName(feeds[i].dtype()));
    }
  }
  return Status::OK();
}

// Cancellation and deadline, checked between nodes (every 64 steps).
Status CheckInterrupted(const Plan& plan, const RunOptions& options) {
  if (options.cancelled && options.cancelled->load(std::memory_order_relaxed)) {
    return Status(Code::kCancelled, StrCat("run of ", plan.spec().purpose, " was cancelled"));
  }
  if (options.deadline && std::chrono::steady_clock::now() > *options.deadline) {
    return Status(Code::kDeadlineExceeded, StrCat("run of ", plan.spec().purpose, " exceeded its deadline"));
  }
  return Status::OK();
}

// Moves node p's inputs out of its slots into ctx. A ref edge stays a ref
// (with a snapshot of the value) where the node wants one, else it is read.
Status LoadKernelInputs(const PlanNode& p, Entry* slots, OpContext* ctx) {
  ctx->inputs_.resize(p.num_inputs);
  ctx->input_refs_.clear();
  for (int i = 0; i < p.num_inputs; ++i) {
    Entry& e = slots[i];
    if (e.ref) {
      if (p.input_is_ref[i]) {
        if (ctx->input_refs_.empty()) ctx->input_refs_.assign(p.num_inputs, nullptr);
        ctx->input_refs_[i] = e.ref;
        std::shared_lock<std::shared_mutex> lock(e.ref->mu);
        if (e.ref->initialized) ctx->inputs_[i] = e.ref->tensor;
      } else {
        RETURN_IF_ERROR(Deref(e, &ctx->inputs_[i]));
      }
      e = Entry();
    } else {
      ctx->inputs_[i] = std::move(e.value);
    }
  }
  return Status::OK();
}

// Output i of a kernel that just ran, checked against p's declaration.
Status TakeKernelOutput(const PlanNode& p, OpContext* ctx, int i, Entry* out) {
  if (i < static_cast<int>(ctx->output_refs_.size()) && ctx->output_refs_[i]) {
    out->ref = ctx->output_refs_[i];
    return Status::OK();
  }
  Tensor& t = ctx->outputs_[i];
  if (!t.IsInitialized()) return Internal("kernel did not set output ", i);
  DType want = p.output_types[i];
  if (want != DType::kInvalid && t.dtype() != want) {
    return Internal("kernel produced ", DTypeName(t.dtype()), " for output ", i, " declared ", DTypeName(want));
  }
  out->value = std::move(t);
  return Status::OK();
}

class Runner {
 public:
  Runner(const Plan& plan, const RunEnv& env, std::vector<Tensor> feeds, const RunOptions& options)
      : plan_(plan), nodes_(plan.nodes()), env_(env), feeds_(std::move(feeds)), options_(options) {
    pool_ = env.thread_pool ? env.thread_pool : ThreadPool::Default();
    static const std::string kEmpty;
    model_dir_ = env.model_dir ? env.model_dir : &kEmpty;
  }

  Status Run(std::vector<Tensor>* fetches) {
    RETURN_IF_ERROR(CheckFeeds(plan_, feeds_));
    const int num_fetches = plan_.num_fetches();
    fetch_values_.assign(num_fetches, Tensor());
    fetch_state_.assign(num_fetches, 0);
    root_.static_id = 0;
    root_.iterations.push_back(NewIterState(0));
    IterState* st = root_.iterations.front().get();
    for (int r : plan_.roots()) Ready(r, &root_, 0, st, false);
    int64_t steps = 0;
    while (!queue_.empty() && error_.ok()) {
      Token t = queue_.front();
      queue_.pop_front();
      if ((++steps & 63) == 0) RETURN_IF_ERROR(CheckInterrupted(plan_, options_));
      Status s = Process(t);
      if (!s.ok()) return s;
    }
    RETURN_IF_ERROR(error_);
    fetches->clear();
    for (int i = 0; i < num_fetches; ++i) {
      if (fetch_state_[i] == 0) {
        return Internal("fetch '", plan_.spec().fetches[i], "' of ", plan_.spec().purpose,
                        " was never computed (the graph stalled)");
      }
      if (fetch_state_[i] == 2) {
        return InvalidArgument("fetch '", plan_.spec().fetches[i], "' of ", plan_.spec().purpose,
                               " has no value: it lies on an untaken control-flow branch");
      }
      fetches->push_back(std::move(fetch_values_[i]));
    }
    return Status::OK();
  }

 private:
  std::unique_ptr<IterState> NewIterState(int frame) {
    const FrameInfo& fi = plan_.frames()[frame];
    auto st = std::make_unique<IterState>();
    st->inputs.resize(fi.num_input_slots);
    st->pending = fi.initial_pending;
    st->aux.assign(fi.nodes.size(), 0);
    st->chosen.assign(fi.nodes.size(), 0);
    st->flags.assign(fi.nodes.size(), 0);
    return st;
  }

  IterState* FindIter(Frame* f, int64_t iter) {
    int64_t k = iter - f->first_iter;
    if (k < 0 || k >= static_cast<int64_t>(f->iterations.size())) return nullptr;
    return f->iterations[k].get();
  }

  // Returns iteration `iter` of `f`, creating it (and delivering the loop
  // invariants to it) if it is the next one.
  StatusOr<IterState*> GetOrCreateIter(Frame* f, int64_t iter) {
    if (IterState* st = FindIter(f, iter)) return st;
    if (iter != f->first_iter + static_cast<int64_t>(f->iterations.size())) {
      return Internal("iteration ", iter, " of frame '", plan_.frames()[f->static_id].name, "' is out of order");
    }
    if (iter >= options_.max_loop_iterations) {
      return ResourceExhausted("loop frame '", plan_.frames()[f->static_id].name, "' exceeded ",
                               options_.max_loop_iterations, " iterations");
    }
    f->iterations.push_back(NewIterState(f->static_id));
    IterState* st = f->iterations.back().get();
    for (const Frame::Invariant& inv : f->invariants) {
      std::vector<Entry> outs(1);
      outs[0] = inv.entry;
      Propagate(nodes_[inv.enter_node], &outs, nullptr, inv.dead, f, iter, st, /*from_enter=*/true);
    }
    return st;
  }

  void Ready(int node, Frame* f, int64_t iter, IterState* st, bool dead) {
    st->outstanding_ops++;
    queue_.push_back(Token{node, f, iter, dead});
  }

  // Delivers one input (value == nullptr: dead) to node `dst` in (f, iter).
  void Deliver(int dst, int slot, Entry* value, bool dead, Frame* f, int64_t iter, IterState* st, bool from_enter) {
    const PlanNode& d = nodes_[dst];
    const int local = d.local_id;
    uint8_t& flags = st->flags[local];
    if (d.kind == NodeKind::kMerge) {
      if (flags & kFlagFired) return;
      if (slot == kControlSlot) {
        st->pending[local]--;
      } else if (!dead) {
        if (!(flags & kFlagLive)) {
          flags |= kFlagLive;
          st->inputs[d.input_base + slot] = std::move(*value);
          st->chosen[local] = slot;
        }
      } else {
        st->aux[local]++;
        if (from_enter) flags |= kFlagDeadEnter;
      }
      if (st->pending[local] == 0) {
        if (flags & kFlagLive) {
          flags |= kFlagFired;
          Ready(dst, f, iter, st, false);
        } else if (st->aux[local] == d.num_inputs || (flags & kFlagDeadEnter)) {
          flags |= kFlagFired;
          Ready(dst, f, iter, st, true);
        }
      }
      return;
    }
    if (dead) {
      flags |= kFlagDead;
    } else if (slot != kControlSlot) {
      st->inputs[d.input_base + slot] = std::move(*value);
    }
    if (--st->pending[local] == 0) Ready(dst, f, iter, st, flags & kFlagDead);
  }

  // Sends `outs` of node `p` along its out edges into (f, iter). `live` (may be
  // null = all live) marks per-output liveness; node_dead kills everything.
  void Propagate(const PlanNode& p, std::vector<Entry>* outs, const std::vector<uint8_t>* live, bool node_dead,
                 Frame* f, int64_t iter, IterState* st, bool from_enter) {
    // Count the uses of each output so the last one can take the value.
    int uses_small[8] = {};
    std::vector<int> uses_big;
    int* uses = uses_small;
    if (p.num_outputs > 8) {
      uses_big.assign(p.num_outputs, 0);
      uses = uses_big.data();
    }
    for (const OutEdge& e : p.out_edges) {
      if (e.src_output >= 0) uses[e.src_output]++;
    }
    for (const OutEdge& e : p.out_edges) {
      if (e.src_output == kControlSlot) {
        Deliver(e.dst, kControlSlot, nullptr, node_dead, f, iter, st, from_enter);
        continue;
      }
      const bool is_live = !node_dead && (live == nullptr || (*live)[e.src_output]);
      Entry moved;
      if (is_live) {
        Entry& src = (*outs)[e.src_output];
        if (--uses[e.src_output] == 0) {
          moved = std::move(src);
        } else {
          moved = src;
        }
      }
      if (e.dst == kFetchNode) {
        if (!is_live) {
          fetch_state_[e.dst_slot] = 2;
          continue;
        }
        Status s = Deref(moved, &fetch_values_[e.dst_slot]);
        if (!s.ok()) {
          error_ = s.WithContext(StrCat("fetch '", plan_.spec().fetches[e.dst_slot], "'"));
          return;
        }
        fetch_state_[e.dst_slot] = 1;
        continue;
      }
      Deliver(e.dst, e.dst_slot, is_live ? &moved : nullptr, !is_live, f, iter, st, from_enter);
    }
  }

  // Takes input `i` of node p; derefs a ref unless the op forwards refs.
  Status TakeInput(const PlanNode& p, IterState* st, int i, bool keep_ref, Entry* out) {
    Entry& e = st->inputs[p.input_base + i];
    if (e.ref && !keep_ref) {
      Tensor t;
      Status s = Deref(e, &t);
      e = Entry();
      if (!s.ok()) return s;
      out->value = std::move(t);
      out->ref = nullptr;
      return Status::OK();
    }
    *out = std::move(e);
    e = Entry();
    return Status::OK();
  }

  Status RunKernel(const PlanNode& p, IterState* st, std::vector<Entry>* outs) {
    OpContext ctx;
    RETURN_IF_ERROR(LoadKernelInputs(p, st->inputs.data() + p.input_base, &ctx));
    ctx.outputs_.resize(p.num_outputs);
    ctx.node_name_ = p.name;
    ctx.op_ = p.op;
    ctx.thread_pool_ = pool_;
    ctx.resources_ = env_.resources;
    ctx.step_resources_ = &step_resources_;
    ctx.functions_ = env_.functions;
    ctx.model_dir_ = model_dir_;
    RETURN_IF_ERROR(p.kernel->Compute(&ctx));
    for (int i = 0; i < p.num_outputs; ++i) RETURN_IF_ERROR(TakeKernelOutput(p, &ctx, i, &(*outs)[i]));
    return Status::OK();
  }

  Status Process(const Token& t) {
    const PlanNode& p = nodes_[t.node];
    Frame* f = t.frame;
    IterState* st = FindIter(f, t.iter);
    if (!st) return Internal("node '", p.name, "' scheduled in a finished iteration");
    bool dead = t.dead && p.kind != NodeKind::kControlTrigger;
    std::vector<Entry> outs(p.num_outputs);
    std::vector<uint8_t> live;
    const std::vector<uint8_t>* live_ptr = nullptr;
    Status s;
    if (!dead) {
      switch (p.kind) {
        case NodeKind::kKernel:
          s = RunKernel(p, st, &outs);
          break;
        case NodeKind::kFeed:
          outs[0].value = std::move(feeds_[p.feed_index]);
          break;
        case NodeKind::kSwitch: {
          Entry pred;
          s = TakeInput(p, st, 1, false, &pred);
          if (s.ok() && (pred.value.dtype() != DType::kBool || pred.value.NumElements() != 1 ||
                         pred.value.rank() != 0)) {
            s = InvalidArgument("pred must be a scalar bool, got ", pred.value.DTypeShapeString());
          }
          if (!s.ok()) break;
          const bool take_true = pred.value.scalar<bool>();
          live = {static_cast<uint8_t>(!take_true), static_cast<uint8_t>(take_true)};
          live_ptr = &live;
          s = TakeInput(p, st, 0, p.forwards_refs, &outs[take_true ? 1 : 0]);
          break;
        }
        case NodeKind::kMerge: {
          const int chosen = st->chosen[p.local_id];
          s = TakeInput(p, st, chosen, p.forwards_refs, &outs[0]);
          if (p.num_outputs > 1) outs[1].value = Tensor::Scalar<int32_t>(chosen);
          break;
        }
        case NodeKind::kEnter:
        case NodeKind::kExit:
        case NodeKind::kNextIteration:
        case NodeKind::kLoopCond:
          s = TakeInput(p, st, 0, p.forwards_refs, &outs[0]);
          break;
        case NodeKind::kControlTrigger:
          break;
      }
    }
    // Drop whatever is left in the node's input slots (dead nodes, merges).
    for (int i = 0; i < p.num_inputs; ++i) st->inputs[p.input_base + i] = Entry();
    if (!s.ok()) return s.WithContext(StrCat("node '", p.name, "' (", p.op, ")"));

    switch (p.kind) {
      case NodeKind::kEnter: {
        ASSIGN_OR_RETURN(Frame * child, FindOrCreateChild(f, t.iter, st, p.child_frame));
        if (p.is_constant) {
          child->invariants.push_back(Frame::Invariant{t.node, dead, dead ? Entry() : outs[0]});
          for (size_t k = 0; k < child->iterations.size(); ++k) {
            std::vector<Entry> copy = outs;
            Propagate(p, &copy, nullptr, dead, child, child->first_iter + k, child->iterations[k].get(), true);
          }
        } else {
          IterState* first = FindIter(child, 0);
          if (!first) return Internal("frame '", plan_.frames()[child->static_id].name, "' lost iteration 0");
          Propagate(p, &outs, nullptr, dead, child, 0, first, true);
        }
        child->pending_enters--;
        MaybeComplete(child);
        break;
      }
      case NodeKind::kExit:
        if (!dead) {
          IterState* pst = FindIter(f->parent, f->parent_iter);
          if (!pst) return Internal("parent iteration of frame '", plan_.frames()[f->static_id].name, "' is gone");
          f->exit_live[p.exit_index] = 1;
          Propagate(p, &outs, nullptr, false, f->parent, f->parent_iter, pst, false);
        }
        break;
      case NodeKind::kNextIteration:
        if (!dead) {  // a dead NextIteration ends the loop
          ASSIGN_OR_RETURN(IterState * next, GetOrCreateIter(f, t.iter + 1));
          Propagate(p, &outs, nullptr, false, f, t.iter + 1, next, false);
        }
        break;
      default:
        Propagate(p, &outs, live_ptr, dead, f, t.iter, st, false);
        break;
    }
    RETURN_IF_ERROR(error_);
    st->outstanding_ops--;
    MaybeComplete(f);
    return Status::OK();
  }

  StatusOr<Frame*> FindOrCreateChild(Frame* f, int64_t iter, IterState* st, int static_id) {
    auto key = std::make_pair(static_id, iter);
    auto it = f->children.find(key);
    if (it != f->children.end()) return it->second.get();
    auto child = std::make_unique<Frame>();
    const FrameInfo& fi = plan_.frames()[static_id];
    child->static_id = static_id;
    child->parent = f;
    child->parent_iter = iter;
    child->pending_enters = fi.num_enters;
    child->exit_live.assign(fi.exits.size(), 0);
    child->iterations.push_back(NewIterState(static_id));
    st->outstanding_frames++;
    Frame* raw = child.get();
    f->children.emplace(key, std::move(child));
    return raw;
  }

  // Frees finished iterations of `f`; when the last one finishes, delivers
  // dead values for Exits that never fired and finishes the frame.
  void MaybeComplete(Frame* f) {
    while (f->parent != nullptr) {
      while (!f->iterations.empty()) {
        IterState* st = f->iterations.front().get();
        if (st->outstanding_ops > 0 || st->outstanding_frames > 0 || f->pending_enters > 0) return;
        f->iterations.pop_front();
        f->first_iter++;
      }
      Frame* parent = f->parent;
      const int64_t piter = f->parent_iter;
      IterState* pst = FindIter(parent, piter);
      if (!pst) {
        error_ = Internal("parent iteration of frame '", plan_.frames()[f->static_id].name, "' is gone");
        return;
      }
      const FrameInfo& fi = plan_.frames()[f->static_id];
      for (size_t k = 0; k < fi.exits.size(); ++k) {
        if (f->exit_live[k]) continue;
        std::vector<Entry> outs(1);
        Propagate(nodes_[fi.exits[k]], &outs, nullptr, true, parent, piter, pst, false);
      }
      pst->outstanding_frames--;
      parent->children.erase(std::make_pair(f->static_id, piter));  // destroys f
      f = parent;
    }
  }

  const Plan& plan_;
  const std::vector<PlanNode>& nodes_;
  const RunEnv& env_;
  std::vector<Tensor> feeds_;
  const RunOptions& options_;
  ThreadPool* pool_;
  const std::string* model_dir_;
  ResourceManager step_resources_;
  Frame root_;
  std::deque<Token> queue_;
  std::vector<Tensor> fetch_values_;
  std::vector<uint8_t> fetch_state_;  // 0 = not yet, 1 = value, 2 = dead
  Status error_;
};

// The reusable buffers of a straight-line run. Kept per thread between runs
// (a stack, since a kernel may call a function that runs a nested plan), so
// a run of a small graph allocates nothing of its own.
struct StraightLineState {
  std::vector<Entry> slots;
  std::vector<uint8_t> fetch_set;
  OpContext ctx;
};

class StraightLineStatePool {
 public:
  std::unique_ptr<StraightLineState> Take() {
    if (free_.empty()) return std::make_unique<StraightLineState>();
    std::unique_ptr<StraightLineState> s = std::move(free_.back());
    free_.pop_back();
    return s;
  }
  void Return(std::unique_ptr<StraightLineState> s) {
    // Drop every tensor reference now: they must not outlive the run.
    s->slots.clear();
    s->ctx.inputs_.clear();
    s->ctx.outputs_.clear();
    if (free_.size() < 8) free_.push_back(std::move(s));
  }

 private:
  std::vector<std::unique_ptr<StraightLineState>> free_;
};

thread_local StraightLineStatePool straight_line_states;

// Runs a straight_line() plan: nodes in plan.order(), one input slot array,
// one OpContext reused for every node, outputs moved into their last consumer.
class StraightLineRunner {
 public:
  StraightLineRunner(const Plan& plan, const RunEnv& env, const RunOptions& options)
      : plan_(plan), env_(env), options_(options), state_(straight_line_states.Take()),
        slots_(state_->slots), fetch_set_(state_->fetch_set), ctx_(state_->ctx) {}
  ~StraightLineRunner() { straight_line_states.Return(std::move(state_)); }

  Status Run(std::vector<Tensor>& feeds, std::vector<Tensor>* fetches) {
    const std::vector<PlanNode>& nodes = plan_.nodes();
    const FrameInfo& root = plan_.frames()[0];
    slots_.resize(root.num_input_slots);
    const int num_fetches = plan_.num_fetches();
    fetches->clear();
    fetches->resize(num_fetches);
    fetch_set_.assign(num_fetches, 0);
    static const std::string kEmpty;
    ctx_.thread_pool_ = env_.thread_pool ? env_.thread_pool : ThreadPool::Default();
    ctx_.resources_ = env_.resources;
    ctx_.step_resources_ = &step_resources_;
    ctx_.functions_ = env_.functions;
    ctx_.model_dir_ = env_.model_dir ? env_.model_dir : &kEmpty;
    int steps = 0;
    for (int id : plan_.order()) {
      const PlanNode& p = nodes[id];
      if ((++steps & 63) == 0) RETURN_IF_ERROR(CheckInterrupted(plan_, options_));
      if (p.kind == NodeKind::kFeed) {
        RETURN_IF_ERROR(Send(p, 0, Entry{std::move(feeds[p.feed_index]), nullptr}, fetches));
        continue;
      }
      Status s = Compute(p, fetches);
      if (!s.ok()) {
        for (int i = 0; i < p.num_inputs; ++i) slots_[p.input_base + i] = Entry();
        return s.WithContext(StrCat("node '", p.name, "' (", p.op, ")"));
      }
    }
    for (int i = 0; i < num_fetches; ++i) {
      if (!fetch_set_[i]) {
        return Internal("fetch '", plan_.spec().fetches[i], "' of ", plan_.spec().purpose, " was never computed");
      }
    }
    return Status::OK();
  }

 private:
  Status Compute(const PlanNode& p, std::vector<Tensor>* fetches) {
    OpContext& ctx = ctx_;
    RETURN_IF_ERROR(LoadKernelInputs(p, slots_.data() + p.input_base, &ctx));
    ctx.outputs_.resize(p.num_outputs);
    ctx.output_refs_.clear();
    ctx.node_name_ = p.name;
    ctx.op_ = p.op;
    Status s = p.kernel->Compute(&ctx);
    for (Tensor& t : ctx.inputs_) t = Tensor();  // inputs die with the node, as in TF
    RETURN_IF_ERROR(s);
    for (int i = 0; i < p.num_outputs; ++i) {
      Entry out;
      RETURN_IF_ERROR(TakeKernelOutput(p, &ctx, i, &out));
      RETURN_IF_ERROR(Send(p, i, std::move(out), fetches));
    }
    return Status::OK();
  }

  // Delivers output `output` of p to its consumers' slots and to fetches.
  Status Send(const PlanNode& p, int output, Entry value, std::vector<Tensor>* fetches) {
    for (const OutEdge& e : p.out_edges) {
      if (e.src_output != output) continue;
      if (e.dst == kFetchNode) {
        if (!value.ref && e.last_use) {  // nothing reads it after the fetch: no copy
          (*fetches)[e.dst_slot] = std::move(value.value);
          fetch_set_[e.dst_slot] = 1;
          continue;
        }
        Status s = Deref(value, &(*fetches)[e.dst_slot]);
        if (!s.ok()) return s.WithContext(StrCat("fetch '", plan_.spec().fetches[e.dst_slot], "'"));
        fetch_set_[e.dst_slot] = 1;
        continue;
      }
      Entry& slot = slots_[plan_.nodes()[e.dst].input_base + e.dst_slot];
      if (e.last_use) {
        slot = std::move(value);
      } else {
        slot = value;
      }
    }
    return Status::OK();
  }

  const Plan& plan_;
  const RunEnv& env_;
  const RunOptions& options_;
  std::unique_ptr<StraightLineState> state_;
  std::vector<Entry>& slots_;
  std::vector<uint8_t>& fetch_set_;
  OpContext& ctx_;
  ResourceManager step_resources_;
};

}  // namespace

namespace {
thread_local const RunOptions* current_run_options = nullptr;
}  // namespace

const RunOptions* CurrentRunOptions() { return current_run_options; }

Status Execute(const Plan& plan, const RunEnv& env, std::vector<Tensor> feeds, std::vector<Tensor>* fetches,
               const RunOptions& options) {
  const RunOptions* saved = current_run_options;
  current_run_options = &options;
  Status st;
  if (!env.resources) {
    st = InvalidArgument("Execute: RunEnv.resources is required");
  } else if (plan.straight_line()) {
    st = CheckFeeds(plan, feeds);
    if (st.ok()) st = StraightLineRunner(plan, env, options).Run(feeds, fetches);
  } else {
    Runner runner(plan, env, std::move(feeds), options);
    st = runner.Run(fetches);
  }
  current_run_options = saved;
  return st;
}

}  // namespace stfs
