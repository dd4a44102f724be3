// Conv2D (im2col + GEMM, bounded scratch) and DepthwiseConv2dNative (direct).
#include <algorithm>
#include <cstring>
#include <memory>
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

// Output pixel (b, oh, ow) stepped in row-major order without a div/mod per step.
struct PixelCursor {
  int64_t b, oh, ow;
  PixelCursor(int64_t idx, const Geometry& g) : b(idx / (g.oh * g.ow)), oh(idx / g.ow % g.oh), ow(idx % g.ow) {}
  void Next(const Geometry& g) {
    if (++ow == g.ow) {
      ow = 0;
      if (++oh == g.oh) {
        oh = 0;
        ++b;
      }
    }
  }
};

// Fixed-size copy: compiles to plain vector moves. Callers never overlap d and s.
template <size_t N>
inline void MoveBytes(char* d, const char* s) {
  std::memcpy(d, s, N);
}

// Copies n elements. Runs in im2col are short (kw*C, e.g. 9 floats), where a
// libc memcpy call per run cost more than the copy itself, so runs up to 256
// bytes are copied inline with (possibly overlapping) fixed-size moves.
template <class T>
inline void CopyRun(T* d, const T* s, int64_t n) {
  const size_t bytes = static_cast<size_t>(n) * sizeof(T);
  char* dc = reinterpret_cast<char*>(d);
  const char* sc = reinterpret_cast<const char*>(s);
  if (bytes > 256) {
    std::memcpy(dc, sc, bytes);
  } else if (bytes >= 32) {
    for (size_t o = 0; o + 32 < bytes; o += 32) MoveBytes<32>(dc + o, sc + o);
    MoveBytes<32>(dc + bytes - 32, sc + bytes - 32);
  } else if (bytes >= 16) {
    MoveBytes<16>(dc, sc);
    MoveBytes<16>(dc + bytes - 16, sc + bytes - 16);
  } else if (bytes >= 8) {
    MoveBytes<8>(dc, sc);
    MoveBytes<8>(dc + bytes - 8, sc + bytes - 8);
  } else if (bytes >= 4) {
    MoveBytes<4>(dc, sc);
    MoveBytes<4>(dc + bytes - 4, sc + bytes - 4);
  } else {
    for (size_t b = 0; b < bytes; ++b) dc[b] = sc[b];
  }
}

template <class T>
inline void ZeroRun(T* d, int64_t n) {
  if (n > 0) std::fill(d, d + n, T(0));
}

// One im2col row (the patch of one output pixel) in the general case: taps
// outside the image (padding) are zero. With dilation_w == 1 the in-bounds taps
// of one filter row are one contiguous run of the NHWC input, copied at once.
template <class T>
void Im2ColPixel(const T* image, const Geometry& g, int64_t ih0, int64_t i_lo, int64_t i_hi, int64_t iw0,
                 int64_t dh, int64_t dw, T* dst) {
  const int64_t c = g.c, kwc = g.kw * c, k = g.kh * kwc, row_stride = g.w * c;
  int64_t j_lo, j_hi;
  ValidTaps(iw0, g.kw, dw, g.w, &j_lo, &j_hi);
  if (i_lo == i_hi || j_lo == j_hi) {  // window entirely in the padding
    ZeroRun(dst, k);
    return;
  }
  ZeroRun(dst, i_lo * kwc);
  ZeroRun(dst + i_hi * kwc, k - i_hi * kwc);
  // First in-bounds element of the first in-bounds filter row.
  const T* src = image + (ih0 + i_lo * dh) * row_stride + (iw0 + j_lo * dw) * c;
  for (int64_t i = i_lo; i < i_hi; ++i, src += dh * row_stride) {
    T* d = dst + i * kwc;
    ZeroRun(d, j_lo * c);
    if (dw == 1) {
      CopyRun(d + j_lo * c, src, (j_hi - j_lo) * c);
    } else {
      for (int64_t j = j_lo; j < j_hi; ++j) CopyRun(d + j * c, src + (j - j_lo) * dw * c, c);
    }
    ZeroRun(d + j_hi * c, kwc - j_hi * c);
  }
}

// Rows [row_begin, row_begin + rows) of the im2col matrix: row r holds the
// (kh, kw, c) patch of output pixel r. Walks the chunk one output row at a
// time; output columns whose window lies fully inside the image (most of
// them) take a tight loop of kh copies of kw*C elements per pixel.
template <class T>
void Im2ColRows(const T* in, const Geometry& g, const ConvParams& p, int64_t row_begin, int64_t rows, T* patches) {
  const int64_t c = g.c, kh = g.kh, kwc = g.kw * c, k = kh * kwc;
  const int64_t row_stride = g.w * c, image_stride = g.h * row_stride;
  const int64_t sh = p.strides[1], sw = p.strides[2], dh = p.dilations[1], dw = p.dilations[2];
  // Output columns [ow_in_lo, ow_in_hi) read only in-bounds input columns.
  const int64_t span_w = (g.kw - 1) * dw, last_start = g.w - 1 - span_w + g.pad_l;
  const int64_t ow_in_lo = std::min(g.ow, (g.pad_l + sw - 1) / sw);
  const int64_t ow_in_hi = last_start >= 0 ? std::min(g.ow, last_start / sw + 1) : 0;
  PixelCursor px(row_begin, g);
  T* dst = patches;
  for (int64_t r = 0; r < rows;) {
    const int64_t seg_end = std::min(g.ow, px.ow + (rows - r));  // this output row's share of the chunk
    const int64_t ih0 = px.oh * sh - g.pad_t;
    int64_t i_lo, i_hi;
    ValidTaps(ih0, kh, dh, g.h, &i_lo, &i_hi);
    const T* image = in + px.b * image_stride;
    const bool rows_inside = i_lo == 0 && i_hi == kh && dw == 1;
    for (int64_t ow = px.ow; ow < seg_end;) {
      if (rows_inside && ow >= ow_in_lo && ow < ow_in_hi) {
        const int64_t stop = std::min(seg_end, ow_in_hi);
        const T* s = image + ih0 * row_stride + (ow * sw - g.pad_l) * c;
        for (; ow < stop; ++ow, s += sw * c, dst += k) {
          const T* sr = s;
          for (int64_t i = 0; i < kh; ++i, sr += dh * row_stride) CopyRun(dst + i * kwc, sr, kwc);
        }
      } else {
        Im2ColPixel(image, g, ih0, i_lo, i_hi, ow * sw - g.pad_l, dh, dw, dst);
        ++ow;
        dst += k;
      }
    }
    r += seg_end - px.ow;
    px.ow = seg_end - 1;
    px.Next(g);
  }
}

// Per-thread im2col buffer reused across chunks and calls (instead of a fresh
// vector per chunk). Buffers above kMaxCached are not kept, so an idle thread
// holds at most that much.
template <class T>
class Scratch {
 public:
  explicit Scratch(int64_t n) {
    static constexpr size_t kMaxCached = size_t{8} << 20;
    thread_local std::unique_ptr<T[]> cached;
    thread_local size_t cached_size = 0;
    if (static_cast<size_t>(n) * sizeof(T) > kMaxCached) {
      owned_.reset(new T[n]);
      data_ = owned_.get();
      return;
    }
    if (cached_size < static_cast<size_t>(n)) {
      cached.reset();  // free first: peak is one buffer, not two
      cached.reset(new T[n]);
      cached_size = n;
    }
    data_ = cached.get();
  }
  T* data() { return data_; }

 private:
  std::unique_ptr<T[]> owned_;
  T* data_;
};

template <class T>
void Gemm(int64_t m, int64_t n, int64_t k, const T* a, const T* b, T* c, ThreadPool* pool) {
  if constexpr (std::is_same_v<T, float>) GemmF32(false, false, m, n, k, a, k, b, n, c, n, pool);
  else GemmF64(false, false, m, n, k, a, k, b, n, c, n, pool);
}

// im2col scratch per chunk: small enough that a chunk's patches are still in
// L2 when its GEMM reads them, and little memory kept per thread (Scratch).
constexpr int64_t kScratchBytes = int64_t{256} << 10;

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
  // Chunks of output rows with bounded im2col scratch (kScratchBytes each). On a pool
  // worker ParallelFor runs inline, so one chunk as large as the bound allows
  // (fewer, larger GEMMs).
  const int64_t max_rows = std::max<int64_t>(16, kScratchBytes / (sizeof(T) * std::max<int64_t>(k, 1)));
  const int64_t shards = ThreadPool::InWorkerThread() ? 1 : pool->num_threads() + 1;
  int64_t chunk = std::min(max_rows, std::max<int64_t>(16, (rows + shards - 1) / shards));
  const int64_t chunks = (rows + chunk - 1) / chunk;
  pool->ParallelFor(chunks, chunk * k * out_c * 2, [&](int64_t cb, int64_t ce) {
    Scratch<T> patches(std::min(chunk, rows) * k);
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
        const int64_t sh = p_.strides[1], sw = p_.strides[2], dh = p_.dilations[1], dw = p_.dilations[2];
        ctx->thread_pool()->ParallelFor(g.n * g.oh * g.ow, g.kh * g.kw * oc * 2, [&](int64_t b0, int64_t e0) {
          std::vector<C> acc(oc);
          PixelCursor px(b0, g);
          for (int64_t idx = b0; idx < e0; ++idx, px.Next(g)) {
            std::fill(acc.begin(), acc.end(), C(0));
            const int64_t ih0 = px.oh * sh - g.pad_t, iw0 = px.ow * sw - g.pad_l;
            int64_t i_lo, i_hi, j_lo, j_hi;
            ValidTaps(ih0, g.kh, dh, g.h, &i_lo, &i_hi);
            ValidTaps(iw0, g.kw, dw, g.w, &j_lo, &j_hi);
            for (int64_t i = i_lo; i < i_hi && j_lo < j_hi; ++i) {
              const T* x = ip + ((px.b * g.h + ih0 + i * dh) * g.w + iw0 + j_lo * dw) * g.c;
              for (int64_t j = j_lo; j < j_hi; ++j, x += dw * g.c) {
                const T* f = fp + (i * g.kw + j) * oc;
                if (mult == 1) {  // the common case: one contiguous, vectorisable loop
                  for (int64_t c = 0; c < g.c; ++c) acc[c] += static_cast<C>(x[c]) * static_cast<C>(f[c]);
                  continue;
                }
                for (int64_t c = 0; c < g.c; ++c) {
                  const C xv = static_cast<C>(x[c]);
                  for (int64_t m = 0; m < mult; ++m) acc[c * mult + m] += xv * static_cast<C>(f[c * mult + m]);
                }
              }
            }
            T* o = op + idx * oc;
            for (int64_t c = 0; c < oc; ++c) o[c] = static_cast<T>(acc[c]);
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
