// The kernel contract: what every TensorFlow op implementation sees.
//
// Life of a kernel:
//   1. Load time: the plan compiler looks the op up in the ONE registry table
//      (kernels/registry.cc) and calls its factory with a KernelInit (node
//      name, op, attributes, input dtypes). The factory validates attributes
//      and returns an OpKernel, or an error naming the problem; an error fails
//      the model load. This is the "Prepare" half: parse attrs once here.
//   2. Run time: Compute(OpContext*) reads inputs and produces outputs. It may
//      be called concurrently from many requests: kernels keep no mutable
//      state (state lives in resources reached through the context).
//
// Errors from Compute should name what is wrong with the values ("indices[3] =
// 7 is not in [0, 5)"); the executor prefixes the node name and op.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "exec/resource.h"
#include "graph/attr.h"
#include "tensor/tensor.h"

namespace stfs {

class OpContext;
class FunctionRuntime;

struct KernelInit {
  std::string_view node_name;
  std::string_view op;
  const AttrMap& attrs;
  // Declared dtype of each data input (ref-ness stripped; kInvalid if unknown).
  std::span<const DType> input_dtypes;
  // True where the input is a ref edge (e.g. Assign's first input).
  std::span<const bool> input_is_ref;
  int num_outputs = 0;
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  virtual Status Compute(OpContext* ctx) = 0;
};

using KernelFactory = StatusOr<std::unique_ptr<OpKernel>> (*)(const KernelInit& init);

// One row of the registry table.
struct KernelRegistration {
  std::string_view op;      // TensorFlow op name, verbatim ("MatMul")
  KernelFactory create;
  bool is_stateful = false; // never deduplicated or constant-folded
};

// Calls into the function library (PartitionedCall, While, If, ...).
class FunctionRuntime {
 public:
  virtual ~FunctionRuntime() = default;
  // Runs function `name` (with call-site attrs, may be null) on `args`.
  virtual Status Call(const std::string& name, const AttrMap* attrs,
                      std::span<const Tensor> args, std::vector<Tensor>* rets) = 0;
};

// Filled by the executor for one node execution.
class OpContext {
 public:
  // ---- inputs ----
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  const Tensor& input(int i) const { return inputs_[i]; }
  // For a ref input (an edge from VariableV2 and friends): the variable; else nullptr.
  Var* input_ref(int i) const { return i < static_cast<int>(input_refs_.size()) ? input_refs_[i] : nullptr; }
  // Moves input i out (the executor no longer needs it): lets kernels reuse its buffer
  // when RefCountIsOne().
  Tensor release_input(int i) { return std::move(inputs_[i]); }

  // ---- outputs ----
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  void set_output(int i, Tensor t) { outputs_[i] = std::move(t); }
  // Allocates output i (checked size); returns a pointer to it for filling.
  StatusOr<Tensor*> allocate_output(int i, DType dtype, Shape shape) {
    ASSIGN_OR_RETURN(outputs_[i], Tensor::Create(dtype, std::move(shape)));
    return &outputs_[i];
  }
  // Marks output i as a ref to `var` (VariableV2): consumers see var->tensor.
  void set_output_ref(int i, Var* var) {
    if (output_refs_.size() < outputs_.size()) output_refs_.resize(outputs_.size(), nullptr);
    output_refs_[i] = var;
  }

  // ---- environment ----
  std::string_view node_name() const { return node_name_; }
  std::string_view op() const { return op_; }
  ThreadPool* thread_pool() const { return thread_pool_; }
  // Per model-version resources (variables, tables). Never null.
  ResourceManager* resources() const { return resources_; }
  // Per-Run resources (TensorArrays). Never null.
  ResourceManager* step_resources() const { return step_resources_; }
  // Function calls; null when the graph has no function library.
  FunctionRuntime* functions() const { return functions_; }
  // Directory of the SavedModel being served (asset paths etc.).
  const std::string& model_dir() const { return *model_dir_; }

  // ---- executor side ----
  std::vector<Tensor> inputs_;
  std::vector<Var*> input_refs_;
  std::vector<Tensor> outputs_;
  std::vector<Var*> output_refs_;
  std::string_view node_name_;
  std::string_view op_;
  ThreadPool* thread_pool_ = nullptr;
  ResourceManager* resources_ = nullptr;
  ResourceManager* step_resources_ = nullptr;
  FunctionRuntime* functions_ = nullptr;
  const std::string* model_dir_ = nullptr;
};

}  // namespace stfs
