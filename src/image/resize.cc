#include "image/resize.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace stfs::image {

float ResizeScale(int64_t in_size, int64_t out_size, bool align_corners) {
  return (align_corners && in_size > 1 && out_size > 1)
             ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
             : static_cast<float>(in_size) / static_cast<float>(out_size);
}

Status ValidateResize(int64_t batch, int64_t in_h, int64_t in_w, int64_t channels,
                      int64_t out_h, int64_t out_w, bool align_corners,
                      bool half_pixel_centers, bool nearest) {
  if (half_pixel_centers && align_corners) {
    return InvalidArgument("If half_pixel_centers is True, align_corners must be False.");
  }
  if (batch < 0 || channels < 0) {
    return InvalidArgument("resize: invalid batch/channels ", batch, "/", channels);
  }
  if (in_h <= 0 || in_w <= 0) {
    return InvalidArgument("resize: input image must be of non-zero size, got ", in_h, "x", in_w);
  }
  if (out_h <= 0 || out_w <= 0) {
    return InvalidArgument("resize: output dimensions must be positive, got ", out_h, "x", out_w);
  }
  constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
  if (in_h > kIntMax || in_w > kIntMax || out_h > kIntMax || out_w > kIntMax) {
    return InvalidArgument("resize: sizes must fit in int32");
  }
  if (nearest && (in_h >= (1 << 24) || in_w >= (1 << 24))) {
    return InvalidArgument("nearest neighbor requires max height & width of 2^24");
  }
  return Status::OK();
}

std::vector<BilinearTap> BilinearTaps(int64_t in_size, int64_t out_size, bool align_corners,
                                      bool half_pixel_centers) {
  const float scale = ResizeScale(in_size, out_size, align_corners);
  std::vector<BilinearTap> taps(static_cast<size_t>(out_size));
  for (int64_t i = 0; i < out_size; ++i) {
    const float src = half_pixel_centers
                          ? (static_cast<float>(i) + 0.5f) * scale - 0.5f
                          : static_cast<float>(i) * scale;
    const float src_floor = std::floor(src);
    taps[i].lower = std::max(static_cast<int64_t>(src_floor), int64_t{0});
    taps[i].upper = std::min(static_cast<int64_t>(std::ceil(src)), in_size - 1);
    taps[i].lerp = src - src_floor;
  }
  return taps;
}

std::vector<int64_t> NearestIndices(int64_t in_size, int64_t out_size, bool align_corners,
                                    bool half_pixel_centers) {
  const float scale = ResizeScale(in_size, out_size, align_corners);
  std::vector<int64_t> idx(static_cast<size_t>(out_size));
  for (int64_t i = 0; i < out_size; ++i) {
    const float src = half_pixel_centers ? (static_cast<float>(i) + 0.5f) * scale
                                         : static_cast<float>(i) * scale;
    int64_t v = align_corners ? static_cast<int64_t>(roundf(src))
                              : static_cast<int64_t>(floorf(src));
    v = std::min(v, in_size - 1);
    if (half_pixel_centers) v = std::max(v, int64_t{0});
    idx[i] = v;
  }
  return idx;
}

}  // namespace stfs::image
