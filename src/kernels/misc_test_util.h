// Test helper for the kernels-misc tests: runs one registered kernel against
// a caller-owned ResourceManager, so several ops (a table's handle op, its
// initializer, its lookups) share resources the way one model version does.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "kernels/kernel_tester.h"

namespace stfs::kernels::testing {

class SharedRunner {
 public:
  // Runs `op` with `attrs` on `inputs`; returns its outputs.
  StatusOr<std::vector<Tensor>> Run(const std::string& op, std::vector<Tensor> inputs,
                                    std::initializer_list<std::pair<std::string, AttrValue>> attrs = {},
                                    int num_outputs = 1, const std::string& node_name = "test_node") {
    const KernelRegistration* reg = FindKernel(op);
    if (!reg) return NotFound("no kernel registered for op ", op);
    AttrMap attr_map;
    for (const auto& [k, v] : attrs) attr_map.Set(k, v);
    std::vector<DType> dtypes;
    for (const Tensor& t : inputs) dtypes.push_back(t.dtype());
    bool is_ref[16] = {};
    KernelInit init{node_name, op, attr_map, dtypes, std::span<const bool>(is_ref, inputs.size()), num_outputs};
    ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> kernel, reg->create(init));
    OpContext ctx;
    ctx.inputs_ = std::move(inputs);
    ctx.outputs_.resize(num_outputs);
    ctx.node_name_ = node_name;
    ctx.op_ = op;
    ctx.thread_pool_ = ThreadPool::Default();
    ctx.resources_ = &resources_;
    ctx.step_resources_ = &step_resources_;
    ctx.model_dir_ = &model_dir_;
    RETURN_IF_ERROR(kernel->Compute(&ctx));
    return std::move(ctx.outputs_);
  }
  ResourceManager& resources() { return resources_; }

 private:
  ResourceManager resources_;
  ResourceManager step_resources_;
  std::string model_dir_ = ".";
};

}  // namespace stfs::kernels::testing
