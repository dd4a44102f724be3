// LibraryRuntime: runs the functions of one model's FunctionDefLibrary.
//
// A function body is converted (graph/graph_def.h) and compiled into a Plan
// (feeds = its _Arg nodes, fetches = its results, targets = its control
// results and stateful nodes, which TensorFlow always runs) only when first
// needed, then cached per (function name, values of the attrs its signature
// declares). Real SavedModels carry many functions no signature reaches
// (gradients, CuDNN variants), so nothing is compiled up front; instead a
// model's loader calls InstantiateReachable on each plan it compiles, which
// compiles every function that plan can reach, transitively, so a missing
// kernel fails the load, naming the op, function and calling node.
//
// Calls run the body with the model's resources and the RunOptions of the
// calling Execute (deadline, cancellation, loop cap), nested at most
// `max_call_depth` deep (recursion fails instead of overflowing the stack).
//
// Thread safety: Call, HasFunction and InstantiateReachable may be called
// concurrently; compiled functions are immutable and shared.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/thread_pool.h"
#include "exec/executor.h"
#include "exec/plan.h"
#include "graph/graph.h"
#include "graph/op_schema.h"
#include "proto/function.pb.h"

namespace stfs {

struct LibraryRuntimeOptions {
  KernelLookup lookup = nullptr;              // required
  ResourceManager* resources = nullptr;       // required; the model's
  const std::string* model_dir = nullptr;     // may be null
  ThreadPool* thread_pool = nullptr;          // null: default pool
  int max_call_depth = 64;
};

class LibraryRuntime : public FunctionRuntime, public FunctionLibraryInfo {
 public:
  // `library` is copied; `schemas` must hold the library's signatures and
  // every op the bodies use (SchemasFromProto), and is shared.
  LibraryRuntime(const tensorflow::FunctionDefLibrary& library, std::shared_ptr<const OpSchemaSet> schemas,
                 LibraryRuntimeOptions options);

  Status Call(const std::string& name, const AttrMap* attrs, std::span<const Tensor> args,
              std::vector<Tensor>* rets) override;
  bool HasFunction(std::string_view name) const override;

  // Compiles every function `plan` can call (op names that are functions,
  // func / list(func) attributes), transitively. Errors name the function,
  // the node calling it and, from the body's plan, the op without a kernel.
  Status InstantiateReachable(const Plan& plan);

  // Names of the functions compiled so far (sorted; for tests and logs).
  std::vector<std::string> InstantiatedFunctions() const;

 private:
  struct Compiled {
    std::shared_ptr<const FunctionGraph> fn;
    std::shared_ptr<const Plan> plan;
  };

  std::string CacheKey(const tensorflow::FunctionDef& fdef, const AttrMap* attrs) const;
  // Returns the compiled function (compiling it and its callees if needed);
  // null with OK status while `name` is being compiled higher up this stack
  // (direct or mutual recursion).
  StatusOr<std::shared_ptr<const Compiled>> Instantiate(const std::string& name, const AttrMap* attrs);

  std::map<std::string, tensorflow::FunctionDef, std::less<>> functions_;
  std::shared_ptr<const OpSchemaSet> schemas_;
  LibraryRuntimeOptions options_;

  // Held while compiling (recursively for callees); Call takes it only to look up.
  mutable std::recursive_mutex mu_;
  std::map<std::string, std::shared_ptr<const Compiled>> compiled_;
  std::set<std::string> in_progress_;
};

}  // namespace stfs
