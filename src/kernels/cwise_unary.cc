// Unary math and activation kernels. float/double run through Eigen array
// expressions (SIMD exp/log/tanh, the same approximations TensorFlow uses);
// half/bfloat16 convert blockwise to float; integers and complex use scalars.
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>

#include <cmath>
#include <limits>

#include "kernels/cwise_util.h"
#include "kernels/elementwise.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

template <class T> using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <class T> using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// Each op: kSupports<T> (beyond float/double/half/bfloat16, which all support),
// Eval(in, p): an Eigen expression for float/double, and Scalar<C>(x, p) for
// other types (p is the op's float parameter, e.g. LeakyRelu's alpha).
#define STFS_FLOAT_ONLY template <class T> static constexpr bool kExtra = false
#define STFS_WITH_INTS template <class T> static constexpr bool kExtra = kIsInt<T> && std::is_signed_v<T>
#define STFS_WITH_COMPLEX template <class T> static constexpr bool kExtra = kIsComplex<T>

struct NegOp {
  template <class T> static constexpr bool kExtra = kIsInt<T> || kIsComplex<T>;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return -a; }
  template <class C> static C Scalar(C x, float) { return WrapNeg(x); }
};
struct AbsOp {
  STFS_WITH_INTS;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.abs(); }
  template <class C> static C Scalar(C x, float) { return x < 0 ? WrapNeg(x) : x; }
};
struct SquareOp {
  template <class T> static constexpr bool kExtra = kIsInt<T> || kIsComplex<T>;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.square(); }
  template <class C> static C Scalar(C x, float) { return WrapMul(x, x); }
};
struct SqrtOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 8;
  static auto Eval(const auto& a, float) { return a.sqrt(); }
  template <class C> static C Scalar(C x, float) { return std::sqrt(x); }
};
struct RsqrtOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 8;
  static auto Eval(const auto& a, float) { return a.rsqrt(); }
  template <class C> static C Scalar(C x, float) { return C(1) / std::sqrt(x); }
};
struct ExpOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.exp(); }
  template <class C> static C Scalar(C x, float) { return std::exp(x); }
};
struct Expm1Op {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.expm1(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct LogOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.log(); }
  template <class C> static C Scalar(C x, float) { return std::log(x); }
};
struct Log1pOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.log1p(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct SinOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.sin(); }
  template <class C> static C Scalar(C x, float) { return std::sin(x); }
};
struct CosOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.cos(); }
  template <class C> static C Scalar(C x, float) { return std::cos(x); }
};
struct TanhOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.tanh(); }
  template <class C> static C Scalar(C x, float) { return std::tanh(x); }
};
struct SigmoidOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return a.logistic(); }
  template <class C> static C Scalar(C x, float) { return C(1) / (C(1) + std::exp(-x)); }
};
struct ReluOp {
  STFS_WITH_INTS;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.max(0); }
  template <class C> static C Scalar(C x, float) { return x > 0 ? x : C(0); }
};
struct Relu6Op {
  STFS_WITH_INTS;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.max(0).min(6); }
  template <class C> static C Scalar(C x, float) { return x < 0 ? C(0) : (x > 6 ? C(6) : x); }
};
struct EluOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) { return (a > 0).select(a, a.expm1()); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct SeluOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 15;
  static auto Eval(const auto& a, float) {
    using S = typename std::decay_t<decltype(a)>::Scalar;
    const S scale = S(1.0507009873554805), alpha = S(1.6732632423543772);
    return (a > 0).select(scale * a, (scale * alpha) * a.expm1());
  }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct LeakyReluOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float alpha) {
    using S = typename std::decay_t<decltype(a)>::Scalar;
    return (a > 0).select(a, a * S(alpha));
  }
  template <class C> static C Scalar(C x, float) { return x; }
};
// TensorFlow's softplus: thresholds keep exp() from overflowing and keep
// precision for very negative inputs.
struct SoftplusOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 20;
  static auto Eval(const auto& a, float) {
    using S = typename std::decay_t<decltype(a)>::Scalar;
    const S threshold = std::log(std::numeric_limits<S>::epsilon()) + S(2);
    return (a > -threshold).select(a, (a < threshold).select(a.exp(), a.exp().log1p()));
  }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct SoftsignOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 4;
  static auto Eval(const auto& a, float) { return a / (a.abs() + 1); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct ErfOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 20;
  static auto Eval(const auto& a, float) { return a.erf(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct FloorOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.floor(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct CeilOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.ceil(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
// Round is half-to-even (banker's rounding): rint in the default rounding mode.
struct RoundOp {
  STFS_WITH_INTS;  // identity on integers
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.rint(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct RintOp {
  STFS_FLOAT_ONLY;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.rint(); }
  template <class C> static C Scalar(C x, float) { return x; }
};
struct SignOp {
  STFS_WITH_INTS;
  static constexpr int kCost = 1;
  static auto Eval(const auto& a, float) { return a.sign(); }
  template <class C> static C Scalar(C x, float) { return C((x > 0) - (x < 0)); }
};
struct ReciprocalOp {
  STFS_WITH_COMPLEX;
  static constexpr int kCost = 4;
  static auto Eval(const auto& a, float) { return a.inverse(); }
  template <class C> static C Scalar(C x, float) { return C(1) / x; }
};

template <class Op>
struct Unary {
  template <class T> static constexpr bool kSupports = kIsFloat<T> || Op::template kExtra<T>;
};

template <class Op, class T>
void RunUnaryOp(const T* in, T* out, int64_t n, float param, ThreadPool* pool) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    pool->ParallelFor(n, Op::kCost, [&](int64_t b, int64_t e) {
      ArrayMap<T>(out + b, e - b) = Op::Eval(ConstArrayMap<T>(in + b, e - b), param);
    });
  } else if constexpr (kIsHalfLike<T>) {
    pool->ParallelFor(n, Op::kCost + 4, [&](int64_t b, int64_t e) {
      constexpr int64_t kBlock = 512;
      float buf[kBlock];
      for (int64_t s = b; s < e; s += kBlock) {
        const int64_t len = std::min(kBlock, e - s);
        for (int64_t i = 0; i < len; ++i) buf[i] = static_cast<float>(in[s + i]);
        ArrayMap<float>(buf, len) = Op::Eval(ConstArrayMap<float>(buf, len), param);
        for (int64_t i = 0; i < len; ++i) out[s + i] = T(buf[i]);
      }
    });
  } else {
    RunUnary(in, out, n, Op::kCost, pool, [param](T x) { return Op::template Scalar<T>(x, param); });
  }
}

template <class Op>
class UnaryKernel : public OpKernel {
 public:
  explicit UnaryKernel(float param) : param_(param) {}
  Status Compute(OpContext* ctx) override {
    Tensor in = ctx->release_input(0);
    if (!Supports<Unary<Op>>(in.dtype())) return UnsupportedDType(ctx, in.dtype());
    // Reuse the input buffer when nobody else holds it (as TF's forwarding does).
    Tensor* out;
    if (in.RefCountIsOne()) {
      ctx->set_output(0, in);
      out = &ctx->outputs_[0];
    } else {
      ASSIGN_OR_RETURN(out, ctx->allocate_output(0, in.dtype(), in.shape()));
    }
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (Unary<Op>::template kSupports<T>) {
        RunUnaryOp<Op, T>(in.data<T>(), out->data<T>(), in.NumElements(), param_, ctx->thread_pool());
      }
    });
    return Status::OK();
  }

 private:
  const float param_;
};

template <class Op>
KernelOr MakeUnary(const KernelInit& init, float param = 0) {
  RETURN_IF_ERROR(CheckInitDType<Unary<Op>>(init));
  return std::unique_ptr<OpKernel>(new UnaryKernel<Op>(param));
}

// IsNan / IsInf / IsFinite: float types -> bool.
enum class FloatClass { kNan, kInf, kFinite };
struct FloatOnly {
  template <class T> static constexpr bool kSupports = kIsFloat<T>;
};

template <FloatClass kClass>
class ClassifyKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!Supports<FloatOnly>(in.dtype())) return UnsupportedDType(ctx, in.dtype());
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, DType::kBool, in.shape()));
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (kIsFloat<T>) {
        RunUnary(in.data<T>(), out->data<bool>(), in.NumElements(), 1, ctx->thread_pool(), [](T v) {
          const auto x = static_cast<ComputeT<T>>(v);
          if constexpr (kClass == FloatClass::kNan) return std::isnan(x);
          if constexpr (kClass == FloatClass::kInf) return std::isinf(x);
          return std::isfinite(x);
        });
      }
    });
    return Status::OK();
  }
};

template <FloatClass kClass>
KernelOr MakeClassify(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<FloatOnly>(init));
  return std::unique_ptr<OpKernel>(new ClassifyKernel<kClass>());
}

}  // namespace

KernelOr CreateNeg(const KernelInit& i) { return MakeUnary<NegOp>(i); }
KernelOr CreateAbs(const KernelInit& i) { return MakeUnary<AbsOp>(i); }
KernelOr CreateSquare(const KernelInit& i) { return MakeUnary<SquareOp>(i); }
KernelOr CreateSqrt(const KernelInit& i) { return MakeUnary<SqrtOp>(i); }
KernelOr CreateRsqrt(const KernelInit& i) { return MakeUnary<RsqrtOp>(i); }
KernelOr CreateExp(const KernelInit& i) { return MakeUnary<ExpOp>(i); }
KernelOr CreateExpm1(const KernelInit& i) { return MakeUnary<Expm1Op>(i); }
KernelOr CreateLog(const KernelInit& i) { return MakeUnary<LogOp>(i); }
KernelOr CreateLog1p(const KernelInit& i) { return MakeUnary<Log1pOp>(i); }
KernelOr CreateSin(const KernelInit& i) { return MakeUnary<SinOp>(i); }
KernelOr CreateCos(const KernelInit& i) { return MakeUnary<CosOp>(i); }
KernelOr CreateTanh(const KernelInit& i) { return MakeUnary<TanhOp>(i); }
KernelOr CreateSigmoid(const KernelInit& i) { return MakeUnary<SigmoidOp>(i); }
KernelOr CreateRelu(const KernelInit& i) { return MakeUnary<ReluOp>(i); }
KernelOr CreateRelu6(const KernelInit& i) { return MakeUnary<Relu6Op>(i); }
KernelOr CreateElu(const KernelInit& i) { return MakeUnary<EluOp>(i); }
KernelOr CreateSelu(const KernelInit& i) { return MakeUnary<SeluOp>(i); }
KernelOr CreateLeakyRelu(const KernelInit& i) {
  return MakeUnary<LeakyReluOp>(i, i.attrs.GetFloatOr("alpha", 0.2f));
}
KernelOr CreateSoftplus(const KernelInit& i) { return MakeUnary<SoftplusOp>(i); }
KernelOr CreateSoftsign(const KernelInit& i) { return MakeUnary<SoftsignOp>(i); }
KernelOr CreateErf(const KernelInit& i) { return MakeUnary<ErfOp>(i); }
KernelOr CreateFloor(const KernelInit& i) { return MakeUnary<FloorOp>(i); }
KernelOr CreateCeil(const KernelInit& i) { return MakeUnary<CeilOp>(i); }
KernelOr CreateRound(const KernelInit& i) { return MakeUnary<RoundOp>(i); }
KernelOr CreateRint(const KernelInit& i) { return MakeUnary<RintOp>(i); }
KernelOr CreateSign(const KernelInit& i) { return MakeUnary<SignOp>(i); }
KernelOr CreateReciprocal(const KernelInit& i) { return MakeUnary<ReciprocalOp>(i); }
KernelOr CreateIsNan(const KernelInit& i) { return MakeClassify<FloatClass::kNan>(i); }
KernelOr CreateIsInf(const KernelInit& i) { return MakeClassify<FloatClass::kInf>(i); }
KernelOr CreateIsFinite(const KernelInit& i) { return MakeClassify<FloatClass::kFinite>(i); }

}  // namespace stfs::kernels
