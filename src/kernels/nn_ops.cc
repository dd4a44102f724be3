// BiasAdd, Softmax/LogSoftmax, FusedBatchNorm (inference) and L2Loss.
#include <Eigen/Core>

#include <cmath>
#include <vector>

#include "kernels/cwise_util.h"
#include "kernels/nn_ops.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

struct NumericOnly {
  template <class T> static constexpr bool kSupports = kIsNumeric<T>;
};
struct FloatOnly {
  template <class T> static constexpr bool kSupports = kIsFloat<T>;
};

class BiasAddKernel : public OpKernel {
 public:
  explicit BiasAddKernel(bool nchw) : nchw_(nchw) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& bias = ctx->input(1);
    if (x.dtype() != bias.dtype()) {
      return InvalidArgument("BiasAdd value is ", DTypeName(x.dtype()), " but bias is ", DTypeName(bias.dtype()));
    }
    if (!Supports<NumericOnly>(x.dtype())) return UnsupportedDType(ctx, x.dtype());
    if (x.rank() < 2) return InvalidArgument("Input tensor must be at least 2D: ", x.shape().ToString());
    if (bias.rank() != 1) return InvalidArgument("Biases must be 1D: ", bias.shape().ToString());
    const int cdim = nchw_ ? 1 : x.rank() - 1;
    const int64_t c = x.dim(cdim);
    if (bias.dim(0) != c) {
      return InvalidArgument("Must provide as many biases as the channel dimension of the input tensor: ",
                             bias.shape().ToString(), " vs. ", x.shape().ToString());
    }
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < cdim; ++d) outer *= x.dim(d);
    for (int d = cdim + 1; d < x.rank(); ++d) inner *= x.dim(d);
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, x.dtype(), x.shape()));
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (kIsNumeric<T>) {
        using C = ComputeT<T>;
        const T* xp = x.data<T>();
        const T* bp = bias.data<T>();
        T* op = out->data<T>();
        if (inner == 1) {  // NHWC: rows of c channels
          ctx->thread_pool()->ParallelFor(outer, c, [&](int64_t b, int64_t e) {
            for (int64_t r = b; r < e; ++r) {
              const T* xr = xp + r * c;
              T* orow = op + r * c;
              for (int64_t j = 0; j < c; ++j) orow[j] = T(WrapAdd(C(xr[j]), C(bp[j])));
            }
          });
        } else {  // NCHW: one bias value per [inner] plane
          ctx->thread_pool()->ParallelFor(outer * c, inner, [&](int64_t b, int64_t e) {
            for (int64_t p = b; p < e; ++p) {
              const C bv = C(bp[p % c]);
              for (int64_t j = 0; j < inner; ++j) op[p * inner + j] = T(WrapAdd(C(xp[p * inner + j]), bv));
            }
          });
        }
      }
    });
    return Status::OK();
  }

 private:
  const bool nchw_;
};

// Softmax over the last axis: exp(x - max) / sum, or x - max - log(sum).
template <bool kLog>
class SoftmaxKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    if (!Supports<FloatOnly>(x.dtype())) return UnsupportedDType(ctx, x.dtype());
    if (x.rank() < 1) return InvalidArgument("logits must have >= 1 dimension, got ", x.shape().ToString());
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, x.dtype(), x.shape()));
    const int64_t n = x.dim(x.rank() - 1);
    if (x.NumElements() == 0) return Status::OK();
    const int64_t rows = x.NumElements() / n;
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (kIsFloat<T>) {
        using C = ComputeT<T>;
        using Arr = Eigen::Array<C, Eigen::Dynamic, 1>;
        ctx->thread_pool()->ParallelFor(rows, n * 20, [&](int64_t b, int64_t e) {
          Arr buf(n);
          for (int64_t r = b; r < e; ++r) {
            const T* xr = x.data<T>() + r * n;
            for (int64_t j = 0; j < n; ++j) buf[j] = static_cast<C>(xr[j]);
            buf -= buf.maxCoeff();
            T* orow = out->data<T>() + r * n;
            if constexpr (kLog) {
              const C lse = std::log(buf.exp().sum());
              buf -= lse;
            } else {
              buf = buf.exp();
              buf *= C(1) / buf.sum();
            }
            for (int64_t j = 0; j < n; ++j) orow[j] = static_cast<T>(buf[j]);
          }
        });
      }
    });
    return Status::OK();
  }
};

// Inference batch norm: y = scale * (x - mean) / sqrt(var + eps) + offset,
// folded into y = x * a + b per channel.
class FusedBatchNormKernel : public OpKernel {
 public:
  FusedBatchNormKernel(float epsilon, bool nchw, float exp_avg_factor)
      : epsilon_(epsilon), nchw_(nchw), exp_avg_factor_(exp_avg_factor) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const Tensor& scale = ctx->input(1);
    const Tensor& offset = ctx->input(2);
    const Tensor& mean = ctx->input(3);
    const Tensor& var = ctx->input(4);
    if (x.rank() != 4) return InvalidArgument("input must be 4-dimensional: ", x.shape().ToString());
    if (!Supports<FloatOnly>(x.dtype())) return UnsupportedDType(ctx, x.dtype());
    const int64_t c = x.dim(nchw_ ? 1 : 3);
    for (const Tensor* p : {&scale, &offset, &mean, &var}) {
      if (p->dtype() != DType::kFloat) return InvalidArgument("FusedBatchNorm parameters must be float, got ", DTypeName(p->dtype()));
      if (p->rank() != 1 || p->dim(0) != c) {
        return InvalidArgument("FusedBatchNorm parameters must be 1-D of size ", c, " (channels), got ",
                               p->shape().ToString());
      }
    }
    std::vector<float> a(c), b(c);
    for (int64_t i = 0; i < c; ++i) {
      a[i] = scale.data<float>()[i] / std::sqrt(var.data<float>()[i] + epsilon_);
      b[i] = offset.data<float>()[i] - mean.data<float>()[i] * a[i];
    }
    ASSIGN_OR_RETURN(Tensor * y, ctx->allocate_output(0, x.dtype(), x.shape()));
    const int64_t inner = nchw_ ? x.dim(2) * x.dim(3) : 1;
    const int64_t planes = x.NumElements() / (c * inner);  // N (NCHW) or N*H*W (NHWC)
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (kIsFloat<T>) {
        const T* xp = x.data<T>();
        T* yp = y->data<T>();
        ctx->thread_pool()->ParallelFor(planes * c, inner * 2, [&](int64_t bg, int64_t en) {
          for (int64_t p = bg; p < en; ++p) {
            if (nchw_) {
              const float av = a[p % c], bv = b[p % c];
              for (int64_t j = 0; j < inner; ++j) yp[p * inner + j] = T(float(xp[p * inner + j]) * av + bv);
            } else {
              yp[p] = T(float(xp[p]) * a[p % c] + b[p % c]);
            }
          }
        });
      }
    });
    // Other outputs (batch_mean, batch_variance, reserve spaces): in inference
    // TF passes the running mean/variance through.
    for (int i = 1; i < ctx->num_outputs(); ++i) {
      if (i == 1) ctx->set_output(i, mean);
      else if (i == 2) ctx->set_output(i, var);
      else if (i == 3) ctx->set_output(i, mean);
      else if (i == 4) ctx->set_output(i, var);
      else {
        ASSIGN_OR_RETURN(Tensor * r, ctx->allocate_output(i, DType::kFloat, Shape{0}));
        (void)r;
      }
    }
    (void)exp_avg_factor_;
    return Status::OK();
  }

 private:
  const float epsilon_;
  const bool nchw_;
  const float exp_avg_factor_;
};

class L2LossKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    if (!Supports<FloatOnly>(x.dtype())) return UnsupportedDType(ctx, x.dtype());
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, x.dtype(), Shape{}));
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (kIsFloat<T>) {
        double s = 0;
        for (int64_t i = 0; i < x.NumElements(); ++i) {
          const double v = static_cast<double>(static_cast<ComputeT<T>>(x.data<T>()[i]));
          s += v * v;
        }
        out->data<T>()[0] = static_cast<T>(static_cast<ComputeT<T>>(s / 2));
      }
    });
    return Status::OK();
  }
};

StatusOr<bool> ParseNchw(const KernelInit& init) {
  const std::string f = init.attrs.GetStringOr("data_format", "NHWC");
  if (f == "NHWC" || f == "NWC" || f == "NDHWC") return false;
  if (f == "NCHW" || f == "NCW" || f == "NCDHW") return true;
  return InvalidArgument(init.op, ": unknown data_format ", f);
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateBiasAdd(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<NumericOnly>(init));
  ASSIGN_OR_RETURN(bool nchw, ParseNchw(init));
  return std::unique_ptr<OpKernel>(new BiasAddKernel(nchw));
}
StatusOr<std::unique_ptr<OpKernel>> CreateSoftmax(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<FloatOnly>(init));
  return std::unique_ptr<OpKernel>(new SoftmaxKernel<false>());
}
StatusOr<std::unique_ptr<OpKernel>> CreateLogSoftmax(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<FloatOnly>(init));
  return std::unique_ptr<OpKernel>(new SoftmaxKernel<true>());
}
StatusOr<std::unique_ptr<OpKernel>> CreateFusedBatchNorm(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<FloatOnly>(init));
  if (init.attrs.GetBoolOr("is_training", true)) {
    return Unimplemented(init.op, " with is_training=true (training-mode batch statistics) is not supported");
  }
  ASSIGN_OR_RETURN(bool nchw, ParseNchw(init));
  return std::unique_ptr<OpKernel>(new FusedBatchNormKernel(init.attrs.GetFloatOr("epsilon", 0.0001f), nchw,
                                                            init.attrs.GetFloatOr("exponential_avg_factor", 1.0f)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateL2Loss(const KernelInit& init) {
  RETURN_IF_ERROR(CheckInitDType<FloatOnly>(init));
  return std::unique_ptr<OpKernel>(new L2LossKernel());
}

}  // namespace stfs::kernels
