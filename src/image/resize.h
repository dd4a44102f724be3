// ResizeBilinear / ResizeNearestNeighbor with TensorFlow's exact CPU semantics
// on NHWC buffers [batch, height, width, channels].
//
// scale = in / out, or (in - 1) / (out - 1) when align_corners and both sizes
// > 1 (computed in float). Both align_corners and half_pixel_centers is an
// error ("If half_pixel_centers is True, align_corners must be False.").
//
// Bilinear (output always float32): src = dst * scale (legacy) or
// (dst + 0.5) * scale - 0.5 (half_pixel_centers); lo = max(floor(src), 0),
// hi = min(ceil(src), in - 1), f = src - floor(src);
// top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx,
// out = top + (bottom - top) * fy, all in float.
//
// Nearest neighbor (keeps dtype): src = dst * scale (legacy) or
// (dst + 0.5) * scale (half_pixel_centers); index = roundf(src) if
// align_corners else floorf(src); then min(index, in - 1) and, with
// half_pixel_centers, max(index, 0). Inputs are limited to 2^24 per side.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "base/status.h"

namespace stfs::image {

struct BilinearTap {
  int64_t lower = 0, upper = 0;
  float lerp = 0;
};

// TF's CalculateResizeScale.
float ResizeScale(int64_t in_size, int64_t out_size, bool align_corners);

// Checks sizes and flags like TF's ImageResizerState (nearest = the extra NN
// 2^24 limit).
Status ValidateResize(int64_t batch, int64_t in_h, int64_t in_w, int64_t channels,
                      int64_t out_h, int64_t out_w, bool align_corners,
                      bool half_pixel_centers, bool nearest);

// Per-axis tables (exposed for tests and for kernels that want to cache them).
std::vector<BilinearTap> BilinearTaps(int64_t in_size, int64_t out_size, bool align_corners,
                                      bool half_pixel_centers);
std::vector<int64_t> NearestIndices(int64_t in_size, int64_t out_size, bool align_corners,
                                    bool half_pixel_centers);

// T: any arithmetic type (or a half type convertible to float).
template <typename T>
Status ResizeBilinear(const T* in, int64_t batch, int64_t in_h, int64_t in_w, int64_t channels,
                      int64_t out_h, int64_t out_w, bool align_corners, bool half_pixel_centers,
                      float* out) {
  RETURN_IF_ERROR(ValidateResize(batch, in_h, in_w, channels, out_h, out_w, align_corners,
                                 half_pixel_centers, /*nearest=*/false));
  const std::vector<BilinearTap> ys = BilinearTaps(in_h, out_h, align_corners, half_pixel_centers);
  const std::vector<BilinearTap> xs = BilinearTaps(in_w, out_w, align_corners, half_pixel_centers);
  const int64_t in_row = in_w * channels;
  for (int64_t b = 0; b < batch; ++b) {
    const T* img = in + b * in_h * in_row;
    for (int64_t y = 0; y < out_h; ++y) {
      const T* top_row = img + ys[y].lower * in_row;
      const T* bot_row = img + ys[y].upper * in_row;
      const float fy = ys[y].lerp;
      for (int64_t x = 0; x < out_w; ++x) {
        const int64_t xl = xs[x].lower * channels, xu = xs[x].upper * channels;
        const float fx = xs[x].lerp;
        for (int64_t c = 0; c < channels; ++c) {
          const float tl = static_cast<float>(top_row[xl + c]);
          const float tr = static_cast<float>(top_row[xu + c]);
          const float bl = static_cast<float>(bot_row[xl + c]);
          const float br = static_cast<float>(bot_row[xu + c]);
          const float top = tl + (tr - tl) * fx;
          const float bottom = bl + (br - bl) * fx;
          *out++ = top + (bottom - top) * fy;
        }
      }
    }
  }
  return Status::OK();
}

template <typename T>
Status ResizeNearestNeighbor(const T* in, int64_t batch, int64_t in_h, int64_t in_w,
                             int64_t channels, int64_t out_h, int64_t out_w, bool align_corners,
                             bool half_pixel_centers, T* out) {
  RETURN_IF_ERROR(ValidateResize(batch, in_h, in_w, channels, out_h, out_w, align_corners,
                                 half_pixel_centers, /*nearest=*/true));
  const std::vector<int64_t> ys = NearestIndices(in_h, out_h, align_corners, half_pixel_centers);
  const std::vector<int64_t> xs = NearestIndices(in_w, out_w, align_corners, half_pixel_centers);
  for (int64_t b = 0; b < batch; ++b) {
    const T* img = in + b * in_h * in_w * channels;
    for (int64_t y = 0; y < out_h; ++y) {
      const T* row = img + ys[y] * in_w * channels;
      for (int64_t x = 0; x < out_w; ++x) {
        std::memcpy(out, row + xs[x] * channels, sizeof(T) * channels);
        out += channels;
      }
    }
  }
  return Status::OK();
}

}  // namespace stfs::image
