// Select (v1 rules), SelectV2 (broadcasting) and ClipByValue.
#include <algorithm>
#include <string>

#include "kernels/cwise_util.h"
#include "kernels/elementwise.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

// Copies elements of t or e; works for every dtype (strings included).
template <class T>
void SelectRows(const bool* c, const T* t, const T* e, T* o, int64_t rows, int64_t row_len, ThreadPool* pool) {
  pool->ParallelFor(rows, row_len, [&](int64_t b, int64_t end) {
    for (int64_t r = b; r < end; ++r) {
      const T* src = c[r] ? t : e;
      std::copy(src + r * row_len, src + (r + 1) * row_len, o + r * row_len);
    }
  });
}

Status CheckSelectInputs(OpContext* ctx, const Tensor& c, const Tensor& t, const Tensor& e) {
  if (c.dtype() != DType::kBool) {
    return InvalidArgument(ctx->op(), " condition must be bool, got ", DTypeName(c.dtype()));
  }
  if (t.dtype() != e.dtype()) {
    return InvalidArgument(ctx->op(), " 't' and 'e' must have the same dtype, got ", DTypeName(t.dtype()), " and ",
                           DTypeName(e.dtype()));
  }
  return Status::OK();
}

class SelectKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& c = ctx->input(0);
    const Tensor& t = ctx->input(1);
    const Tensor& e = ctx->input(2);
    RETURN_IF_ERROR(CheckSelectInputs(ctx, c, t, e));
    if (t.shape() != e.shape()) {
      return InvalidArgument("'t' and 'e' must have the same shape, got ", t.shape().ToString(), " and ",
                             e.shape().ToString());
    }
    int64_t rows, row_len;
    if (c.shape() == t.shape()) {
      rows = t.NumElements();
      row_len = 1;
    } else if (c.rank() == 0) {
      ctx->set_output(0, c.scalar<bool>() ? t : e);
      return Status::OK();
    } else if (c.rank() == 1 && t.rank() >= 1 && c.dim(0) == t.dim(0)) {
      rows = c.dim(0);
      row_len = rows == 0 ? 0 : t.NumElements() / rows;
    } else {
      return InvalidArgument("'condition' must be a scalar, a vector matching the first dimension of 't', or have ",
                             "the shape of 't'; got condition ", c.shape().ToString(), " and 't' ", t.shape().ToString());
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, t.dtype(), t.shape()));
    if (out->NumElements() == 0) return Status::OK();
    if (!DispatchDType(t.dtype(), [&]<typename T>() {
          SelectRows(c.data<bool>(), t.data<T>(), e.data<T>(), out->data<T>(), rows, row_len, ctx->thread_pool());
        })) {
      return InvalidArgument("Select on an invalid dtype");
    }
    return Status::OK();
  }
};

class SelectV2Kernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& c = ctx->input(0);
    const Tensor& t = ctx->input(1);
    const Tensor& e = ctx->input(2);
    RETURN_IF_ERROR(CheckSelectInputs(ctx, c, t, e));
    const Shape shapes[3] = {c.shape(), t.shape(), e.shape()};
    ASSIGN_OR_RETURN(BroadcastPlan plan, MakeBroadcastPlan(shapes));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, t.dtype(), plan.out_shape));
    if (out->NumElements() == 0) return Status::OK();
    const int64_t inner = plan.inner();
    const int64_t sc = plan.strides[0].back(), st = plan.strides[1].back(), se = plan.strides[2].back();
    if (!DispatchDType(t.dtype(), [&]<typename T>() {
          const bool* cp = c.data<bool>();
          const T* tp = t.data<T>();
          const T* ep = e.data<T>();
          T* op = out->data<T>();
          ctx->thread_pool()->ParallelFor(plan.rows(), inner, [&](int64_t b, int64_t end) {
            ForEachBroadcastRow<3>(plan, b, end, [&](const std::array<int64_t, 3>& off, int64_t oo) {
              const bool* cr = cp + off[0];
              const T* tr = tp + off[1];
              const T* er = ep + off[2];
              T* orow = op + oo;
              if (sc && st && se) {
                for (int64_t i = 0; i < inner; ++i) orow[i] = cr[i] ? tr[i] : er[i];
              } else {
                for (int64_t i = 0; i < inner; ++i) orow[i] = cr[i * sc] ? tr[i * st] : er[i * se];
              }
            });
          });
        })) {
      return InvalidArgument("SelectV2 on an invalid dtype");
    }
    return Status::OK();
  }
};

// ClipByValue(t, min, max): min and max are scalars or have t's shape.
class ClipByValueKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& t = ctx->input(0);
    const Tensor& lo = ctx->input(1);
    const Tensor& hi = ctx->input(2);
    if (lo.dtype() != t.dtype() || hi.dtype() != t.dtype()) {
      return InvalidArgument("ClipByValue inputs must share a dtype, got ", DTypeName(t.dtype()), ", ",
                             DTypeName(lo.dtype()), ", ", DTypeName(hi.dtype()));
    }
    for (const Tensor* b : {&lo, &hi}) {
      if (b->NumElements() != 1 && b->shape() != t.shape()) {
        return InvalidArgument("clip_value_min and clip_value_max must be scalars or have the shape of t ",
                               t.shape().ToString(), ", got ", b->shape().ToString());
      }
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, t.dtype(), t.shape()));
    bool supported = false;
    DispatchDType(t.dtype(), [&]<typename T>() {
      if constexpr (kIsReal<T>) {
        if (IsQuantized(t.dtype())) return;
        supported = true;
        using C = ComputeT<T>;
        const T* x = t.data<T>();
        const T* l = lo.data<T>();
        const T* h = hi.data<T>();
        const bool sl = lo.NumElements() != 1 || t.NumElements() == 1, sh = hi.NumElements() != 1 || t.NumElements() == 1;
        T* o = out->data<T>();
        ctx->thread_pool()->ParallelFor(t.NumElements(), 2, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) {
            const C v = static_cast<C>(x[i]), lv = static_cast<C>(l[sl ? i : 0]), hv = static_cast<C>(h[sh ? i : 0]);
            o[i] = static_cast<T>(v < lv ? lv : (hv < v ? hv : v));
          }
        });
      }
    });
    if (!supported) return UnsupportedDType(ctx, t.dtype());
    return Status::OK();
  }
};

}  // namespace

KernelOr CreateSelect(const KernelInit&) { return std::unique_ptr<OpKernel>(new SelectKernel()); }
KernelOr CreateSelectV2(const KernelInit&) { return std::unique_ptr<OpKernel>(new SelectV2Kernel()); }
KernelOr CreateClipByValue(const KernelInit&) { return std::unique_ptr<OpKernel>(new ClipByValueKernel()); }

}  // namespace stfs::kernels
