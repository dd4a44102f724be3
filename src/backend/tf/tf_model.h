// TfModel: one loaded TensorFlow SavedModel version run by our own executor.
//
// Load: read the SavedModel (tag set), build the Graph, restore variables
// (saver_def.restore_op_name fed the variables prefix), run the init op
// (__saved_model_init_op signature, else saved_model_main_op, else
// legacy_init_op; asset paths fed), and compile one Plan per signature. A
// signature needing an op without a kernel fails the load, naming the op,
// node and signature (and the function, for ops inside TF2 functions).
// TF2 SavedModels run through the function library (exec/function_runtime.h):
// their restore op and signatures are StatefulPartitionedCall nodes, and only
// the functions these reach are compiled.
//
// Predict validates aliases, dtypes (the graph's placeholder dtype is
// authoritative) and optionally shapes (the SignatureDef's PartialShape; see
// TfLoadOptions::strict_input_shapes), then runs the
// signature's plan. Variables live in this model's ResourceManager, so
// stateful signatures (counters) keep state per model version.
//
// Thread safety: Predict and metadata may be called concurrently.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backend/model.h"
#include "base/thread_pool.h"
#include "exec/function_runtime.h"
#include "exec/plan.h"
#include "exec/resource.h"

namespace stfs {

struct TfLoadOptions {
  std::vector<std::string> tags = {"serve"};
  // Kernel lookup; null means stfs::kernels::FindKernel.
  KernelLookup kernel_lookup = nullptr;
  // Per-Predict time limit (0 = none): a runaway graph loop then fails with
  // DEADLINE_EXCEEDED instead of holding a thread.
  std::chrono::milliseconds run_timeout{0};
  int64_t max_loop_iterations = int64_t{1} << 31;
  // Reject inputs whose shape is incompatible with the SignatureDef's shape.
  // Off by default: TensorFlow does not enforce it, and TF Serving's own
  // published example feeds x = [2, 3, 4] (shape [3]) to half_plus_two's
  // [?,1] signature and expects [3, 3.5, 4].
  bool strict_input_shapes = false;
  // Pool for intra-op parallelism (not owned; must outlive the model).
  // Null means ThreadPool::Default(), sized to the machine.
  ThreadPool* thread_pool = nullptr;
};

class TfModel : public Model {
 public:
  static StatusOr<std::unique_ptr<TfModel>> Load(const std::string& export_dir, const TfLoadOptions& options);
  ~TfModel() override;

  const ModelMetadata& metadata() const override { return metadata_; }
  StatusOr<NamedTensors> Predict(const std::string& signature_name, const NamedTensors& inputs,
                                 const std::vector<std::string>& output_filter) override;

  const std::string& export_dir() const { return export_dir_; }
  // Library functions compiled so far (lazily: only what signatures, restore
  // and init reach).
  std::vector<std::string> InstantiatedFunctions() const;

 private:
  struct Signature {
    SignatureInfo info;
    std::vector<const TensorInfo*> feeds;    // plan feed order
    std::vector<const TensorInfo*> fetches;  // plan fetch order (all dense outputs)
    std::shared_ptr<const Plan> plan;
    // Plans for output_filter subsets, compiled on first use.
    std::mutex filtered_mu;
    std::map<std::string, std::shared_ptr<const Plan>> filtered;
  };

  TfModel() = default;
  Status Run(const Plan& plan, std::vector<Tensor> feeds, std::vector<Tensor>* fetches);
  // Compiles a plan on graph_ with the function library, and every function
  // it reaches (so a missing kernel anywhere fails here).
  StatusOr<std::shared_ptr<const Plan>> Compile(PlanSpec spec);
  StatusOr<std::shared_ptr<const Plan>> PlanFor(Signature& sig, const std::vector<std::string>& fetch_aliases,
                                                std::vector<const TensorInfo*>* fetches);

  std::string export_dir_;
  TfLoadOptions options_;
  KernelLookup lookup_ = nullptr;
  ModelMetadata metadata_;
  std::shared_ptr<const Graph> graph_;
  ResourceManager resources_;
  std::unique_ptr<LibraryRuntime> functions_;  // after resources_: destroyed first
  std::map<std::string, std::unique_ptr<Signature>> signatures_;
};

}  // namespace stfs
