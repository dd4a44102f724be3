// KernelTester: runs one registered kernel on given inputs, for unit tests.
//
//   auto out = KernelTester("MatMul")
//                  .Attr("transpose_a", false)
//                  .Input(Tensor::FromVector<float>({1, 2}, Shape{1, 2}))
//                  .Input(Tensor::FromVector<float>({3, 4}, Shape{2, 1}))
//                  .Run();            // StatusOr<std::vector<Tensor>>
//   ExpectTensorNear(out->at(0), Tensor::FromVector<float>({11}, Shape{1, 1}));
//
// Errors from the factory (bad attrs) and from Compute are both returned.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exec/op_kernel.h"
#include "kernels/registry.h"

namespace stfs::kernels::testing {

inline AttrValue MakeAttr(int64_t v) { AttrValue a; a.kind = AttrValue::Kind::kInt; a.i = v; return a; }
inline AttrValue MakeAttr(int v) { return MakeAttr(static_cast<int64_t>(v)); }
inline AttrValue MakeAttr(float v) { AttrValue a; a.kind = AttrValue::Kind::kFloat; a.f = v; return a; }
inline AttrValue MakeAttr(double v) { return MakeAttr(static_cast<float>(v)); }
inline AttrValue MakeAttr(bool v) { AttrValue a; a.kind = AttrValue::Kind::kBool; a.b = v; return a; }
inline AttrValue MakeAttr(DType v) { AttrValue a; a.kind = AttrValue::Kind::kType; a.type = v; return a; }
inline AttrValue MakeAttr(const char* v) { AttrValue a; a.kind = AttrValue::Kind::kString; a.s = v; return a; }
inline AttrValue MakeAttr(std::string v) { AttrValue a; a.kind = AttrValue::Kind::kString; a.s = std::move(v); return a; }
inline AttrValue MakeAttr(PartialShape v) { AttrValue a; a.kind = AttrValue::Kind::kShape; a.shape = std::move(v); return a; }
inline AttrValue MakeAttr(Tensor v) { AttrValue a; a.kind = AttrValue::Kind::kTensor; a.tensor = std::move(v); return a; }
inline AttrValue MakeAttr(std::vector<int64_t> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_i = std::move(v); return a; }
inline AttrValue MakeAttr(std::vector<int> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_i.assign(v.begin(), v.end()); return a; }
inline AttrValue MakeAttr(std::vector<float> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_f = std::move(v); return a; }
inline AttrValue MakeAttr(std::vector<DType> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_type = std::move(v); return a; }
inline AttrValue MakeAttr(std::vector<std::string> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_s = std::move(v); return a; }
inline AttrValue MakeAttr(std::vector<PartialShape> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_shape = std::move(v); return a; }

class KernelTester {
 public:
  explicit KernelTester(std::string op) : op_(std::move(op)) {}

  template <typename T>
  KernelTester& Attr(std::string name, T value) {
    attrs_.Set(std::move(name), MakeAttr(std::move(value)));
    return *this;
  }
  KernelTester& Input(Tensor t) {
    dtypes_.push_back(t.dtype());
    is_ref_.push_back(false);
    inputs_.push_back(std::move(t));
    return *this;
  }
  // Shared across Run() calls of this tester (variables, tables).
  ResourceManager& resources() { return resources_; }

  StatusOr<std::vector<Tensor>> Run(int num_outputs = 1) {
    const KernelRegistration* reg = FindKernel(op_);
    if (!reg) return NotFound("no kernel registered for op ", op_);
    bool is_ref[64] = {};
    for (size_t i = 0; i < is_ref_.size() && i < 64; ++i) is_ref[i] = is_ref_[i];
    KernelInit init{"test_node", op_, attrs_, dtypes_, std::span<const bool>(is_ref, is_ref_.size()),
                    num_outputs};
    ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> kernel, reg->create(init));
    OpContext ctx;
    ctx.inputs_ = inputs_;
    ctx.outputs_.resize(num_outputs);
    ctx.node_name_ = "test_node";
    ctx.op_ = op_;
    ctx.thread_pool_ = ThreadPool::Default();
    ctx.resources_ = &resources_;
    ctx.step_resources_ = &step_resources_;
    static const std::string kDir = ".";
    ctx.model_dir_ = &kDir;
    RETURN_IF_ERROR(kernel->Compute(&ctx));
    for (int i = 0; i < num_outputs; ++i) {
      if (!ctx.outputs_[i].IsInitialized()) return Internal("kernel ", op_, " did not set output ", i);
    }
    return std::move(ctx.outputs_);
  }

 private:
  std::string op_;
  AttrMap attrs_;
  std::vector<Tensor> inputs_;
  std::vector<DType> dtypes_;
  std::vector<bool> is_ref_;
  ResourceManager resources_;
  ResourceManager step_resources_;
};

// EXPECTs dtype and shape equality and |got - want| <= atol + rtol*|want| per
// element (exact for integers, strings and bools; NaN matches NaN).
void ExpectTensorNear(const Tensor& got, const Tensor& want, double atol = 1e-6, double rtol = 1e-6);
inline void ExpectTensorEq(const Tensor& got, const Tensor& want) { ExpectTensorNear(got, want, 0, 0); }

}  // namespace stfs::kernels::testing
