// MatMul and BatchMatMul: batched row-major GEMM with batch broadcasting.
#include <complex>
#include <vector>

#include "kernels/broadcast.h"
#include "kernels/cwise_util.h"
#include "kernels/gemm.h"
#include "kernels/matmul.h"
#include "kernels/matmul_internal.h"

namespace stfs::kernels {

using namespace cwise;  // NOLINT: internal helpers

namespace {

// Plain loops for ints and complex (no BLAS); adjoint conjugates complex.
template <class T>
void NaiveGemm(bool ta, bool tb, bool conj_a, bool conj_b, int64_t m, int64_t n, int64_t k, const T* a,
               const T* b, T* c) {
  auto get_a = [&](int64_t i, int64_t p) {
    T v = ta ? a[p * m + i] : a[i * k + p];
    if constexpr (kIsComplex<T>) if (conj_a) v = std::conj(v);
    return v;
  };
  auto get_b = [&](int64_t p, int64_t j) {
    T v = tb ? b[j * k + p] : b[p * n + j];
    if constexpr (kIsComplex<T>) if (conj_b) v = std::conj(v);
    return v;
  };
  for (int64_t i = 0; i < m; ++i) {
    T* crow = c + i * n;
    for (int64_t j = 0; j < n; ++j) crow[j] = T(0);
    for (int64_t p = 0; p < k; ++p) {
      const T av = get_a(i, p);
      for (int64_t j = 0; j < n; ++j) crow[j] = WrapAdd(crow[j], WrapMul(av, get_b(p, j)));
    }
  }
}

template <class T>
void ToFloat(const T* in, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]);
}

}  // namespace

bool MatMulSupports(DType d) {
  if (IsQuantized(d)) return false;
  bool ok = false;
  DispatchDType(d, [&]<typename T>() { ok = kIsFloat<T> || kIsComplex<T> || (kIsInt<T> && sizeof(T) >= 2); });
  return ok;
}

Status BatchedMatMul(const Tensor& x, const Tensor& y, bool adj_x, bool adj_y, bool broadcast_batch,
                     OpContext* ctx, Tensor* out_or_null) {
  if (x.dtype() != y.dtype()) {
    return InvalidArgument(ctx->op(), " inputs must have the same dtype, got ", DTypeName(x.dtype()), " and ",
                           DTypeName(y.dtype()));
  }
  if (!MatMulSupports(x.dtype())) return UnsupportedDType(ctx, x.dtype());
  if (x.rank() < 2 || y.rank() < 2) {
    return InvalidArgument(ctx->op(), " inputs must be at least 2-D, got ", x.shape().ToString(), " and ",
                           y.shape().ToString());
  }
  const int rx = x.rank(), ry = y.rank();
  const int64_t m = adj_x ? x.dim(rx - 1) : x.dim(rx - 2);
  const int64_t kx = adj_x ? x.dim(rx - 2) : x.dim(rx - 1);
  const int64_t ky = adj_y ? y.dim(ry - 1) : y.dim(ry - 2);
  const int64_t n = adj_y ? y.dim(ry - 2) : y.dim(ry - 1);
  if (kx != ky) {
    return InvalidArgument("Matrix size-incompatible: In[0]: ", x.shape().ToString(), ", In[1]: ",
                           y.shape().ToString(), (adj_x || adj_y) ? " (with transposes)" : "");
  }
  // Batch dims and the per-output-batch offsets into x and y.
  std::vector<int64_t> bx(x.shape().dims().begin(), x.shape().dims().end() - 2);
  std::vector<int64_t> by(y.shape().dims().begin(), y.shape().dims().end() - 2);
  Shape batch_x(bx), batch_y(by);
  Shape batch_out;
  if (broadcast_batch) {
    ASSIGN_OR_RETURN(batch_out, BroadcastShapes(batch_x, batch_y));
  } else {
    if (batch_x != batch_y) {
      return InvalidArgument(ctx->op(), " batch dimensions must match: ", x.shape().ToString(), " vs. ",
                             y.shape().ToString());
    }
    batch_out = batch_x;
  }
  Shape out_shape = batch_out;
  out_shape.AddDim(m);
  out_shape.AddDim(n);
  Tensor* out;
  if (out_or_null) {
    out = out_or_null;
  } else {
    ASSIGN_OR_RETURN(out, ctx->allocate_output(0, x.dtype(), out_shape));
  }
  const int64_t batches = batch_out.num_elements();
  if (out->NumElements() == 0) return Status::OK();
  std::vector<int64_t> off_x(batches, 0), off_y(batches, 0);
  if (batches > 1 && (batch_x != batch_out || batch_y != batch_out)) {
    const Shape shapes[2] = {batch_x, batch_y};
    ASSIGN_OR_RETURN(BroadcastPlan plan, MakeBroadcastPlan(shapes));
    const int64_t inner = plan.inner();
    const int64_t sx = plan.strides[0].back(), sy = plan.strides[1].back();
    ForEachBroadcastRow<2>(plan, 0, plan.rows(), [&](const std::array<int64_t, 2>& off, int64_t oo) {
      for (int64_t i = 0; i < inner; ++i) {
        off_x[oo + i] = off[0] + i * sx;
        off_y[oo + i] = off[1] + i * sy;
      }
    });
  } else {
    for (int64_t b = 0; b < batches; ++b) off_x[b] = off_y[b] = b;
  }
  const int64_t xs = m * kx, ys = kx * n, os = m * n;
  ThreadPool* pool = ctx->thread_pool();
  DispatchDType(x.dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      const T* xp = x.data<T>();
      const T* yp = y.data<T>();
      T* op = out->data<T>();
      auto one = [&](int64_t b, ThreadPool* p) {
        const T* a = xp + off_x[b] * xs;
        const T* bb = yp + off_y[b] * ys;
        T* c = op + b * os;
        if constexpr (std::is_same_v<T, float>) GemmF32(adj_x, adj_y, m, n, kx, a, adj_x ? m : kx, bb, adj_y ? kx : n, c, n, p);
        else GemmF64(adj_x, adj_y, m, n, kx, a, adj_x ? m : kx, bb, adj_y ? kx : n, c, n, p);
      };
      if (batches == 1) {
        one(0, pool);
      } else {
        // Many small matrices: parallelise over the batch; each GEMM single-threaded.
        pool->ParallelFor(batches, 2 * m * n * kx, [&](int64_t b, int64_t e) {
          for (int64_t i = b; i < e; ++i) one(i, nullptr);
        });
      }
    } else if constexpr (kIsHalfLike<T>) {
      pool->ParallelFor(batches, 2 * m * n * kx, [&](int64_t b, int64_t e) {
        std::vector<float> a(xs), bb(ys), c(os);
        for (int64_t i = b; i < e; ++i) {
          ToFloat(x.data<T>() + off_x[i] * xs, a.data(), xs);
          ToFloat(y.data<T>() + off_y[i] * ys, bb.data(), ys);
          GemmF32(adj_x, adj_y, m, n, kx, a.data(), adj_x ? m : kx, bb.data(), adj_y ? kx : n, c.data(), n,
                  batches == 1 ? pool : nullptr);
          T* o = out->data<T>() + i * os;
          for (int64_t j = 0; j < os; ++j) o[j] = T(c[j]);
        }
      });
    } else if constexpr (kIsInt<T> || kIsComplex<T>) {
      pool->ParallelFor(batches, 2 * m * n * kx, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
          NaiveGemm(adj_x, adj_y, adj_x, adj_y, m, n, kx, x.data<T>() + off_x[i] * xs, y.data<T>() + off_y[i] * ys,
                    out->data<T>() + i * os);
        }
      });
    }
  });
  return Status::OK();
}

namespace {

class MatMulKernel : public OpKernel {
 public:
  MatMulKernel(bool ta, bool tb) : ta_(ta), tb_(tb) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& a = ctx->input(0);
    const Tensor& b = ctx->input(1);
    if (a.rank() != 2 || b.rank() != 2) {
      return InvalidArgument("MatMul inputs must be 2-D, got ", a.shape().ToString(), " and ", b.shape().ToString());
    }
    // MatMul's transpose never conjugates; BatchedMatMul's adjoint does for complex.
    if (DTypeIsComplex(a.dtype()) && (ta_ || tb_)) {
      return Unimplemented("MatMul with transpose on complex inputs");
    }
    return BatchedMatMul(a, b, ta_, tb_, false, ctx, nullptr);
  }

 private:
  const bool ta_, tb_;
};

class BatchMatMulKernel : public OpKernel {
 public:
  BatchMatMulKernel(bool adj_x, bool adj_y, bool broadcast) : adj_x_(adj_x), adj_y_(adj_y), broadcast_(broadcast) {}
  Status Compute(OpContext* ctx) override {
    return BatchedMatMul(ctx->input(0), ctx->input(1), adj_x_, adj_y_, broadcast_, ctx, nullptr);
  }

 private:
  const bool adj_x_, adj_y_, broadcast_;
};

Status CheckDType(const KernelInit& init) {
  const DType d = InitDType(init);
  if (d != DType::kInvalid && !MatMulSupports(d)) {
    return InvalidArgument(init.op, " has no CPU kernel for dtype ", DTypeName(d));
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateMatMul(const KernelInit& init) {
  RETURN_IF_ERROR(CheckDType(init));
  return std::unique_ptr<OpKernel>(
      new MatMulKernel(init.attrs.GetBoolOr("transpose_a", false), init.attrs.GetBoolOr("transpose_b", false)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateBatchMatMul(const KernelInit& init) {
  RETURN_IF_ERROR(CheckDType(init));
  return std::unique_ptr<OpKernel>(
      new BatchMatMulKernel(init.attrs.GetBoolOr("adj_x", false), init.attrs.GetBoolOr("adj_y", false), false));
}
StatusOr<std::unique_ptr<OpKernel>> CreateBatchMatMulV2(const KernelInit& init) {
  RETURN_IF_ERROR(CheckDType(init));
  return std::unique_ptr<OpKernel>(
      new BatchMatMulKernel(init.attrs.GetBoolOr("adj_x", false), init.attrs.GetBoolOr("adj_y", false), true));
}

}  // namespace stfs::kernels
