// Helpers shared by the decoders (not part of the public API).
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "image/image.h"

namespace stfs::image::internal {

// Checks dimensions against kMaxDecodedBytes and allocates img->pixels.
// `who` prefixes the error ("DecodePng").
inline Status AllocPixels(std::string_view who, int64_t frames, int64_t height, int64_t width,
                          int64_t channels, PixelType type, Image* img) {
  if (frames <= 0 || height <= 0 || width <= 0 || channels <= 0) {
    return InvalidArgument(who, ": invalid image dimensions ", frames, "x", height, "x", width,
                           "x", channels);
  }
  const int64_t bpc = BytesPerChannel(type);
  // Each factor is checked before multiplying so nothing overflows.
  int64_t total = bpc;
  for (int64_t f : {frames, height, width, channels}) {
    if (f > kMaxDecodedBytes || total > kMaxDecodedBytes / f) {
      return InvalidArgument(who, ": image too large (", frames, " frames of ", height, "x",
                             width, "x", channels, ")");
    }
    total *= f;
  }
  img->frames = frames;
  img->height = height;
  img->width = width;
  img->channels = channels;
  img->type = type;
  img->pixels.assign(static_cast<size_t>(total), 0);
  return Status::OK();
}

inline uint32_t ReadLE32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline uint16_t ReadLE16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }

}  // namespace stfs::image::internal
