// Executor: runs a Plan once with feeds, returning fetches.
//
// A dataflow engine with TensorFlow's TF1 semantics: every value lives in a
// (frame, iteration); Switch kills one output; a node with a dead data or
// control input is dead (Merge fires on its first live input and is dead only
// when all data inputs are dead, or when a dead Enter reaches it); Enter moves
// values into a child frame (is_constant values reach every iteration),
// NextIteration into the next iteration, Exit back to the parent (dead Exits
// are delivered when their frame finishes). Iteration states are freed as
// soon as they complete, so memory is bounded by the live iterations.
//
// Scheduling: nodes of one run execute on the calling thread in dataflow
// order (FIFO); parallelism comes from concurrent runs and from intra-op
// sharding through OpContext::thread_pool(). Inputs are moved into the last
// consumer so kernels can reuse buffers (Tensor::RefCountIsOne()).
//
// Thread safety: any number of Execute calls may share one Plan and one
// ResourceManager.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "exec/op_kernel.h"
#include "exec/plan.h"
#include "exec/resource.h"

namespace stfs {

// What a run needs from its session (the model version).
struct RunEnv {
  ResourceManager* resources = nullptr;     // required: variables, tables
  FunctionRuntime* functions = nullptr;     // optional
  ThreadPool* thread_pool = nullptr;        // null: ThreadPool::Default()
  const std::string* model_dir = nullptr;   // null: ""
};

struct RunOptions {
  // Fails the run with DEADLINE_EXCEEDED once passed (checked between nodes).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Fails the run with CANCELLED when set (checked between nodes).
  const std::atomic<bool>* cancelled = nullptr;
  // Upper bound on the iterations of any one loop frame instance.
  int64_t max_loop_iterations = int64_t{1} << 31;
};

// Runs `plan`. `feeds` are in plan.spec().feeds order; `fetches` receives
// plan.spec().fetches order. Errors from kernels are prefixed with
// "node 'name' (Op): ".
Status Execute(const Plan& plan, const RunEnv& env, std::vector<Tensor> feeds, std::vector<Tensor>* fetches,
               const RunOptions& options = {});

// The options of the innermost Execute running on this thread, or null.
// Function calls (exec/function_runtime.h) run their bodies with them, so a
// deadline or cancellation reaches nested function bodies and loops.
const RunOptions* CurrentRunOptions();

}  // namespace stfs
