#include "kernels/random_ops.h"

#include <atomic>
#include <cmath>
#include <random>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

// SplitMix64 finalizer: spreads (seed, run) into an engine seed.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A uniform double in [0, 1) from 53 random bits.
double Uniform01(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

// Box-Muller; one value per call keeps it stateless.
double Normal(std::mt19937_64& g) {
  double u1 = Uniform01(g);
  while (u1 <= 0) u1 = Uniform01(g);
  const double u2 = Uniform01(g);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

enum class Dist { kUniform, kNormal, kTruncatedNormal };

class RandomBase : public OpKernel {
 public:
  explicit RandomBase(const KernelInit& init) {
    const uint64_t seed = static_cast<uint64_t>(init.attrs.GetIntOr("seed", 0));
    const uint64_t seed2 = static_cast<uint64_t>(init.attrs.GetIntOr("seed2", 0));
    base_seed_ = (seed == 0 && seed2 == 0) ? (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()
                                          : Mix(seed) ^ Mix(seed2 + 0x5851F42D4C957F2Dull);
  }

 protected:
  std::mt19937_64 NextEngine() { return std::mt19937_64(Mix(base_seed_ ^ Mix(runs_.fetch_add(1)))); }

  static StatusOr<Shape> OutputShape(const Tensor& shape_t) {
    ASSIGN_OR_RETURN(std::vector<int64_t> dims, ReadIntVector(shape_t, "shape"));
    return Shape::Create(std::move(dims));
  }

 private:
  uint64_t base_seed_ = 0;
  std::atomic<uint64_t> runs_{0};
};

class RandomFloatOp : public RandomBase {
 public:
  RandomFloatOp(const KernelInit& init, Dist dist, DType dtype) : RandomBase(init), dist_(dist), dtype_(dtype) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(Shape shape, OutputShape(ctx->input(0)));
    ASSIGN_OR_RETURN(Tensor* out, ctx->allocate_output(0, dtype_, std::move(shape)));
    std::mt19937_64 g = NextEngine();
    const int64_t n = out->NumElements();
    for (int64_t i = 0; i < n; ++i) {
      double v;
      switch (dist_) {
        case Dist::kUniform: v = Uniform01(g); break;
        case Dist::kNormal: v = Normal(g); break;
        default:
          do { v = Normal(g); } while (std::fabs(v) > 2.0);  // resample outside 2 stddevs
          break;
      }
      switch (dtype_) {
        case DType::kFloat: {
          float f = static_cast<float>(v);
          if (dist_ == Dist::kUniform && f >= 1.0f) f = std::nextafter(1.0f, 0.0f);  // keep [0, 1)
          out->data<float>()[i] = f;
          break;
        }
        case DType::kDouble: out->data<double>()[i] = v; break;
        // Scaling uniform draws keeps half/bfloat16 rounding strictly below 1.
        case DType::kHalf: out->data<Half>()[i] = Half(static_cast<float>(dist_ == Dist::kUniform ? v * 0.999 : v)); break;
        default: out->data<BFloat16>()[i] = BFloat16(static_cast<float>(dist_ == Dist::kUniform ? v * 0.99 : v)); break;
      }
    }
    return Status::OK();
  }

 private:
  Dist dist_;
  DType dtype_;
};

class RandomUniformIntOp : public RandomBase {
 public:
  RandomUniformIntOp(const KernelInit& init, DType dtype) : RandomBase(init), dtype_(dtype) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(Shape shape, OutputShape(ctx->input(0)));
    for (int i = 1; i <= 2; ++i) {
      if (ctx->input(i).dtype() != dtype_ || ctx->input(i).NumElements() != 1 || ctx->input(i).rank() != 0) {
        return InvalidArgument(i == 1 ? "minval" : "maxval", " must be a ", DTypeName(dtype_), " scalar, got ",
                               ctx->input(i).DTypeShapeString());
      }
    }
    const int64_t lo = IntAt(ctx->input(1), 0), hi = IntAt(ctx->input(2), 0);
    if (lo >= hi) return InvalidArgument("Need minval < maxval: ", lo, " >= ", hi);
    ASSIGN_OR_RETURN(Tensor* out, ctx->allocate_output(0, dtype_, std::move(shape)));
    const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    std::mt19937_64 g = NextEngine();
    for (int64_t i = 0; i < out->NumElements(); ++i) {
      const int64_t v = static_cast<int64_t>(static_cast<uint64_t>(lo) + g() % range);
      if (dtype_ == DType::kInt32) {
        out->data<int32_t>()[i] = static_cast<int32_t>(v);
      } else {
        out->data<int64_t>()[i] = v;
      }
    }
    return Status::OK();
  }

 private:
  DType dtype_;
};

StatusOr<std::unique_ptr<OpKernel>> CreateFloat(const KernelInit& init, Dist dist) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  if (dtype != DType::kFloat && dtype != DType::kDouble && dtype != DType::kHalf && dtype != DType::kBFloat16) {
    return InvalidArgument("dtype must be a floating point type (half, bfloat16, float, double), got ",
                           DTypeName(dtype));
  }
  return std::unique_ptr<OpKernel>(new RandomFloatOp(init, dist, dtype));
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateRandomUniform(const KernelInit& init) {
  return CreateFloat(init, Dist::kUniform);
}
StatusOr<std::unique_ptr<OpKernel>> CreateRandomStandardNormal(const KernelInit& init) {
  return CreateFloat(init, Dist::kNormal);
}
StatusOr<std::unique_ptr<OpKernel>> CreateTruncatedNormal(const KernelInit& init) {
  return CreateFloat(init, Dist::kTruncatedNormal);
}
StatusOr<std::unique_ptr<OpKernel>> CreateRandomUniformInt(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("Tout"));
  if (dtype != DType::kInt32 && dtype != DType::kInt64) {
    return InvalidArgument("Tout must be int32 or int64, got ", DTypeName(dtype));
  }
  return std::unique_ptr<OpKernel>(new RandomUniformIntOp(init, dtype));
}

}  // namespace stfs::kernels
