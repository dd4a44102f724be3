// Comparison (bool output, broadcasting) and logical kernels.
#include <string>

#include "kernels/cwise_util.h"
#include "kernels/elementwise.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

template <Cmp kCmp>
struct CmpOp {
  static constexpr bool kEquality = kCmp == Cmp::kEq || kCmp == Cmp::kNe;
  template <class T> static constexpr bool kSupports =
      kIsReal<T> || (kEquality && (kIsComplex<T> || std::is_same_v<T, bool> || std::is_same_v<T, std::string>));
  template <class C> static bool Apply(const C& a, const C& b) {
    if constexpr (kCmp == Cmp::kEq) return a == b;
    if constexpr (kCmp == Cmp::kNe) return a != b;
    if constexpr (kCmp == Cmp::kLt) return a < b;
    if constexpr (kCmp == Cmp::kLe) return a <= b;
    if constexpr (kCmp == Cmp::kGt) return a > b;
    if constexpr (kCmp == Cmp::kGe) return a >= b;
  }
};

template <Cmp kCmp>
class CompareKernel : public OpKernel {
 public:
  using Op = CmpOp<kCmp>;
  explicit CompareKernel(bool incompatible_shape_error) : incompatible_shape_error_(incompatible_shape_error) {}

  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& y = ctx->input(1);
    if (x.dtype() != y.dtype()) {
      return InvalidArgument(ctx->op(), " inputs must have the same dtype, got ", DTypeName(x.dtype()),
                             " and ", DTypeName(y.dtype()));
    }
    if (!Supports<Op>(x.dtype())) return UnsupportedDType(ctx, x.dtype());
    if (!incompatible_shape_error_ && !ShapesBroadcast(x.shape(), y.shape())) {
      // TF returns a scalar: "not equal" for incompatible shapes.
      ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, DType::kBool, Shape{}));
      out->scalar<bool>() = kCmp == Cmp::kNe;
      return Status::OK();
    }
    Status st;
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (Op::template kSupports<T>) {
        if constexpr (kIsHalfLike<T>) {
          st = ComputeBinary<T, T, bool>(ctx, x, y, 2, [](T a, T b) {
            return Op::Apply(static_cast<float>(a), static_cast<float>(b));
          });
        } else {
          st = ComputeBinary<T, T, bool>(ctx, x, y, std::is_same_v<T, std::string> ? 20 : 1,
                                         [](const T& a, const T& b) { return Op::Apply(a, b); });
        }
      }
    });
    return st;
  }

 private:
  const bool incompatible_shape_error_;
};

template <Cmp kCmp>
KernelOr MakeCompare(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<CmpOp<kCmp>>(init));
  return std::unique_ptr<OpKernel>(
      new CompareKernel<kCmp>(init.attrs.GetBoolOr("incompatible_shape_error", true)));
}

Status CheckBool(OpContext* ctx, const Tensor& t) {
  if (t.dtype() != DType::kBool) return InvalidArgument(ctx->op(), " expects bool inputs, got ", DTypeName(t.dtype()));
  return Status::OK();
}

template <bool kAnd>
class LogicalBinaryKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& y = ctx->input(1);
    RETURN_IF_ERROR(CheckBool(ctx, x));
    RETURN_IF_ERROR(CheckBool(ctx, y));
    return ComputeBinary<bool, bool, bool>(ctx, x, y, 1, [](bool a, bool b) { return kAnd ? (a & b) : (a | b); });
  }
};

class LogicalNotKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    RETURN_IF_ERROR(CheckBool(ctx, x));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, DType::kBool, x.shape()));
    RunUnary(x.data<bool>(), out->data<bool>(), x.NumElements(), 1, ctx->thread_pool(), [](bool v) { return !v; });
    return Status::OK();
  }
};

}  // namespace

KernelOr CreateEqual(const KernelInit& i) { return MakeCompare<Cmp::kEq>(i); }
KernelOr CreateNotEqual(const KernelInit& i) { return MakeCompare<Cmp::kNe>(i); }
KernelOr CreateLess(const KernelInit& i) { return MakeCompare<Cmp::kLt>(i); }
KernelOr CreateLessEqual(const KernelInit& i) { return MakeCompare<Cmp::kLe>(i); }
KernelOr CreateGreater(const KernelInit& i) { return MakeCompare<Cmp::kGt>(i); }
KernelOr CreateGreaterEqual(const KernelInit& i) { return MakeCompare<Cmp::kGe>(i); }
KernelOr CreateLogicalAnd(const KernelInit&) { return std::unique_ptr<OpKernel>(new LogicalBinaryKernel<true>()); }
KernelOr CreateLogicalOr(const KernelInit&) { return std::unique_ptr<OpKernel>(new LogicalBinaryKernel<false>()); }
KernelOr CreateLogicalNot(const KernelInit&) { return std::unique_ptr<OpKernel>(new LogicalNotKernel()); }

}  // namespace stfs::kernels
