// BMP decoding following TF's DecodeBmp (decode_image_op.cc): pixel data at
// the offset in bytes 10..13, width at 18, height at 22 (negative = top-down),
// bits per pixel at 28; 8 / 24 / 32 bpp, rows padded to 4 bytes, BGR(A) ->
// RGB(A). Differences (stricter or more lenient than TF, never less safe):
// RLE / JPEG / PNG compressed BMPs are rejected instead of decoded as garbage,
// and trailing bytes after the pixel rows are allowed.
#include <cstdlib>
#include <limits>

#include "image/image.h"
#include "image/internal.h"

namespace stfs::image {

StatusOr<Image> DecodeBmp(std::string_view bytes, int channels) {
  if (channels != 0 && channels != 3 && channels != 4) {
    return InvalidArgument("DecodeBmp: `channels` must be 0, 3 or 4 for BMP, but got ", channels);
  }
  if (bytes.empty()) return InvalidArgument("DecodeBmp: empty input");
  if (bytes.size() < 2 || bytes[0] != 'B' || bytes[1] != 'M') {
    return InvalidArgument("DecodeBmp: invalid BMP data (missing 'BM' signature)");
  }
  if (bytes.size() < 32) {
    return InvalidArgument("DecodeBmp: BMP image is truncated (requires at least 32 bytes to "
                           "find the header size, width, height, and bpp, got ",
                           bytes.size(), " bytes)");
  }
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t offset = static_cast<int32_t>(internal::ReadLE32(p + 10));
  const int32_t dib_size = static_cast<int32_t>(internal::ReadLE32(p + 14));
  const int32_t width = static_cast<int32_t>(internal::ReadLE32(p + 18));
  const int32_t height = static_cast<int32_t>(internal::ReadLE32(p + 22));
  const int bpp = static_cast<int16_t>(internal::ReadLE16(p + 28));
  const int img_channels = bpp / 8;
  if (bpp % 8 != 0 || (img_channels != 1 && img_channels != 3 && img_channels != 4)) {
    return InvalidArgument("DecodeBmp: number of channels inherent in the image must be 1, 3 "
                           "or 4, was ", img_channels, " (", bpp, " bits per pixel)");
  }
  if (dib_size >= 40 && bytes.size() >= 34) {
    const uint32_t compression = internal::ReadLE32(p + 30);
    // 0 = BI_RGB; 3 / 6 = (A)BITFIELDS, accepted for 32 bpp (TF ignores masks).
    if (!(compression == 0 || ((compression == 3 || compression == 6) && bpp == 32))) {
      return InvalidArgument("DecodeBmp: unsupported BMP compression ", compression);
    }
  }
  if (width <= 0) return InvalidArgument("DecodeBmp: Width must be positive");
  if (height == 0 || height == std::numeric_limits<int32_t>::min()) {
    return InvalidArgument("DecodeBmp: Height must be nonzero");
  }
  if (offset < 0) return InvalidArgument("DecodeBmp: header size must be nonnegative");
  const int64_t abs_height = std::llabs(int64_t{height});
  if (int64_t{width} * abs_height >= std::numeric_limits<int32_t>::max() / 8) {
    return InvalidArgument("DecodeBmp: Total possible pixel bytes must be less than 2^30");
  }
  const int64_t row_size = (int64_t{img_channels} * width + 3) / 4 * 4;
  const int64_t expected = int64_t{offset} + (abs_height - 1) * row_size +
                           int64_t{width} * img_channels;
  if (expected > static_cast<int64_t>(bytes.size())) {
    return InvalidArgument("DecodeBmp: BMP image is truncated (requires at least ", expected,
                           " bytes, got ", bytes.size(), " bytes)");
  }
  const int out_channels = channels ? channels : img_channels;
  Image img;
  RETURN_IF_ERROR(internal::AllocPixels("DecodeBmp", 1, abs_height, width, out_channels,
                                        PixelType::kUint8, &img));
  const bool top_down = height < 0;
  const uint8_t* pixels = p + offset;
  uint8_t* out = img.pixels.data();
  for (int64_t i = 0; i < abs_height; ++i) {
    const uint8_t* row = pixels + (top_down ? i : abs_height - 1 - i) * row_size;
    for (int64_t j = 0; j < width; ++j, out += out_channels) {
      const uint8_t* s = row + j * img_channels;
      if (img_channels == 1) {
        out[0] = s[0];
        if (out_channels >= 3) out[1] = out[2] = s[0];
        if (out_channels == 4) out[3] = 255;
      } else {
        out[0] = s[2];
        out[1] = s[1];
        out[2] = s[0];
        if (out_channels == 4) out[3] = img_channels == 4 ? s[3] : 255;
      }
    }
  }
  return img;
}

}  // namespace stfs::image
