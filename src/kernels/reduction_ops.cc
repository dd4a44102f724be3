// Reductions over axes given as an input: Sum, Prod, Max, Min, Mean, All, Any,
// EuclideanNorm.
//
// The input's dims are merged into alternating kept/reduced groups (size-1
// dims dropped); each reduced group is removed by one [outer, n, inner] pass,
// last group first. Usually that is a single pass: a contiguous row reduction
// (inner == 1) or a column accumulation (inner > 1), both vectorisable.
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "kernels/cwise_util.h"
#include "kernels/reduction_ops.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

template <class C> C Lowest() {
  if constexpr (std::numeric_limits<C>::has_infinity) return -std::numeric_limits<C>::infinity();
  else return std::numeric_limits<C>::lowest();
}
template <class C> C Highest() {
  if constexpr (std::numeric_limits<C>::has_infinity) return std::numeric_limits<C>::infinity();
  else return std::numeric_limits<C>::max();
}

// Reducers: Init() identity, Combine(acc, x); kSupports<T> on the stored type.
struct SumR {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
  template <class C> static C Init() { return C(0); }
  template <class C> static C Combine(C a, C b) { return WrapAdd(a, b); }
};
struct ProdR {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
  template <class C> static C Init() { return C(1); }
  template <class C> static C Combine(C a, C b) { return WrapMul(a, b); }
};
struct MaxR {  // propagates NaN, like Maximum
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  template <class C> static C Init() { return Lowest<C>(); }
  template <class C> static C Combine(C a, C b) { return (a > b || a != a) ? a : b; }
};
struct MinR {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  template <class C> static C Init() { return Highest<C>(); }
  template <class C> static C Combine(C a, C b) { return (a < b || a != a) ? a : b; }
};
struct AllR {
  template <class T> static constexpr bool kSupports = std::is_same_v<T, bool>;
  template <class C> static C Init() { return true; }
  template <class C> static C Combine(C a, C b) { return a && b; }
};
struct AnyR {
  template <class T> static constexpr bool kSupports = std::is_same_v<T, bool>;
  template <class C> static C Init() { return false; }
  template <class C> static C Combine(C a, C b) { return a || b; }
};

enum class Finish { kNone, kMean, kSqrt };

// Reduces p[0..n) with 8 independent accumulators (lets the compiler use SIMD).
template <class R, class C, bool kSquare>
C ReduceRow(const C* p, int64_t n) {
  auto in = [&](int64_t i) { return kSquare ? C(p[i] * p[i]) : p[i]; };
  C acc[8];
  for (auto& a : acc) a = R::template Init<C>();
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) acc[k] = R::template Combine<C>(acc[k], in(i + k));
  }
  C r = R::template Init<C>();
  for (int k = 0; k < 8; ++k) r = R::template Combine<C>(r, acc[k]);
  for (; i < n; ++i) r = R::template Combine<C>(r, in(i));
  return r;
}

// out[o, j] = reduce_r in[o, r, j] for o < outer, r < n, j < inner.
template <class R, class C, bool kSquare>
void ReducePass(const C* in, C* out, int64_t outer, int64_t n, int64_t inner, ThreadPool* pool) {
  if (inner == 1) {
    if (outer == 1 && n >= (1 << 16)) {
      // One long row: fixed chunking keeps the result independent of thread count.
      constexpr int64_t kChunks = 16;
      C partial[kChunks];
      const int64_t chunk = (n + kChunks - 1) / kChunks;
      pool->ParallelFor(kChunks, chunk, [&](int64_t b, int64_t e) {
        for (int64_t c = b; c < e; ++c) {
          const int64_t s = std::min(n, c * chunk), t = std::min(n, s + chunk);
          partial[c] = ReduceRow<R, C, kSquare>(in + s, t - s);
        }
      });
      C r = R::template Init<C>();
      for (int64_t c = 0; c < kChunks; ++c) r = R::template Combine<C>(r, partial[c]);
      out[0] = r;
      return;
    }
    pool->ParallelFor(outer, n, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) out[o] = ReduceRow<R, C, kSquare>(in + o * n, n);
    });
    return;
  }
  constexpr int64_t kBlock = 512;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
  pool->ParallelFor(outer * blocks, n * std::min(inner, kBlock), [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / blocks, j0 = (t % blocks) * kBlock, len = std::min(kBlock, inner - j0);
      C* dst = out + o * inner + j0;
      for (int64_t j = 0; j < len; ++j) dst[j] = R::template Init<C>();
      for (int64_t r = 0; r < n; ++r) {
        const C* src = in + (o * n + r) * inner + j0;
        for (int64_t j = 0; j < len; ++j) {
          dst[j] = R::template Combine<C>(dst[j], kSquare ? C(src[j] * src[j]) : src[j]);
        }
      }
    }
  });
}

// Reads axes (int32/int64, scalar or 1-D) into a mask over `rank` dims.
StatusOr<std::vector<bool>> ReadReductionAxes(const Tensor& axes, int rank) {
  if (axes.rank() > 1) return InvalidArgument("reduction axes must be a scalar or vector, got shape ", axes.shape().ToString());
  std::vector<bool> mask(rank, false);
  for (int64_t i = 0; i < axes.NumElements(); ++i) {
    int64_t a;
    if (axes.dtype() == DType::kInt32) a = axes.data<int32_t>()[i];
    else if (axes.dtype() == DType::kInt64) a = axes.data<int64_t>()[i];
    else return InvalidArgument("reduction axes must be int32 or int64, got ", DTypeName(axes.dtype()));
    if (a < -rank || a >= rank) {
      return InvalidArgument("Invalid reduction dimension (", a, " for input with ", rank, " dimension(s)");
    }
    mask[a < 0 ? a + rank : a] = true;
  }
  return mask;
}

template <class R, Finish kFinish>
class ReductionKernel : public OpKernel {
 public:
  explicit ReductionKernel(bool keep_dims) : keep_dims_(keep_dims) {}

  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!Supports<R>(in.dtype()) || (kFinish == Finish::kSqrt && DTypeIsComplex(in.dtype()))) {
      return UnsupportedDType(ctx, in.dtype());
    }
    const int rank = in.rank();
    ASSIGN_OR_RETURN(std::vector<bool> mask, ReadReductionAxes(ctx->input(1), rank));
    std::vector<int64_t> out_dims;
    int64_t count = 1;  // elements reduced into each output
    for (int d = 0; d < rank; ++d) {
      if (mask[d]) {
        count *= in.dim(d);
        if (keep_dims_) out_dims.push_back(1);
      } else {
        out_dims.push_back(in.dim(d));
      }
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, in.dtype(), Shape(std::move(out_dims))));
    Status st;
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (R::template kSupports<T>) st = Run<T>(ctx, in, mask, count, out);
    });
    return st;
  }

 private:
  template <class T>
  Status Run(OpContext* ctx, const Tensor& in, const std::vector<bool>& mask, int64_t count, Tensor* out) {
    using C = ComputeT<T>;
    const int64_t out_n = out->NumElements();
    if (out_n == 0) return Status::OK();
    std::vector<C> converted;
    const C* src;
    if constexpr (std::is_same_v<T, C>) {
      src = in.data<T>();
    } else {
      converted.resize(in.NumElements());
      for (int64_t i = 0; i < in.NumElements(); ++i) converted[i] = static_cast<C>(in.data<T>()[i]);
      src = converted.data();
    }
    // Merged groups of (size, reduced), size-1 dims dropped.
    std::vector<std::pair<int64_t, bool>> groups;
    for (int d = 0; d < in.rank(); ++d) {
      if (in.dim(d) == 1) continue;
      if (!groups.empty() && groups.back().second == mask[d]) groups.back().first *= in.dim(d);
      else groups.emplace_back(in.dim(d), mask[d]);
    }
    std::unique_ptr<C[]> result(new C[out_n]);
    if (in.NumElements() == 0) {
      std::fill(result.get(), result.get() + out_n, R::template Init<C>());
    } else {
      std::unique_ptr<C[]> prev, cur;  // pass buffers (std::vector<bool> has no data())
      bool first = true;
      bool any = false;
      for (;;) {
        int g = static_cast<int>(groups.size()) - 1;
        while (g >= 0 && !groups[g].second) --g;
        if (g < 0) break;
        any = true;
        int64_t outer = 1, inner = 1;
        for (int i = 0; i < g; ++i) outer *= groups[i].first;
        for (size_t i = g + 1; i < groups.size(); ++i) inner *= groups[i].first;
        cur.reset(new C[outer * inner]);
        C* dst = cur.get();
        if constexpr (kFinish == Finish::kSqrt) {
          if (first) ReducePass<R, C, true>(src, dst, outer, groups[g].first, inner, ctx->thread_pool());
          else ReducePass<R, C, false>(src, dst, outer, groups[g].first, inner, ctx->thread_pool());
        } else {
          ReducePass<R, C, false>(src, dst, outer, groups[g].first, inner, ctx->thread_pool());
        }
        first = false;
        src = dst;
        prev = std::move(cur);  // keeps src alive for the next pass
        groups.erase(groups.begin() + g);
        // Re-merge kept neighbours.
        for (size_t i = 1; i < groups.size();) {
          if (groups[i].second == groups[i - 1].second) {
            groups[i - 1].first *= groups[i].first;
            groups.erase(groups.begin() + i);
          } else {
            ++i;
          }
        }
      }
      if (!any) {  // nothing (or only size-1 dims) reduced
        for (int64_t i = 0; i < out_n; ++i) {
          result[i] = kFinish == Finish::kSqrt ? C(src[i] * src[i]) : src[i];
        }
      } else {
        std::copy(src, src + out_n, result.get());
      }
    }
    T* o = out->data<T>();
    for (int64_t i = 0; i < out_n; ++i) {
      C v = result[i];
      if constexpr (kFinish == Finish::kMean) {
        if constexpr (kIsInt<C>) v = count == 0 ? C(0) : C(v / static_cast<C>(count));
        else v = v / static_cast<C>(static_cast<double>(count));  // 0/0 = NaN for empty
      } else if constexpr (kFinish == Finish::kSqrt) {
        if constexpr (kIsInt<C>) v = static_cast<C>(std::sqrt(static_cast<double>(v)));
        else if constexpr (!kIsComplex<C>) v = std::sqrt(v);
      }
      o[i] = static_cast<T>(v);
    }
    return Status::OK();
  }

  const bool keep_dims_;
};

template <class R, Finish kFinish = Finish::kNone>
StatusOr<std::unique_ptr<OpKernel>> MakeReduction(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<R>(init));
  return std::unique_ptr<OpKernel>(new ReductionKernel<R, kFinish>(init.attrs.GetBoolOr("keep_dims", false)));
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateSum(const KernelInit& i) { return MakeReduction<SumR>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateProd(const KernelInit& i) { return MakeReduction<ProdR>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateMax(const KernelInit& i) { return MakeReduction<MaxR>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateMin(const KernelInit& i) { return MakeReduction<MinR>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateMean(const KernelInit& i) { return MakeReduction<SumR, Finish::kMean>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateAll(const KernelInit& i) { return MakeReduction<AllR>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateAny(const KernelInit& i) { return MakeReduction<AnyR>(i); }
StatusOr<std::unique_ptr<OpKernel>> CreateEuclideanNorm(const KernelInit& i) {
  return MakeReduction<SumR, Finish::kSqrt>(i);
}

}  // namespace stfs::kernels
