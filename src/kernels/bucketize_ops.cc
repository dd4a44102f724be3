#include "kernels/bucketize_ops.h"

#include <algorithm>
#include <type_traits>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

class BucketizeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    ASSIGN_OR_RETURN(boundaries_, init.attrs.GetFloatList("boundaries"));
    if (!std::is_sorted(boundaries_.begin(), boundaries_.end())) {
      return InvalidArgument("Expected sorted boundaries");
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kInt32, in.shape()));
    int32_t* o = out.data<int32_t>();
    Status status;
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        const T* p = in.data<T>();
        for (int64_t i = 0; i < in.NumElements(); ++i) {
          // Number of boundaries <= value: a value equal to a boundary goes up.
          auto it = std::upper_bound(boundaries_.begin(), boundaries_.end(), p[i],
                                     [](const T& v, float b) { return v < b; });
          o[i] = static_cast<int32_t>(it - boundaries_.begin());
        }
      } else {
        status = InvalidArgument("Bucketize does not support dtype ", DTypeName(in.dtype()));
      }
    });
    RETURN_IF_ERROR(status);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  std::vector<float> boundaries_;
};

class BoostedTreesBucketizeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    num_features_ = init.attrs.GetIntOr("num_features", init.num_outputs);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const int n = static_cast<int>(num_features_);
    if (ctx->num_inputs() != 2 * n || ctx->num_outputs() != n) {
      return InvalidArgument("BoostedTreesBucketize with num_features ", n, " expects ", 2 * n, " inputs and ", n,
                             " outputs");
    }
    for (int f = 0; f < n; ++f) {
      const Tensor& values = ctx->input(f);
      const Tensor& bounds = ctx->input(n + f);
      if (values.dtype() != DType::kFloat || bounds.dtype() != DType::kFloat || bounds.rank() != 1) {
        return InvalidArgument("feature ", f, ": float_values and bucket_boundaries must be float (boundaries 1-D), got ",
                               values.DTypeShapeString(), " and ", bounds.DTypeShapeString());
      }
      ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kInt32, values.shape()));
      const float* b = bounds.data<float>();
      const int64_t nb = bounds.NumElements();
      for (int64_t i = 0; i < values.NumElements(); ++i) {
        const int64_t pos = std::lower_bound(b, b + nb, values.data<float>()[i]) - b;
        out.data<int32_t>()[i] = static_cast<int32_t>(std::max<int64_t>(std::min(pos, nb - 1), 0));
      }
      ctx->set_output(f, std::move(out));
    }
    return Status::OK();
  }

 private:
  int64_t num_features_ = 0;
};

class SortedSearchOp : public OpKernel {
 public:
  explicit SortedSearchOp(bool upper) : upper_(upper) {}
  Status Init(const KernelInit& init) {
    out_type_ = init.attrs.GetTypeOr("out_type", DType::kInt32);
    if (out_type_ != DType::kInt32 && out_type_ != DType::kInt64) {
      return InvalidArgument("out_type must be int32 or int64, got ", DTypeName(out_type_));
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& sorted = ctx->input(0);
    const Tensor& values = ctx->input(1);
    if (sorted.rank() != 2 || values.rank() != 2 || sorted.dim(0) != values.dim(0) ||
        sorted.dtype() != values.dtype()) {
      return InvalidArgument("sorted_inputs and values must be matrices of one dtype with equal rows, got ",
                             sorted.DTypeShapeString(), " and ", values.DTypeShapeString());
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(out_type_, values.shape()));
    const int64_t rows = sorted.dim(0), m = sorted.dim(1), k = values.dim(1);
    Status status;
    DispatchDType(sorted.dtype(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T>) {
        for (int64_t r = 0; r < rows; ++r) {
          const T* s = sorted.data<T>() + r * m;
          for (int64_t j = 0; j < k; ++j) {
            const T v = values.data<T>()[r * k + j];
            const int64_t pos = (upper_ ? std::upper_bound(s, s + m, v) : std::lower_bound(s, s + m, v)) - s;
            if (out_type_ == DType::kInt32) {
              out.data<int32_t>()[r * k + j] = static_cast<int32_t>(pos);
            } else {
              out.data<int64_t>()[r * k + j] = pos;
            }
          }
        }
      } else {
        status = InvalidArgument("unsupported dtype ", DTypeName(sorted.dtype()));
      }
    });
    RETURN_IF_ERROR(status);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool upper_;
  DType out_type_ = DType::kInt32;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateBucketize(const KernelInit& init) { return MakeKernel<BucketizeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateBoostedTreesBucketize(const KernelInit& init) { return MakeKernel<BoostedTreesBucketizeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateUpperBound(const KernelInit& init) {
  auto k = std::make_unique<SortedSearchOp>(true);
  RETURN_IF_ERROR(k->Init(init));
  return std::unique_ptr<OpKernel>(std::move(k));
}
StatusOr<std::unique_ptr<OpKernel>> CreateLowerBound(const KernelInit& init) {
  auto k = std::make_unique<SortedSearchOp>(false);
  RETURN_IF_ERROR(k->Init(init));
  return std::unique_ptr<OpKernel>(std::move(k));
}

}  // namespace stfs::kernels
