// MaxPool / MaxPoolV2 / AvgPool, NHWC. Padded cells are ignored: MaxPool takes
// the max of the valid cells, AvgPool divides by the number of valid cells.
#include <algorithm>
#include <limits>
#include <vector>

#include "kernels/conv_util.h"
#include "kernels/cwise_util.h"
#include "kernels/nn_ops.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

struct PoolParams {
  std::vector<int64_t> ksize, strides;
  Padding padding = Padding::kValid;
  std::vector<int64_t> explicit_paddings;
};

template <bool kMax>
Status Pool(OpContext* ctx, const PoolParams& p) {
  const Tensor& in = ctx->input(0);
  if (in.rank() != 4) return InvalidArgument("input must be 4-dimensional: ", in.shape().ToString());
  const int64_t n = in.dim(0), h = in.dim(1), w = in.dim(2), c = in.dim(3);
  const auto& e = p.explicit_paddings;
  ASSIGN_OR_RETURN(Window1D wh, ComputeWindow(h, p.ksize[1], p.strides[1], 1, p.padding, e.empty() ? 0 : e[2],
                                              e.empty() ? 0 : e[3]));
  ASSIGN_OR_RETURN(Window1D ww, ComputeWindow(w, p.ksize[2], p.strides[2], 1, p.padding, e.empty() ? 0 : e[4],
                                              e.empty() ? 0 : e[5]));
  const int64_t oh = wh.out, ow = ww.out;
  ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, in.dtype(), Shape{n, oh, ow, c}));
  bool ok = false;
  DispatchDType(in.dtype(), [&]<typename T>() {
    if constexpr (kMax ? kIsReal<T> : kIsFloat<T>) {
      if (IsQuantized(in.dtype())) return;
      ok = true;
      using C = ComputeT<T>;
      const T* ip = in.data<T>();
      T* op = out->data<T>();
      ctx->thread_pool()->ParallelFor(n * oh * ow, p.ksize[1] * p.ksize[2] * c, [&](int64_t b0, int64_t e0) {
        std::vector<C> acc(c);
        for (int64_t idx = b0; idx < e0; ++idx) {
          const int64_t x = idx % ow, y = (idx / ow) % oh, b = idx / (ow * oh);
          const int64_t h0 = y * p.strides[1] - wh.pad_before, w0 = x * p.strides[2] - ww.pad_before;
          const int64_t hs = std::max<int64_t>(h0, 0), he = std::min(h0 + p.ksize[1], h);
          const int64_t ws = std::max<int64_t>(w0, 0), we = std::min(w0 + p.ksize[2], w);
          std::fill(acc.begin(), acc.end(), kMax ? std::numeric_limits<C>::lowest() : C(0));
          for (int64_t ih = hs; ih < he; ++ih) {
            for (int64_t iw = ws; iw < we; ++iw) {
              const T* src = ip + ((b * h + ih) * w + iw) * c;
              for (int64_t k = 0; k < c; ++k) {
                const C v = static_cast<C>(src[k]);
                if constexpr (kMax) acc[k] = (v > acc[k] || v != v) ? v : acc[k];
                else acc[k] += v;
              }
            }
          }
          T* dst = op + idx * c;
          if constexpr (kMax) {
            for (int64_t k = 0; k < c; ++k) dst[k] = static_cast<T>(acc[k]);
          } else {
            const int64_t count = std::max<int64_t>((he - hs) * (we - ws), 1);
            const C inv = C(1) / static_cast<C>(count);
            for (int64_t k = 0; k < c; ++k) dst[k] = static_cast<T>(acc[k] * inv);
          }
        }
      });
    }
  });
  if (!ok) return UnsupportedDType(ctx, in.dtype());
  return Status::OK();
}

StatusOr<PoolParams> ParsePool(const KernelInit& init, bool attrs_in_inputs) {
  RETURN_IF_ERROR(RequireNhwc(init));
  PoolParams p;
  if (!attrs_in_inputs) {
    ASSIGN_OR_RETURN(p.ksize, Parse4(init, "ksize", true));
    ASSIGN_OR_RETURN(p.strides, Parse4(init, "strides", true));
  }
  ASSIGN_OR_RETURN(p.padding, ParsePadding(init));
  if (p.padding == Padding::kExplicit) {
    ASSIGN_OR_RETURN(p.explicit_paddings, init.attrs.GetIntList("explicit_paddings"));
    if (p.explicit_paddings.size() != 8) return InvalidArgument(init.op, " explicit_paddings must have 8 elements");
  }
  return p;
}

template <bool kMax>
class PoolKernel : public OpKernel {
 public:
  explicit PoolKernel(PoolParams p) : p_(std::move(p)) {}
  Status Compute(OpContext* ctx) override { return Pool<kMax>(ctx, p_); }

 private:
  const PoolParams p_;
};

// Reads a 4-element int32 ksize/strides input with N and C == 1.
StatusOr<std::vector<int64_t>> Read4(const Tensor& t, const char* what) {
  if (t.dtype() != DType::kInt32 || t.NumElements() != 4) {
    return InvalidArgument(what, " must be an int32 vector of 4 elements, got ", t.DTypeShapeString());
  }
  std::vector<int64_t> v(t.data<int32_t>(), t.data<int32_t>() + 4);
  if (v[0] != 1 || v[3] != 1) return Unimplemented("Pooling on the batch or depth dimension is not supported");
  for (int64_t x : v) {
    if (x < 1) return InvalidArgument(what, " values must be >= 1");
  }
  return v;
}

class MaxPoolV2Kernel : public OpKernel {
 public:
  explicit MaxPoolV2Kernel(PoolParams p) : p_(std::move(p)) {}
  Status Compute(OpContext* ctx) override {
    PoolParams p = p_;
    ASSIGN_OR_RETURN(p.ksize, Read4(ctx->input(1), "ksize"));
    ASSIGN_OR_RETURN(p.strides, Read4(ctx->input(2), "strides"));
    return Pool<true>(ctx, p);
  }

 private:
  const PoolParams p_;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateMaxPool(const KernelInit& init) {
  ASSIGN_OR_RETURN(PoolParams p, ParsePool(init, false));
  return std::unique_ptr<OpKernel>(new PoolKernel<true>(std::move(p)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateMaxPoolV2(const KernelInit& init) {
  ASSIGN_OR_RETURN(PoolParams p, ParsePool(init, true));
  return std::unique_ptr<OpKernel>(new MaxPoolV2Kernel(std::move(p)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAvgPool(const KernelInit& init) {
  ASSIGN_OR_RETURN(PoolParams p, ParsePool(init, false));
  if (p.padding == Padding::kExplicit) return InvalidArgument("AvgPool does not support EXPLICIT padding");
  return std::unique_ptr<OpKernel>(new PoolKernel<false>(std::move(p)));
}

}  // namespace stfs::kernels
