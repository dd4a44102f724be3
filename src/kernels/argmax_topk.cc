// ArgMax/ArgMin, Cumsum/Cumprod, TopKV2 and InTopKV2.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "kernels/cwise_util.h"
#include "kernels/reduction_ops.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

struct RealOnly {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
};
struct NumericOnly {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
};

// A scalar (or 1-element) int32/int64 tensor's value.
StatusOr<int64_t> ReadScalarInt(const Tensor& t, const char* what) {
  if (t.NumElements() != 1) return InvalidArgument(what, " must be a scalar, got shape ", t.shape().ToString());
  if (t.dtype() == DType::kInt32) return static_cast<int64_t>(t.data<int32_t>()[0]);
  if (t.dtype() == DType::kInt64) return t.data<int64_t>()[0];
  return InvalidArgument(what, " must be int32 or int64, got ", DTypeName(t.dtype()));
}

// Splits `s` around dim `axis` into [outer, n, inner].
void SplitAt(const Shape& s, int axis, int64_t* outer, int64_t* n, int64_t* inner) {
  *outer = 1;
  *inner = 1;
  for (int d = 0; d < axis; ++d) *outer *= s.dim(d);
  *n = s.dim(axis);
  for (int d = axis + 1; d < s.rank(); ++d) *inner *= s.dim(d);
}

template <bool kMax>
class ArgKernel : public OpKernel {
 public:
  explicit ArgKernel(DType out_type) : out_type_(out_type) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!Supports<RealOnly>(in.dtype())) return UnsupportedDType(ctx, in.dtype());
    ASSIGN_OR_RETURN(int64_t axis, ReadScalarInt(ctx->input(1), "dimension"));
    const int rank = in.rank();
    if (axis < -rank || axis >= rank) {
      return InvalidArgument("Expected dimension in the range [", -rank, ", ", rank, "), but got ", axis);
    }
    if (axis < 0) axis += rank;
    if (in.dim(axis) == 0) {
      return InvalidArgument("Reduction axis ", axis, " is empty in shape ", in.shape().ToString());
    }
    Shape out_shape = in.shape();
    out_shape.RemoveDim(static_cast<int>(axis));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, out_type_, out_shape));
    int64_t outer, n, inner;
    SplitAt(in.shape(), static_cast<int>(axis), &outer, &n, &inner);
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (kIsReal<T>) {
        using C = ComputeT<T>;
        const T* p = in.data<T>();
        auto run = [&]<typename I>(I* o) {
          ctx->thread_pool()->ParallelFor(outer * inner, n, [&](int64_t b, int64_t e) {
            for (int64_t t = b; t < e; ++t) {
              const int64_t oi = t / inner, j = t % inner;
              const T* base = p + oi * n * inner + j;
              C best = static_cast<C>(base[0]);
              int64_t best_i = 0;
              for (int64_t r = 1; r < n; ++r) {
                const C v = static_cast<C>(base[r * inner]);
                // Strict comparison keeps the smallest index on ties.
                if (kMax ? v > best : v < best) {
                  best = v;
                  best_i = r;
                }
              }
              o[t] = static_cast<I>(best_i);
            }
          });
        };
        if (out_type_ == DType::kInt32) run(out->data<int32_t>());
        else run(out->data<int64_t>());
      }
    });
    return Status::OK();
  }

 private:
  const DType out_type_;
};

template <bool kMax>
StatusOr<std::unique_ptr<OpKernel>> MakeArg(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<RealOnly>(init));
  const DType out = init.attrs.GetTypeOr("output_type", DType::kInt64);
  if (out != DType::kInt32 && out != DType::kInt64) {
    return InvalidArgument(init.op, " output_type must be int32 or int64, got ", DTypeName(out));
  }
  return std::unique_ptr<OpKernel>(new ArgKernel<kMax>(out));
}

template <bool kProd>
class CumKernel : public OpKernel {
 public:
  CumKernel(bool exclusive, bool reverse) : exclusive_(exclusive), reverse_(reverse) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!Supports<NumericOnly>(in.dtype())) return UnsupportedDType(ctx, in.dtype());
    ASSIGN_OR_RETURN(int64_t axis, ReadScalarInt(ctx->input(1), "axis"));
    const int rank = in.rank();
    if (rank == 0 || axis < -rank || axis >= rank) {
      return InvalidArgument("axis ", axis, " is out of range for input of shape ", in.shape().ToString());
    }
    if (axis < 0) axis += rank;
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, in.dtype(), in.shape()));
    int64_t outer, n, inner;
    SplitAt(in.shape(), static_cast<int>(axis), &outer, &n, &inner);
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (kIsNumeric<T>) {
        using C = ComputeT<T>;
        const T* p = in.data<T>();
        T* o = out->data<T>();
        ctx->thread_pool()->ParallelFor(outer, n * inner, [&](int64_t b, int64_t e) {
          std::vector<C> acc(inner);
          for (int64_t oi = b; oi < e; ++oi) {
            std::fill(acc.begin(), acc.end(), kProd ? C(1) : C(0));
            for (int64_t k = 0; k < n; ++k) {
              const int64_t r = reverse_ ? n - 1 - k : k;
              const int64_t base = (oi * n + r) * inner;
              for (int64_t j = 0; j < inner; ++j) {
                const C v = static_cast<C>(p[base + j]);
                if (exclusive_) o[base + j] = static_cast<T>(acc[j]);
                acc[j] = kProd ? WrapMul(acc[j], v) : WrapAdd(acc[j], v);
                if (!exclusive_) o[base + j] = static_cast<T>(acc[j]);
              }
            }
          }
        });
      }
    });
    return Status::OK();
  }

 private:
  const bool exclusive_, reverse_;
};

template <bool kProd>
StatusOr<std::unique_ptr<OpKernel>> MakeCum(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<NumericOnly>(init));
  return std::unique_ptr<OpKernel>(
      new CumKernel<kProd>(init.attrs.GetBoolOr("exclusive", false), init.attrs.GetBoolOr("reverse", false)));
}

// TopKV2(input [..., n], k) -> values [..., k], indices int32 [..., k].
class TopKKernel : public OpKernel {
 public:
  explicit TopKKernel(bool sorted) : sorted_(sorted) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!Supports<RealOnly>(in.dtype())) return UnsupportedDType(ctx, in.dtype());
    ASSIGN_OR_RETURN(int64_t k, ReadScalarInt(ctx->input(1), "k"));
    if (in.rank() < 1) return InvalidArgument("input must be at least 1-D, got shape ", in.shape().ToString());
    const int64_t n = in.dim(in.rank() - 1);
    if (k < 0) return InvalidArgument("Need k >= 0, got ", k);
    if (n < k) return InvalidArgument("input must have at least k columns. Had ", n, ", needed ", k);
    Shape out_shape = in.shape();
    out_shape.set_dim(in.rank() - 1, k);
    ASSIGN_OR_RETURN(Tensor * values, ctx->allocate_output(0, in.dtype(), out_shape));
    ASSIGN_OR_RETURN(Tensor * indices, ctx->allocate_output(1, DType::kInt32, out_shape));
    const int64_t rows = n == 0 ? 0 : in.NumElements() / n;
    if (k == 0 || rows == 0) return Status::OK();
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (kIsReal<T>) {
        using C = ComputeT<T>;
        const T* p = in.data<T>();
        T* vo = values->data<T>();
        int32_t* io = indices->data<int32_t>();
        ctx->thread_pool()->ParallelFor(rows, n * 4, [&](int64_t b, int64_t e) {
          std::vector<int32_t> idx(n);
          for (int64_t r = b; r < e; ++r) {
            const T* row = p + r * n;
            std::iota(idx.begin(), idx.end(), 0);
            // Larger value first; equal values keep the lower index first.
            auto before = [&](int32_t x, int32_t y) {
              const C vx = static_cast<C>(row[x]), vy = static_cast<C>(row[y]);
              return vx > vy || (!(vy > vx) && x < y);
            };
            if (k < n) std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), before);
            else std::sort(idx.begin(), idx.end(), before);
            for (int64_t i = 0; i < k; ++i) {
              io[r * k + i] = idx[i];
              vo[r * k + i] = row[idx[i]];
            }
          }
        });
      }
    });
    return Status::OK();
  }

 private:
  const bool sorted_;  // results are always sorted, which satisfies sorted=false too
};

// InTopKV2(predictions [batch, classes] float, targets [batch], k) -> bool [batch].
class InTopKKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& pred = ctx->input(0);
    const Tensor& targets = ctx->input(1);
    ASSIGN_OR_RETURN(int64_t k, ReadScalarInt(ctx->input(2), "k"));
    if (pred.dtype() != DType::kFloat) return UnsupportedDType(ctx, pred.dtype());
    if (pred.rank() != 2) return InvalidArgument("predictions must be 2-D, got ", pred.shape().ToString());
    if (targets.rank() != 1 || targets.dim(0) != pred.dim(0)) {
      return InvalidArgument("targets must be 1-D with ", pred.dim(0), " elements, got ", targets.shape().ToString());
    }
    const int64_t batch = pred.dim(0), classes = pred.dim(1);
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, DType::kBool, Shape{batch}));
    for (int64_t b = 0; b < batch; ++b) {
      ASSIGN_OR_RETURN(int64_t t, ReadScalarInt(targets.SliceDim0(b, b + 1), "target"));
      bool in_top = false;
      if (t >= 0 && t < classes) {
        const float* row = pred.data<float>() + b * classes;
        const float tv = row[t];
        if (std::isfinite(tv)) {
          int64_t more = 0;
          for (int64_t c = 0; c < classes; ++c) more += row[c] > tv;
          in_top = more < k;
        }
      }
      out->data<bool>()[b] = in_top;
    }
    return Status::OK();
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateArgMax(const KernelInit& i) { return MakeArg<true>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateArgMin(const KernelInit& i) { return MakeArg<false>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateCumsum(const KernelInit& i) { return MakeCum<false>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateCumprod(const KernelInit& i) { return MakeCum<true>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateTopKV2(const KernelInit& i) {
  RETURN_IF_ERROR(CheckInitDType<RealOnly>(i));
  return std::unique_ptr<OpKernel>(new TopKKernel(i.attrs.GetBoolOr("sorted", true)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateInTopKV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new InTopKKernel());
}

}  // namespace stfs::kernels
