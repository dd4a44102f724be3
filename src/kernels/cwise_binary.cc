// Binary arithmetic kernels with NumPy broadcasting (Add ... SquaredDifference, AddN).
#include <cmath>
#include <limits>
#include <string>

#include "kernels/cwise_util.h"
#include "kernels/elementwise.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

template <class T> inline constexpr bool kIsString = std::is_same_v<T, std::string>;
template <class T> inline constexpr bool kFloatOrComplex = kIsFloat<T> || kIsComplex<T>;

// Per-op checks on the divisor / exponent that TF reports as errors.
enum class Check { kNone, kIntDivByZero, kIntNegativePow };

template <Check kCheck, class T>
Status CheckY(const Tensor& y) {
  if constexpr (kCheck == Check::kIntDivByZero && kIsInt<T>) {
    const T* p = y.data<T>();
    bool zero = false;
    for (int64_t i = 0; i < y.NumElements(); ++i) zero |= p[i] == T(0);
    if (zero) return InvalidArgument("Integer division by zero");
  }
  if constexpr (kCheck == Check::kIntNegativePow && kIsInt<T> && std::is_signed_v<T>) {
    const T* p = y.data<T>();
    bool neg = false;
    for (int64_t i = 0; i < y.NumElements(); ++i) neg |= p[i] < T(0);
    if (neg) return InvalidArgument("Integers to negative integer powers are not allowed");
  }
  return Status::OK();
}

// ---- functors: Apply<C>(a, b) on the compute type C ----

struct AddOp {
  template <class T> static constexpr bool kSupports = kIsNumeric<T> || kIsString<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 1;
  template <class C> static C Apply(const C& a, const C& b) { return WrapAdd(a, b); }
};
struct AddV2Op : AddOp {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
};
struct SubOp {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 1;
  template <class C> static C Apply(C a, C b) { return WrapSub(a, b); }
};
struct MulOp {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 1;
  template <class C> static C Apply(C a, C b) { return WrapMul(a, b); }
};
// C truncating division for ints; guards MIN / -1 (which traps on x86).
template <class C> inline C TruncDiv(C a, C b) {
  if constexpr (kIsInt<C> && std::is_signed_v<C>) {
    if (b == C(-1)) return WrapNeg(a);
  }
  return a / b;
}
template <class C> inline C TruncMod(C a, C b) {
  if constexpr (kIsInt<C>) {
    if constexpr (std::is_signed_v<C>) {
      if (b == C(-1)) return C(0);
    }
    return a % b;
  } else {
    return std::fmod(a, b);
  }
}
struct DivOp {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
  static constexpr Check kCheck = Check::kIntDivByZero;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) { return TruncDiv(a, b); }
};
struct RealDivOp {
  template <class T> static constexpr bool kSupports = kFloatOrComplex<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) { return a / b; }
};
struct TruncateDivOp {
  template <class T> static constexpr bool kSupports = kIsInt<T>;
  static constexpr Check kCheck = Check::kIntDivByZero;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) { return TruncDiv(a, b); }
};
struct TruncateModOp {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  static constexpr Check kCheck = Check::kIntDivByZero;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) { return TruncMod(a, b); }
};
struct FloorDivOp {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  static constexpr Check kCheck = Check::kIntDivByZero;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) {
    if constexpr (kIsInt<C>) {
      const C q = TruncDiv(a, b);
      if constexpr (std::is_signed_v<C>) {
        // Round toward -inf when the division was inexact and the signs differ.
        if ((a < 0) != (b < 0) && WrapMul(q, b) != a) return WrapSub(q, C(1));
      }
      return q;
    } else {
      return std::floor(a / b);
    }
  }
};
struct FloorModOp {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  static constexpr Check kCheck = Check::kIntDivByZero;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) {
    const C m = TruncMod(a, b);
    if constexpr (kIsInt<C> && !std::is_signed_v<C>) {
      return m;
    } else {
      // The result takes the sign of the divisor.
      return (m != C(0) && ((b < C(0)) != (m < C(0)))) ? C(m + b) : m;
    }
  }
};
struct DivNoNanOp {
  template <class T> static constexpr bool kSupports = kFloatOrComplex<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 4;
  template <class C> static C Apply(C a, C b) { return b == C(0) ? C(0) : a / b; }
};
struct MulNoNanOp {
  template <class T> static constexpr bool kSupports = kFloatOrComplex<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 1;
  template <class C> static C Apply(C a, C b) { return b == C(0) ? C(0) : a * b; }
};
// Maximum/Minimum propagate NaN from either side (current TensorFlow).
struct MaximumOp {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 1;
  template <class C> static C Apply(C a, C b) { return (a > b || a != a) ? a : b; }
};
struct MinimumOp {
  template <class T> static constexpr bool kSupports = kIsReal<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 1;
  template <class C> static C Apply(C a, C b) { return (a < b || a != a) ? a : b; }
};
struct PowOp {
  template <class T> static constexpr bool kSupports =
      kFloatOrComplex<T> || (kIsInt<T> && std::is_signed_v<T> && sizeof(T) >= 1);
  static constexpr Check kCheck = Check::kIntNegativePow;
  static constexpr int kCost = 20;
  template <class C> static C Apply(C a, C b) {
    if constexpr (kIsInt<C>) {
      C r = 1, base = a;
      for (C e = b; e > 0; e >>= 1) {
        if (e & 1) r = WrapMul(r, base);
        base = WrapMul(base, base);
      }
      return r;
    } else {
      return std::pow(a, b);
    }
  }
};
struct SquaredDifferenceOp {
  template <class T> static constexpr bool kSupports = kIsNumeric<T> && !std::is_unsigned_v<T>;
  static constexpr Check kCheck = Check::kNone;
  static constexpr int kCost = 2;
  template <class C> static C Apply(C a, C b) {
    const C d = WrapSub(a, b);
    if constexpr (kIsComplex<C>) {
      return d * std::conj(d);
    } else {
      return WrapMul(d, d);
    }
  }
};

template <class Op, class T>
Status RunOp(OpContext* ctx, const Tensor& x, const Tensor& y) {
  RETURN_IF_ERROR((CheckY<Op::kCheck, T>(y)));
  if constexpr (kIsHalfLike<T>) {
    return ComputeBinary<T, T, T>(ctx, x, y, Op::kCost + 4, [](T a, T b) {
      return T(Op::template Apply<float>(static_cast<float>(a), static_cast<float>(b)));
    });
  } else {
    return ComputeBinary<T, T, T>(ctx, x, y, kIsString<T> ? 50 : Op::kCost,
                                  [](const T& a, const T& b) { return Op::template Apply<T>(a, b); });
  }
}

template <class Op>
class BinaryKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& y = ctx->input(1);
    if (x.dtype() != y.dtype()) {
      return InvalidArgument(ctx->op(), " inputs must have the same dtype, got ", DTypeName(x.dtype()),
                             " and ", DTypeName(y.dtype()));
    }
    if (!Supports<Op>(x.dtype())) return UnsupportedDType(ctx, x.dtype());
    Status st;
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (Op::template kSupports<T>) st = RunOp<Op, T>(ctx, x, y);
    });
    return st;
  }
};

template <class Op>
KernelOr MakeBinary(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<Op>(init));
  return std::unique_ptr<OpKernel>(new BinaryKernel<Op>());
}

// AddN: N inputs of identical shape summed elementwise.
class AddNKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const int n = ctx->num_inputs();
    if (n < 1) return InvalidArgument("AddN needs at least one input");
    const Tensor& first = ctx->input(0);
    for (int i = 1; i < n; ++i) {
      const Tensor& t = ctx->input(i);
      if (t.dtype() != first.dtype() || t.shape() != first.shape()) {
        return InvalidArgument("AddN inputs must have the same dtype and shape: input 0 is ",
                               first.DTypeShapeString(), ", input ", i, " is ", t.DTypeShapeString());
      }
    }
    if (!Supports<AddV2Op>(first.dtype())) return UnsupportedDType(ctx, first.dtype());
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, first.dtype(), first.shape()));
    const int64_t count = first.NumElements();
    DispatchDType(first.dtype(), [&]<typename T>() {
      if constexpr (kIsNumeric<T>) {
        using C = ComputeT<T>;
        T* o = out->data<T>();
        ctx->thread_pool()->ParallelFor(count, n, [&](int64_t begin, int64_t end) {
          // Accumulate blockwise so each input streams through once per block.
          constexpr int64_t kBlock = 1024;
          C acc[kBlock];
          for (int64_t b0 = begin; b0 < end; b0 += kBlock) {
            const int64_t len = std::min(kBlock, end - b0);
            const T* p0 = ctx->input(0).data<T>() + b0;
            for (int64_t k = 0; k < len; ++k) acc[k] = static_cast<C>(p0[k]);
            for (int i = 1; i < n; ++i) {
              const T* p = ctx->input(i).data<T>() + b0;
              for (int64_t k = 0; k < len; ++k) acc[k] = WrapAdd(acc[k], static_cast<C>(p[k]));
            }
            for (int64_t k = 0; k < len; ++k) o[b0 + k] = static_cast<T>(acc[k]);
          }
        });
      }
    });
    return Status::OK();
  }
};

}  // namespace

KernelOr CreateAdd(const KernelInit& i) { return MakeBinary<AddOp>(i); }
KernelOr CreateAddV2(const KernelInit& i) { return MakeBinary<AddV2Op>(i); }
KernelOr CreateSub(const KernelInit& i) { return MakeBinary<SubOp>(i); }
KernelOr CreateMul(const KernelInit& i) { return MakeBinary<MulOp>(i); }
KernelOr CreateDiv(const KernelInit& i) { return MakeBinary<DivOp>(i); }
KernelOr CreateRealDiv(const KernelInit& i) { return MakeBinary<RealDivOp>(i); }
KernelOr CreateFloorDiv(const KernelInit& i) { return MakeBinary<FloorDivOp>(i); }
KernelOr CreateFloorMod(const KernelInit& i) { return MakeBinary<FloorModOp>(i); }
KernelOr CreateTruncateDiv(const KernelInit& i) { return MakeBinary<TruncateDivOp>(i); }
KernelOr CreateTruncateMod(const KernelInit& i) { return MakeBinary<TruncateModOp>(i); }
KernelOr CreateDivNoNan(const KernelInit& i) { return MakeBinary<DivNoNanOp>(i); }
KernelOr CreateMulNoNan(const KernelInit& i) { return MakeBinary<MulNoNanOp>(i); }
KernelOr CreateMaximum(const KernelInit& i) { return MakeBinary<MaximumOp>(i); }
KernelOr CreateMinimum(const KernelInit& i) { return MakeBinary<MinimumOp>(i); }
KernelOr CreatePow(const KernelInit& i) { return MakeBinary<PowOp>(i); }
KernelOr CreateSquaredDifference(const KernelInit& i) { return MakeBinary<SquaredDifferenceOp>(i); }
KernelOr CreateAddN(const KernelInit& i) {
  RETURN_IF_ERROR(CheckInitDType<AddV2Op>(i));
  return std::unique_ptr<OpKernel>(new AddNKernel());
}

}  // namespace stfs::kernels
