// Internal helpers shared by the elementwise kernel files (not a public API):
// dtype traits, wrap-around integer arithmetic, and the broadcasting binary /
// unary loop drivers. Loops are templates over a functor so the per-element
// call inlines (no virtual or std::function per element); std::function is
// only crossed once per thread-pool shard.
#pragma once

#include <algorithm>
#include <complex>
#include <cstdint>
#include <type_traits>

#include "exec/op_kernel.h"
#include "kernels/broadcast.h"

namespace stfs::kernels::cwise {

template <class T> inline constexpr bool kIsHalfLike = std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
template <class T> inline constexpr bool kIsFloat = std::is_floating_point_v<T> || kIsHalfLike<T>;
template <class T> inline constexpr bool kIsComplex =
    std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>;
template <class T> inline constexpr bool kIsInt = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T> inline constexpr bool kIsReal = kIsFloat<T> || kIsInt<T>;
template <class T> inline constexpr bool kIsNumeric = kIsReal<T> || kIsComplex<T>;
// Arithmetic type used for T: 16-bit floats compute in float.
template <class T> using ComputeT = std::conditional_t<kIsHalfLike<T>, float, T>;

// Quantized dtypes share carriers with plain ints; math kernels reject them.
inline bool IsQuantized(DType d) {
  return d == DType::kQInt8 || d == DType::kQUInt8 || d == DType::kQInt32 || d == DType::kQInt16 ||
         d == DType::kQUInt16;
}

// Signed overflow wraps (as in TensorFlow) without C++ UB.
template <class T> inline T WrapAdd(T a, T b) {
  if constexpr (kIsInt<T> && std::is_signed_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}
template <class T> inline T WrapSub(T a, T b) {
  if constexpr (kIsInt<T> && std::is_signed_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
  } else {
    return a - b;
  }
}
template <class T> inline T WrapMul(T a, T b) {
  if constexpr (kIsInt<T> && std::is_signed_v<T>) {
    using U = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;
    return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    return a * b;
  }
}
template <class T> inline T WrapNeg(T a) { return WrapSub(T(0), a); }

// out[i] = f(a[i*sa], b[i*sb]) for i < n; strides are 0 or 1. The four
// branches give the compiler stride-free loops to vectorise.
template <class A, class B, class Out, class F>
inline void BinaryRow(const A* a, bool sa, const B* b, bool sb, Out* o, int64_t n, const F& f) {
  if (sa && sb) {
    for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], b[i]);
  } else if (sb) {
    const A av = a[0];
    for (int64_t i = 0; i < n; ++i) o[i] = f(av, b[i]);
  } else if (sa) {
    const B bv = b[0];
    for (int64_t i = 0; i < n; ++i) o[i] = f(a[i], bv);
  } else {
    const Out v = f(a[0], b[0]);
    for (int64_t i = 0; i < n; ++i) o[i] = v;
  }
}

// Writes f(x, y) broadcast into `out` (already allocated with the broadcast
// shape). `plan` may be null when x and y have the same shape or one has a
// single element and the other's shape is the output's.
template <class A, class B, class Out, class F>
void RunBinary(const Tensor& x, const Tensor& y, Tensor* out, const BroadcastPlan* plan,
               int64_t cost, ThreadPool* pool, const F& f) {
  const A* a = x.data<A>();
  const B* b = y.data<B>();
  Out* o = out->data<Out>();
  const int64_t n = out->NumElements();
  if (n == 0) return;
  if (plan == nullptr) {
    const bool sa = x.NumElements() == n, sb = y.NumElements() == n;
    pool->ParallelFor(n, cost, [&](int64_t begin, int64_t end) {
      BinaryRow(a + (sa ? begin : 0), sa, b + (sb ? begin : 0), sb, o + begin, end - begin, f);
    });
    return;
  }
  const bool sa = plan->strides[0].back() != 0, sb = plan->strides[1].back() != 0;
  const int64_t inner = plan->inner();
  pool->ParallelFor(plan->rows(), cost * inner, [&](int64_t begin, int64_t end) {
    ForEachBroadcastRow<2>(*plan, begin, end, [&](const std::array<int64_t, 2>& off, int64_t oo) {
      BinaryRow(a + off[0], sa, b + off[1], sb, o + oo, inner, f);
    });
  });
}

// Allocates output 0 with the broadcast of x and y and fills it with f.
template <class A, class B, class Out, class F>
Status ComputeBinary(OpContext* ctx, const Tensor& x, const Tensor& y, int64_t cost, const F& f) {
  const int64_t nx = x.NumElements(), ny = y.NumElements();
  if (x.shape() == y.shape() || (ny == 1 && y.rank() <= x.rank()) || (nx == 1 && x.rank() <= y.rank())) {
    const Shape& s = (x.shape() == y.shape() || (ny == 1 && y.rank() <= x.rank())) ? x.shape() : y.shape();
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, DTypeOf<Out>::value, s));
    RunBinary<A, B, Out>(x, y, out, nullptr, cost, ctx->thread_pool(), f);
    return Status::OK();
  }
  const Shape shapes[2] = {x.shape(), y.shape()};
  ASSIGN_OR_RETURN(BroadcastPlan plan, MakeBroadcastPlan(shapes));
  ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, DTypeOf<Out>::value, plan.out_shape));
  RunBinary<A, B, Out>(x, y, out, &plan, cost, ctx->thread_pool(), f);
  return Status::OK();
}

// Applies out[i] = f(in[i]) over n elements, sharded on the pool.
template <class In, class Out, class F>
void RunUnary(const In* in, Out* out, int64_t n, int64_t cost, ThreadPool* pool, const F& f) {
  pool->ParallelFor(n, cost, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = f(in[i]);
  });
}

}  // namespace stfs::kernels::cwise

namespace stfs::kernels::cwise {

// True if Op::kSupports<T> holds for dtype d's C++ type (quantized excluded).
template <class Op>
bool Supports(DType d) {
  if (IsQuantized(d)) return false;
  bool ok = false;
  DispatchDType(d, [&]<typename T>() { ok = Op::template kSupports<T>; });
  return ok;
}

// The dtype a kernel is created for: attr `attr` if present, else input 0's.
inline DType InitDType(const KernelInit& init, const char* attr = "T") {
  DType d = init.attrs.GetTypeOr(attr, DType::kInvalid);
  if (d == DType::kInvalid && !init.input_dtypes.empty()) d = init.input_dtypes[0];
  return d;
}

template <class Op>
Status CheckInitDType(const KernelInit& init, const char* attr = "T") {
  const DType d = InitDType(init, attr);
  if (d != DType::kInvalid && !Supports<Op>(d)) {
    return InvalidArgument(init.op, " has no CPU kernel for dtype ", DTypeName(d));
  }
  return Status::OK();
}

inline Status UnsupportedDType(OpContext* ctx, DType d) {
  return InvalidArgument(ctx->op(), " has no CPU kernel for dtype ", DTypeName(d));
}

}  // namespace stfs::kernels::cwise
