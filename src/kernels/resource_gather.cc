#include "kernels/resource_gather.h"

#include <shared_mutex>

#include "kernels/registry.h"

namespace stfs::kernels {
namespace {

// Snapshot of the variable behind input 0, checked against `dtype`.
StatusOr<Tensor> ReadVar(OpContext* ctx, DType dtype) {
  const Tensor& t = ctx->input(0);
  if (t.dtype() != DType::kResource || t.NumElements() != 1) {
    return InvalidArgument("expected a scalar resource handle, got ", t.DTypeShapeString());
  }
  const ResourceHandle& h = t.data<ResourceHandle>()[0];
  auto var = ctx->resources()->Lookup<Var>(h.container, h.name);
  if (!var.ok()) {
    if (var.status().code() == Code::kNotFound) {
      return FailedPrecondition("Attempting to use uninitialized value ", h.name,
                                " (resource variable was never assigned)");
    }
    return var.status();
  }
  std::shared_lock<std::shared_mutex> lock((*var)->mu);
  if (!(*var)->initialized) return FailedPrecondition("Attempting to use uninitialized value ", h.name);
  if ((*var)->tensor.dtype() != dtype) {
    return InvalidArgument("variable '", h.name, "' is ", DTypeName((*var)->tensor.dtype()), " but dtype attr is ",
                           DTypeName(dtype));
  }
  return (*var)->tensor;  // later updates copy-on-write, so this stays fixed
}

// Runs the registered stateless gather kernel (GatherV2 / GatherNd) on the
// variable's value, so the indexing semantics live in one place.
class ResourceGatherOp : public OpKernel {
 public:
  ResourceGatherOp(DType dtype, int64_t batch_dims, std::unique_ptr<OpKernel> inner)
      : dtype_(dtype), batch_dims_(batch_dims), inner_(std::move(inner)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(Tensor params, ReadVar(ctx, dtype_));
    OpContext sub;
    sub.inputs_ = {std::move(params), ctx->input(1)};
    // ResourceGather gathers along axis = batch_dims.
    if (batch_dims_ >= 0) sub.inputs_.push_back(Tensor::Scalar<int64_t>(batch_dims_));
    sub.outputs_.resize(1);
    sub.node_name_ = ctx->node_name();
    sub.op_ = ctx->op();
    sub.thread_pool_ = ctx->thread_pool();
    sub.resources_ = ctx->resources();
    sub.step_resources_ = ctx->step_resources();
    sub.functions_ = ctx->functions();
    sub.model_dir_ = &ctx->model_dir();
    RETURN_IF_ERROR(inner_->Compute(&sub));
    ctx->set_output(0, std::move(sub.outputs_[0]));
    return Status::OK();
  }

 private:
  DType dtype_;
  int64_t batch_dims_;  // -1 for GatherNd (no axis input)
  std::unique_ptr<OpKernel> inner_;
};

StatusOr<std::unique_ptr<OpKernel>> CreateInner(const KernelInit& init, std::string_view op, const AttrMap& attrs,
                                                std::span<const DType> dtypes) {
  const KernelRegistration* reg = FindKernel(op);
  if (!reg) return Internal("no ", op, " kernel registered (needed by ", init.op, ")");
  bool is_ref[3] = {false, false, false};
  KernelInit inner{init.node_name, op, attrs, dtypes, std::span<const bool>(is_ref, dtypes.size()), 1};
  return reg->create(inner);
}

DType IndexDType(const KernelInit& init) {
  DType d = init.attrs.GetTypeOr("Tindices", DType::kInvalid);
  if (d == DType::kInvalid && init.input_dtypes.size() > 1) d = init.input_dtypes[1];
  return d;
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateResourceGather(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  const int64_t batch_dims = init.attrs.GetIntOr("batch_dims", 0);
  if (batch_dims < 0) {
    return InvalidArgument("ResourceGather: batch_dims must be >= 0 (negative values are not supported), got ",
                           batch_dims);
  }
  AttrMap attrs;
  AttrValue bd;
  bd.kind = AttrValue::Kind::kInt;
  bd.i = batch_dims;
  attrs.Set("batch_dims", bd);
  const DType dtypes[3] = {dtype, IndexDType(init), DType::kInt64};
  ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> inner, CreateInner(init, "GatherV2", attrs, dtypes));
  return std::unique_ptr<OpKernel>(new ResourceGatherOp(dtype, batch_dims, std::move(inner)));
}

StatusOr<std::unique_ptr<OpKernel>> CreateResourceGatherNd(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  AttrMap attrs;
  const DType dtypes[2] = {dtype, IndexDType(init)};
  ASSIGN_OR_RETURN(std::unique_ptr<OpKernel> inner, CreateInner(init, "GatherNd", attrs, dtypes));
  return std::unique_ptr<OpKernel>(new ResourceGatherOp(dtype, -1, std::move(inner)));
}

}  // namespace stfs::kernels
