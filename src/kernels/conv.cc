// Conv2D (im2col + GEMM, bounded scratch) and DepthwiseConv2dNative (direct).
#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/conv_util.h"
#include "kernels/cwise_util.h"
#include "kernels/gemm.h"
#include "kernels/nn_ops.h"

namespace stfs::kernels {
namespace {

using namespace cwise;  // NOLINT: internal helpers

struct ConvParams {
  std::vector<int64_t> strides, dilations;
  Padding padding;
  std::vector<int64_t> explicit_paddings;  // 8 ints (NHWC order) for EXPLICIT
};

StatusOr<ConvParams> ParseConv(const KernelInit& init) {
  ConvParams p;
  RETURN_IF_ERROR(RequireNhwc(init));
  ASSIGN_OR_RETURN(p.strides, Parse4(init, "strides", true));
  ASSIGN_OR_RETURN(p.dilations, Parse4(init, "dilations", false));
  ASSIGN_OR_RETURN(p.padding, ParsePadding(init));
  if (p.padding == Padding::kExplicit) {
    ASSIGN_OR_RETURN(p.explicit_paddings, init.attrs.GetIntList("explicit_paddings"));
    if (p.explicit_paddings.size() != 8) {
      return InvalidArgument(init.op, " explicit_paddings must have 8 elements, got ", p.explicit_paddings.size());
    }
    if (p.explicit_paddings[0] || p.explicit_paddings[1] || p.explicit_paddings[6] || p.explicit_paddings[7]) {
      return Unimplemented(init.op, " explicit padding on the batch or depth dimension");
    }
  }
  return p;
}

struct Geometry {
  int64_t n, h, w, c, kh, kw, oh, ow, pad_t, pad_l;
};

StatusOr<Geometry> ComputeGeometry(const ConvParams& p, const Tensor& in, int64_t kh, int64_t kw) {
  Geometry g;
  g.n = in.dim(0); g.h = in.dim(1); g.w = in.dim(2); g.c = in.dim(3); g.kh = kh; g.kw = kw;
  const auto& e = p.explicit_paddings;
  ASSIGN_OR_RETURN(Window1D wh, ComputeWindow(g.h, kh, p.strides[1], p.dilations[1], p.padding,
                                              e.empty() ? 0 : e[2], e.empty() ? 0 : e[3]));
  ASSIGN_OR_RETURN(Window1D ww, ComputeWindow(g.w, kw, p.strides[2], p.dilations[2], p.padding,
                                              e.empty() ? 0 : e[4], e.empty() ? 0 : e[5]));
  g.oh = wh.out; g.ow = ww.out; g.pad_t = wh.pad_before; g.pad_l = ww.pad_before;
  return g;
}

template <class T>
void Im2ColRows(const T* in, const Geometry& g, const ConvParams& p, int64_t row_begin, int64_t rows, T* patches) {
  const int64_t k = g.kh * g.kw * g.c;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t idx = row_begin + r;
    const int64_t ow = idx % g.ow, oh = (idx / g.ow) % g.oh, b = idx / (g.ow * g.oh);
    T* dst = patches + r * k;
    for (int64_t i = 0; i < g.kh; ++i) {
      const int64_t ih = oh * p.strides[1] - g.pad_t + i * p.dilations[1];
      for (int64_t j = 0; j < g.kw; ++j) {
        const int64_t iw = ow * p.strides[2] - g.pad_l + j * p.dilations[2];
        T* d = dst + (i * g.kw + j) * g.c;
        if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) {
          std::fill(d, d + g.c, T(0));
        } else {
          std::memcpy(d, in + ((b * g.h + ih) * g.w + iw) * g.c, g.c * sizeof(T));
        }
      }
    }
  }
}

template <class T>
void Gemm(int64_t m, int64_t n, int64_t k, const T* a, const T* b, T* c, ThreadPool* pool) {
  if constexpr (std::is_same_v<T, float>) GemmF32(false, false, m, n, k, a, k, b, n, c, n, pool);
  else GemmF64(false, false, m, n, k, a, k, b, n, c, n, pool);
}

template <class T>
void Conv2DImpl(const T* in, const T* filter, T* out, const Geometry& g, const ConvParams& p, int64_t out_c,
                ThreadPool* pool) {
  const int64_t rows = g.n * g.oh * g.ow;
  const int64_t k = g.kh * g.kw * g.c;
  const bool pointwise = g.kh == 1 && g.kw == 1 && p.strides[1] == 1 && p.strides[2] == 1 && g.pad_t == 0 &&
                         g.pad_l == 0 && g.oh == g.h && g.ow == g.w;
  if (pointwise) {  // 1x1 conv is a plain GEMM on the input
    Gemm(rows, out_c, k, in, filter, out, pool);
    return;
  }
  // Chunks of output rows with bounded im2col scratch (~2 MB each).
  const int64_t max_rows = std::max<int64_t>(16, (int64_t{2} << 20) / (sizeof(T) * std::max<int64_t>(k, 1)));
  const int64_t shards = pool->num_threads() + 1;
  int64_t chunk = std::min(max_rows, std::max<int64_t>(16, (rows + shards - 1) / shards));
  const int64_t chunks = (rows + chunk - 1) / chunk;
  pool->ParallelFor(chunks, chunk * k * out_c * 2, [&](int64_t cb, int64_t ce) {
    std::vector<T> patches(chunk * k);
    for (int64_t ci = cb; ci < ce; ++ci) {
      const int64_t r0 = ci * chunk, len = std::min(chunk, rows - r0);
      Im2ColRows(in, g, p, r0, len, patches.data());
      Gemm(len, out_c, k, patches.data(), filter, out + r0 * out_c, static_cast<ThreadPool*>(nullptr));
    }
  });
}

template <class T>
std::vector<float> ToFloatVec(const Tensor& t) {
  std::vector<float> v(t.NumElements());
  for (int64_t i = 0; i < t.NumElements(); ++i) v[i] = static_cast<float>(t.data<T>()[i]);
  return v;
}

class Conv2DKernel : public OpKernel {
 public:
  explicit Conv2DKernel(ConvParams p) : p_(std::move(p)) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& filter = ctx->input(1);
    if (in.rank() != 4) return InvalidArgument("input must be 4-dimensional: ", in.shape().ToString());
    if (filter.rank() != 4) return InvalidArgument("filter must be 4-dimensional: ", filter.shape().ToString());
    if (in.dtype() != filter.dtype()) {
      return InvalidArgument("Conv2D input is ", DTypeName(in.dtype()), " but filter is ", DTypeName(filter.dtype()));
    }
    const DType dt = in.dtype();
    if (dt != DType::kFloat && dt != DType::kDouble && dt != DType::kHalf && dt != DType::kBFloat16) {
      return UnsupportedDType(ctx, dt);
    }
    const int64_t fin = filter.dim(2), out_c = filter.dim(3);
    if (fin == 0 || in.dim(3) % fin != 0) {
      return InvalidArgument("input depth must be evenly divisible by filter depth: ", in.dim(3), " vs ", fin);
    }
    if (fin != in.dim(3)) {
      return Unimplemented("Grouped Conv2D (input depth ", in.dim(3), ", filter depth ", fin, ") is not supported");
    }
    ASSIGN_OR_RETURN(Geometry g, ComputeGeometry(p_, in, filter.dim(0), filter.dim(1)));
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, dt, Shape{g.n, g.oh, g.ow, out_c}));
    if (out->NumElements() == 0) return Status::OK();
    if (dt == DType::kFloat) {
      Conv2DImpl(in.data<float>(), filter.data<float>(), out->data<float>(), g, p_, out_c, ctx->thread_pool());
    } else if (dt == DType::kDouble) {
      Conv2DImpl(in.data<double>(), filter.data<double>(), out->data<double>(), g, p_, out_c, ctx->thread_pool());
    } else {
      DispatchDType(dt, [&]<typename T>() {
        if constexpr (kIsHalfLike<T>) {
          std::vector<float> fi = ToFloatVec<T>(in), ff = ToFloatVec<T>(filter), fo(out->NumElements());
          Conv2DImpl(fi.data(), ff.data(), fo.data(), g, p_, out_c, ctx->thread_pool());
          for (int64_t i = 0; i < out->NumElements(); ++i) out->data<T>()[i] = T(fo[i]);
        }
      });
    }
    return Status::OK();
  }

 private:
  const ConvParams p_;
};

// out[b, oh, ow, c*M + m] = sum_{i,j} in[b, ih, iw, c] * filter[i, j, c, m].
class DepthwiseKernel : public OpKernel {
 public:
  explicit DepthwiseKernel(ConvParams p) : p_(std::move(p)) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& filter = ctx->input(1);
    if (in.rank() != 4 || filter.rank() != 4) {
      return InvalidArgument("input and filter must be 4-dimensional: ", in.shape().ToString(), ", ",
                             filter.shape().ToString());
    }
    if (in.dtype() != filter.dtype()) return InvalidArgument("input and filter dtypes differ");
    if (filter.dim(2) != in.dim(3)) {
      return InvalidArgument("input and filter must have the same depth: ", in.dim(3), " vs ", filter.dim(2));
    }
    const int64_t mult = filter.dim(3);
    ASSIGN_OR_RETURN(Geometry g, ComputeGeometry(p_, in, filter.dim(0), filter.dim(1)));
    const int64_t oc = g.c * mult;
    ASSIGN_OR_RETURN(Tensor * out, ctx->allocate_output(0, in.dtype(), Shape{g.n, g.oh, g.ow, oc}));
    bool ok = false;
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (kIsFloat<T>) {
        ok = true;
        using C = ComputeT<T>;
        const T* ip = in.data<T>();
        const T* fp = filter.data<T>();
        T* op = out->data<T>();
        ctx->thread_pool()->ParallelFor(g.n * g.oh * g.ow, g.kh * g.kw * oc * 2, [&](int64_t b0, int64_t e0) {
          std::vector<C> acc(oc);
          for (int64_t idx = b0; idx < e0; ++idx) {
            const int64_t ow = idx % g.ow, oh = (idx / g.ow) % g.oh, b = idx / (g.ow * g.oh);
            std::fill(acc.begin(), acc.end(), C(0));
            for (int64_t i = 0; i < g.kh; ++i) {
              const int64_t ih = oh * p_.strides[1] - g.pad_t + i * p_.dilations[1];
              if (ih < 0 || ih >= g.h) continue;
              for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t iw = ow * p_.strides[2] - g.pad_l + j * p_.dilations[2];
                if (iw < 0 || iw >= g.w) continue;
                const T* x = ip + ((b * g.h + ih) * g.w + iw) * g.c;
                const T* f = fp + (i * g.kw + j) * oc;
                for (int64_t c = 0; c < g.c; ++c) {
                  const C xv = static_cast<C>(x[c]);
                  for (int64_t m = 0; m < mult; ++m) acc[c * mult + m] += xv * static_cast<C>(f[c * mult + m]);
                }
              }
            }
            for (int64_t c = 0; c < oc; ++c) op[idx * oc + c] = static_cast<T>(acc[c]);
          }
        });
      }
    });
    if (!ok) return UnsupportedDType(ctx, in.dtype());
    return Status::OK();
  }

 private:
  const ConvParams p_;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateConv2D(const KernelInit& init) {
  ASSIGN_OR_RETURN(ConvParams p, ParseConv(init));
  return std::unique_ptr<OpKernel>(new Conv2DKernel(std::move(p)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateDepthwiseConv2dNative(const KernelInit& init) {
  ASSIGN_OR_RETURN(ConvParams p, ParseConv(init));
  return std::unique_ptr<OpKernel>(new DepthwiseKernel(std::move(p)));
}

}  // namespace stfs::kernels
