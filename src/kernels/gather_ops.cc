#include "kernels/gather_ops.h"

#include <algorithm>
#include <type_traits>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

// params[batch..., outer..., idx, inner...] gathered with per-batch indices.
Status DoGather(const Tensor& params, const Tensor& indices, int64_t axis_in, int64_t batch_dims,
                Tensor* out) {
  RETURN_IF_ERROR(CheckIntDType(indices, "indices"));
  if (params.rank() < 1) return InvalidArgument("params must be at least 1 dimensional");
  if (batch_dims < 0) batch_dims += indices.rank();
  ASSIGN_OR_RETURN(int axis, CanonicalAxis(axis_in, params.rank(), "axis"));
  if (batch_dims < 0 || batch_dims > indices.rank()) {
    return InvalidArgument("batch_dims = ", batch_dims, " must be in [0, rank(indices) = ",
                           indices.rank(), "]");
  }
  if (batch_dims > axis) {
    return InvalidArgument("batch_dims (", batch_dims, ") must be less than or equal to axis (", axis, ")");
  }
  for (int d = 0; d < batch_dims; ++d) {
    if (params.dim(d) != indices.dim(d)) {
      return InvalidArgument("params.shape[", d, "]: ", params.dim(d), " should be equal to indices.shape[",
                             d, "]: ", indices.dim(d));
    }
  }
  std::vector<int64_t> out_dims;
  int64_t batch = 1, outer = 1, inner = 1, per_batch = 1;
  for (int d = 0; d < batch_dims; ++d) {
    out_dims.push_back(params.dim(d));
    batch *= params.dim(d);
  }
  for (int d = batch_dims; d < axis; ++d) {
    out_dims.push_back(params.dim(d));
    outer *= params.dim(d);
  }
  for (int d = batch_dims; d < indices.rank(); ++d) {
    out_dims.push_back(indices.dim(d));
    per_batch *= indices.dim(d);
  }
  for (int d = axis + 1; d < params.rank(); ++d) {
    out_dims.push_back(params.dim(d));
    inner *= params.dim(d);
  }
  const int64_t limit = params.dim(axis);
  ASSIGN_OR_RETURN(*out, Tensor::Create(params.dtype(), Shape(out_dims)));
  int64_t dst = 0;
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t o = 0; o < outer; ++o) {
      const int64_t src_base = (b * outer + o) * limit * inner;
      for (int64_t i = 0; i < per_batch; ++i) {
        const int64_t flat = b * per_batch + i;
        const int64_t idx = IntAt(indices, flat);
        if (idx < 0 || idx >= limit) {
          return InvalidArgument("indices[", flat, "] = ", idx, " is not in [0, ", limit, ")");
        }
        CopyElements(params, src_base + idx * inner, out, dst, inner);
        dst += inner;
      }
    }
  }
  return Status::OK();
}

class GatherOp : public OpKernel {
 public:
  explicit GatherOp(bool v2) : v2_(v2) {}
  Status Init(const KernelInit& init) {
    batch_dims_ = init.attrs.GetIntOr("batch_dims", 0);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    int64_t axis = 0;
    if (v2_) {
      ASSIGN_OR_RETURN(axis, ReadIntScalar(ctx->input(2), "axis"));
    }
    Tensor out;
    RETURN_IF_ERROR(DoGather(ctx->input(0), ctx->input(1), axis, batch_dims_, &out));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool v2_;
  int64_t batch_dims_ = 0;
};

class GatherNdOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& params = ctx->input(0);
    const Tensor& indices = ctx->input(1);
    RETURN_IF_ERROR(CheckIntDType(indices, "indices"));
    if (indices.rank() < 1) return InvalidArgument("indices must be at least a vector");
    const int k = static_cast<int>(indices.dim(indices.rank() - 1));
    if (k > params.rank()) {
      return InvalidArgument("index innermost dimension length must be <= params rank; saw: ", k,
                             " vs. ", params.rank());
    }
    std::vector<int64_t> out_dims(indices.shape().dims().begin(), indices.shape().dims().end() - 1);
    int64_t inner = 1;
    for (int d = k; d < params.rank(); ++d) {
      out_dims.push_back(params.dim(d));
      inner *= params.dim(d);
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(params.dtype(), Shape(out_dims)));
    int64_t n = 1;  // number of index tuples
    for (int d = 0; d + 1 < indices.rank(); ++d) n *= indices.dim(d);
    const std::vector<int64_t> strides = Strides(params.shape());
    for (int64_t i = 0; i < n; ++i) {
      int64_t off = 0;
      for (int j = 0; j < k; ++j) {
        const int64_t v = IntAt(indices, i * k + j);
        if (v < 0 || v >= params.dim(j)) {
          std::vector<int64_t> bad;
          for (int q = 0; q < k; ++q) bad.push_back(IntAt(indices, i * k + q));
          return InvalidArgument("indices[", i, "] = ", VecString(bad),
                                 " does not index into param shape ", params.shape().ToString());
        }
        off += v * strides[j];
      }
      CopyElements(params, off, &out, i * inner, inner);
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class OneHotOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    axis_ = init.attrs.GetIntOr("axis", -1);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& indices = ctx->input(0);
    ASSIGN_OR_RETURN(int64_t depth, ReadIntScalar(ctx->input(1), "depth"));
    const Tensor& on = ctx->input(2);
    const Tensor& off = ctx->input(3);
    if (on.NumElements() != 1 || off.NumElements() != 1 || on.dtype() != off.dtype()) {
      return InvalidArgument("on_value and off_value must be scalars of the same dtype, got ",
                             on.DTypeShapeString(), " and ", off.DTypeShapeString());
    }
    if (depth < 0) return InvalidArgument("depth must be non-negative, got: ", depth);
    const int rank = indices.rank();
    if (axis_ < -1 || axis_ > rank) {
      return InvalidArgument("Expected axis to be -1 or between [0, ", rank, "].  But received: ", axis_);
    }
    const int axis = axis_ == -1 ? rank : static_cast<int>(axis_);
    int64_t prefix = 1, suffix = 1;
    for (int d = 0; d < axis; ++d) prefix *= indices.dim(d);
    for (int d = axis; d < rank; ++d) suffix *= indices.dim(d);
    Shape shape = indices.shape();
    shape.InsertDim(axis, depth);
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(on.dtype(), std::move(shape)));
    std::vector<int64_t> idx(indices.NumElements());
    if (indices.dtype() == DType::kUInt8) {
      for (size_t i = 0; i < idx.size(); ++i) idx[i] = indices.data<uint8_t>()[i];
    } else {
      RETURN_IF_ERROR(CheckIntDType(indices, "indices"));
      for (size_t i = 0; i < idx.size(); ++i) idx[i] = IntAt(indices, i);
    }
    int64_t pos = 0;
    for (int64_t p = 0; p < prefix; ++p) {
      for (int64_t d = 0; d < depth; ++d) {
        for (int64_t s = 0; s < suffix; ++s) {
          const bool hot = idx[p * suffix + s] == d;
          CopyElements(hot ? on : off, 0, &out, pos++, 1);
        }
      }
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  int64_t axis_ = -1;
};

// Shared by ScatterNd (add into zeros) and TensorScatterUpdate (assign into a copy).
Status Scatter(const Tensor& indices, const Tensor& updates, bool add, Tensor* out) {
  RETURN_IF_ERROR(CheckIntDType(indices, "indices"));
  if (indices.rank() < 1) return InvalidArgument("indices must be at least a vector");
  const int k = static_cast<int>(indices.dim(indices.rank() - 1));
  if (k > out->rank()) {
    return InvalidArgument("indices innermost dimension ", k, " exceeds the output rank ", out->rank());
  }
  const int batch_rank = indices.rank() - 1;
  // updates.shape must be indices.shape[:-1] + shape[k:].
  std::vector<int64_t> want(indices.shape().dims().begin(), indices.shape().dims().end() - 1);
  int64_t inner = 1;
  for (int d = k; d < out->rank(); ++d) {
    want.push_back(out->dim(d));
    inner *= out->dim(d);
  }
  if (!std::ranges::equal(updates.shape().dims(), want) || updates.dtype() != out->dtype()) {
    return InvalidArgument("updates must have shape ", VecString(want), " and dtype ",
                           DTypeName(out->dtype()), ", got ", updates.DTypeShapeString());
  }
  int64_t n = 1;
  for (int d = 0; d < batch_rank; ++d) n *= indices.dim(d);
  const std::vector<int64_t> strides = Strides(out->shape());
  Status status;
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    for (int j = 0; j < k; ++j) {
      const int64_t v = IntAt(indices, i * k + j);
      if (v < 0 || v >= out->dim(j)) {
        return InvalidArgument("indices[", i, "] = ", v, " (component ", j,
                               ") does not index into shape ", out->shape().ToString());
      }
      off += v * strides[j];
    }
    if (!add) {
      CopyElements(updates, i * inner, out, off, inner);
      continue;
    }
    bool ok = DispatchDType(out->dtype(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        T* o = out->data<T>() + off;
        const T* u = updates.data<T>() + i * inner;
        for (int64_t q = 0; q < inner; ++q) o[q] += u[q];
      } else if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
        T* o = out->data<T>() + off;
        const T* u = updates.data<T>() + i * inner;
        for (int64_t q = 0; q < inner; ++q) o[q] += u[q];
      } else {
        status = InvalidArgument("ScatterNd does not support dtype ", DTypeName(out->dtype()));
      }
    });
    if (!ok || !status.ok()) return status.ok() ? InvalidArgument("invalid dtype") : status;
  }
  return Status::OK();
}

class ScatterNdOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::vector<int64_t> dims, ReadIntVector(ctx->input(2), "shape"));
    ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(ctx->input(1).dtype(), std::move(shape)));
    RETURN_IF_ERROR(Scatter(ctx->input(0), ctx->input(1), /*add=*/true, &out));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class TensorScatterUpdateOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    Tensor out = ctx->input(0).DeepCopy();
    RETURN_IF_ERROR(Scatter(ctx->input(1), ctx->input(2), /*add=*/false, &out));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateGatherV2(const KernelInit& init) {
  auto k = std::make_unique<GatherOp>(true);
  RETURN_IF_ERROR(k->Init(init));
  return std::unique_ptr<OpKernel>(std::move(k));
}
StatusOr<std::unique_ptr<OpKernel>> CreateGather(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new GatherOp(false));
}
StatusOr<std::unique_ptr<OpKernel>> CreateGatherNd(const KernelInit& init) { return MakeKernel<GatherNdOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateOneHot(const KernelInit& init) { return MakeKernel<OneHotOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateScatterNd(const KernelInit& init) { return MakeKernel<ScatterNdOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorScatterUpdate(const KernelInit& init) { return MakeKernel<TensorScatterUpdateOp>(init); }

}  // namespace stfs::kernels
