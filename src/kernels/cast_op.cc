// Cast between all numeric/bool dtypes, ZerosLike and OnesLike.
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/cwise_util.h"
#include "kernels/elementwise.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

template <class T> inline constexpr bool kCastable = kIsNumeric<T> || std::is_same_v<T, bool>;

// Float -> integer with defined results: truncation toward zero; values out of
// range (and NaN) give what x86's cvtt* instructions give TensorFlow (the
// "integer indefinite" minimum), then narrow types keep the low bits.
template <class To>
To FloatToInt(double v) {
  if constexpr (sizeof(To) == 8 && std::is_unsigned_v<To>) {
    constexpr double k63 = 9223372036854775808.0;
    if (v >= k63 && v < 2 * k63) return static_cast<To>(static_cast<int64_t>(v - k63)) + (To(1) << 63);
    return static_cast<To>(FloatToInt<int64_t>(v));
  } else if constexpr (sizeof(To) == 8 || (sizeof(To) == 4 && std::is_unsigned_v<To>)) {
    if (!(v > -9223372036854775809.0 && v < 9223372036854775808.0)) {
      return static_cast<To>(std::numeric_limits<int64_t>::min());
    }
    return static_cast<To>(static_cast<int64_t>(v));
  } else {
    if (!(v > -2147483649.0 && v < 2147483648.0)) return static_cast<To>(std::numeric_limits<int32_t>::min());
    return static_cast<To>(static_cast<int32_t>(v));
  }
}

template <class To, class From>
To CastValue(const From& v) {
  if constexpr (std::is_same_v<To, From>) {
    return v;
  } else if constexpr (kIsComplex<From>) {
    if constexpr (std::is_same_v<To, bool>) return v.real() != 0 || v.imag() != 0;
    else if constexpr (kIsComplex<To>) return To(v.real(), v.imag());
    else return CastValue<To>(v.real());  // real part, as TF does
  } else if constexpr (kIsHalfLike<From>) {
    return CastValue<To>(static_cast<float>(v));
  } else if constexpr (std::is_same_v<To, bool>) {
    return v != From(0);
  } else if constexpr (kIsComplex<To>) {
    return To(static_cast<typename To::value_type>(v), 0);
  } else if constexpr (kIsHalfLike<To>) {
    return To(static_cast<float>(v));
  } else if constexpr (kIsInt<To> && std::is_floating_point_v<From>) {
    return FloatToInt<To>(static_cast<double>(v));
  } else {
    return static_cast<To>(v);  // int<->int wraps (modulo), int->float rounds
  }
}

template <class From, class To>
void CastLoop(const From* in, To* out, int64_t n, bool truncate, ThreadPool* pool) {
  if constexpr (std::is_same_v<From, float> && std::is_same_v<To, BFloat16>) {
    if (truncate) {  // keep the high 16 bits (TF's Truncate=true for bfloat16)
      RunUnary(in, out, n, 1, pool, [](float v) {
        uint32_t bits;
        std::memcpy(&bits, &v, 4);
        BFloat16 b;
        b.bits = static_cast<uint16_t>(bits >> 16);
        return b;
      });
      return;
    }
  }
  RunUnary(in, out, n, 1, pool, [](const From& v) { return CastValue<To>(v); });
}

struct Castable {
  template <class T> static constexpr bool kSupports = kCastable<T>;
};

class CastKernel : public OpKernel {
 public:
  CastKernel(DType src, DType dst, bool truncate) : src_(src), dst_(dst), truncate_(truncate) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (src_ != DType::kInvalid && in.dtype() != src_) {
      return InvalidArgument("Cast input is ", DTypeName(in.dtype()), " but SrcT is ", DTypeName(src_));
    }
    if (in.dtype() == dst_) {
      ctx->set_output(0, in);
      return Status::OK();
    }
    if (!Supports<Castable>(in.dtype())) {
      return Unimplemented("Cast from ", DTypeName(in.dtype()), " to ", DTypeName(dst_), " is not supported");
    }
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, dst_, in.shape()));
    DispatchDType(in.dtype(), [&]<typename From>() {
      if constexpr (kCastable<From>) {
        DispatchDType(dst_, [&]<typename To>() {
          if constexpr (kCastable<To>) {
            CastLoop(in.data<From>(), out->data<To>(), in.NumElements(), truncate_, ctx->thread_pool());
          }
        });
      }
    });
    return Status::OK();
  }

 private:
  const DType src_, dst_;
  const bool truncate_;
};

// ZerosLike / OnesLike: same shape and dtype.
template <int kValue>
class FillLikeKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!Supports<Castable>(in.dtype())) return UnsupportedDType(ctx, in.dtype());
    // New tensors are value-initialised: zeros, empty strings.
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, in.dtype(), in.shape()));
    if constexpr (kValue != 0) {
      DispatchDType(in.dtype(), [&]<typename T>() {
        if constexpr (kCastable<T>) {
          const T one = CastValue<T>(1);
          T* o = out->data<T>();
          for (int64_t i = 0; i < out->NumElements(); ++i) o[i] = one;
        }
      });
    }
    return Status::OK();
  }
};

}  // namespace

KernelOr CreateCast(const KernelInit& init) {
  const DType src = init.attrs.GetTypeOr("SrcT", DType::kInvalid);
  ASSIGN_OR_RETURN(DType dst, init.attrs.GetType("DstT"));
  if (dst != src && (!Supports<Castable>(dst) || (src != DType::kInvalid && !Supports<Castable>(src)))) {
    return Unimplemented("Cast from ", DTypeName(src), " to ", DTypeName(dst), " is not supported");
  }
  return std::unique_ptr<OpKernel>(new CastKernel(src, dst, init.attrs.GetBoolOr("Truncate", false)));
}
KernelOr CreateZerosLike(const KernelInit&) { return std::unique_ptr<OpKernel>(new FillLikeKernel<0>()); }
KernelOr CreateOnesLike(const KernelInit&) { return std::unique_ptr<OpKernel>(new FillLikeKernel<1>()); }

}  // namespace stfs::kernels
