#include "kernels/xent_ops.h"

#include <cmath>
#include <vector>

namespace stfs::kernels {
namespace {

// loss[i] = logsumexp(x_i) - x_i[label_i]; backprop[i] = softmax(x_i) - onehot(label_i).
// As on TensorFlow's CPU kernel, a label outside [0, C) is an error.
class SparseXentKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& logits = ctx->input(0);
    const Tensor& labels = ctx->input(1);
    if (logits.rank() != 2) {
      return InvalidArgument("logits must be 2-D, got shape ", logits.shape().ToString());
    }
    if (labels.rank() != 1 || labels.dim(0) != logits.dim(0)) {
      return InvalidArgument("labels must be 1-D with ", logits.dim(0), " elements (the batch of logits ",
                             logits.shape().ToString(), "), got shape ", labels.shape().ToString());
    }
    const int64_t batch = logits.dim(0), classes = logits.dim(1);
    if (classes == 0 && batch > 0) return InvalidArgument("logits have 0 classes");
    ASSIGN_OR_RETURN(Tensor * loss, ctx->allocate_output(0, logits.dtype(), Shape{batch}));
    ASSIGN_OR_RETURN(Tensor * backprop, ctx->allocate_output(1, logits.dtype(), logits.shape()));
    for (int64_t i = 0; i < batch; ++i) {
      const int64_t label = labels.dtype() == DType::kInt64 ? labels.data<int64_t>()[i]
                                                             : labels.data<int32_t>()[i];
      if (label < 0 || label >= classes) {
        return InvalidArgument("Received a label value of ", label, " which is outside the valid range of [0, ",
                               classes, "). Label values: example ", i);
      }
    }
    if (logits.dtype() == DType::kFloat) {
      Run<float>(logits, labels, loss, backprop);
    } else {
      Run<double>(logits, labels, loss, backprop);
    }
    return Status::OK();
  }

 private:
  template <typename T>
  static void Run(const Tensor& logits, const Tensor& labels, Tensor* loss, Tensor* backprop) {
    const int64_t batch = logits.dim(0), classes = logits.dim(1);
    for (int64_t i = 0; i < batch; ++i) {
      const T* x = logits.data<T>() + i * classes;
      T* g = backprop->data<T>() + i * classes;
      const int64_t label = labels.dtype() == DType::kInt64 ? labels.data<int64_t>()[i]
                                                             : labels.data<int32_t>()[i];
      double max = x[0];
      for (int64_t j = 1; j < classes; ++j) max = std::max<double>(max, x[j]);
      double sum = 0;
      for (int64_t j = 0; j < classes; ++j) sum += std::exp(static_cast<double>(x[j]) - max);
      const double lse = max + std::log(sum);
      for (int64_t j = 0; j < classes; ++j) {
        g[j] = static_cast<T>(std::exp(static_cast<double>(x[j]) - lse) - (j == label ? 1.0 : 0.0));
      }
      loss->data<T>()[i] = static_cast<T>(lse - x[label]);
    }
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateSparseSoftmaxCrossEntropyWithLogits(const KernelInit& init) {
  const DType t = init.attrs.GetTypeOr("T", DType::kFloat);
  const DType tl = init.attrs.GetTypeOr("Tlabels", DType::kInt64);
  if (t != DType::kFloat && t != DType::kDouble) {
    return InvalidArgument(init.op, ": logits dtype must be float or double, got ", DTypeName(t));
  }
  if (tl != DType::kInt32 && tl != DType::kInt64) {
    return InvalidArgument(init.op, ": labels dtype must be int32 or int64, got ", DTypeName(tl));
  }
  return std::unique_ptr<OpKernel>(new SparseXentKernel());
}

}  // namespace stfs::kernels
