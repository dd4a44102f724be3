// PNG decoding with libpng, mirroring TF's tensorflow/core/lib/png/png_io.cc
// (CommonInitDecode / CommonFinishDecode transformations).
#include <png.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "image/image.h"
#include "image/internal.h"

namespace stfs::image {
namespace {

struct PngCtx {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;
  size_t left = 0;
  bool truncated = false;
  char message[256] = {0};
};

void ErrorFn(png_structp png, png_const_charp msg) {
  auto* ctx = static_cast<PngCtx*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof(ctx->message), "%s", msg ? msg : "unknown error");
  png_longjmp(png, 1);
}

void WarningFn(png_structp, png_const_charp) {}

void ReadFn(png_structp png, png_bytep out, png_size_t length) {
  auto* ctx = static_cast<PngCtx*>(png_get_io_ptr(png));
  if (ctx->left < length) {
    ctx->truncated = true;
    png_error(png, "More bytes requested to read than available");
  }
  std::memcpy(out, ctx->data, length);
  ctx->data += length;
  ctx->left -= length;
}

// Returns "" on success. No objects with destructors are live across libpng
// calls that may longjmp (the Status in the allocation step is scoped).
std::string DecodeLow(PngCtx* ctx, const int requested_channels, bool want16, Image* out) {
  ctx->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, ErrorFn, WarningFn);
  if (!ctx->png) return "png_create_read_struct failed";
  ctx->info = png_create_info_struct(ctx->png);
  if (!ctx->info) return "png_create_info_struct failed";
  if (setjmp(png_jmpbuf(ctx->png))) {
    if (ctx->truncated) return "PNG image is truncated";
    return std::string("invalid PNG data (") + ctx->message + ")";
  }
  png_set_read_fn(ctx->png, ctx, ReadFn);
  png_read_info(ctx->png, ctx->info);
  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0;
  png_get_IHDR(ctx->png, ctx->info, &width, &height, &bit_depth, &color_type, nullptr, nullptr,
               nullptr);
  // TF's limits: each side < 2^27, area < 2^29.
  if (width == 0 || height == 0 || width >= (1u << 27) || height >= (1u << 27) ||
      uint64_t{width} * height >= (uint64_t{1} << 29)) {
    return "PNG size too large or empty: " + std::to_string(width) + " by " +
           std::to_string(height);
  }
  const bool has_trns = png_get_valid(ctx->png, ctx->info, PNG_INFO_tRNS) != 0;
  int channels = requested_channels;
  if (channels == 0) {
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
      channels = has_trns ? 4 : 3;
    } else {
      channels = png_get_channels(ctx->png, ctx->info);
    }
  }
  const bool has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0;
  if ((channels & 1) == 0) {  // want alpha
    if (!has_alpha) {
      if (has_trns) {
        png_set_tRNS_to_alpha(ctx->png);
      } else {
        png_set_add_alpha(ctx->png, (1u << bit_depth) - 1, PNG_FILLER_AFTER);
      }
    }
  } else if (has_alpha || has_trns) {
    png_set_strip_alpha(ctx->png);
  }
  if (bit_depth > 8 && !want16) png_set_strip_16(ctx->png);
  const bool synthesize16 = bit_depth <= 8 && want16;
  png_set_packing(ctx->png);
  const int passes = png_set_interlace_handling(ctx->png);
  if (want16) {
    uint16_t probe = 1;
    uint8_t first;
    std::memcpy(&first, &probe, 1);
    if (first == 1) png_set_swap(ctx->png);  // little endian host
  }
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(ctx->png);
  const bool want_gray = channels < 3;
  const bool is_gray = (color_type & PNG_COLOR_MASK_COLOR) == 0;
  if (is_gray && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(ctx->png);
  if (want_gray) {
    if (!is_gray) png_set_rgb_to_gray(ctx->png, 1, 0.299, 0.587);
  } else if (is_gray) {
    png_set_gray_to_rgb(ctx->png);
  }
  png_read_update_info(ctx->png, ctx->info);
  const size_t rowbytes = png_get_rowbytes(ctx->png, ctx->info);
  const size_t decoded_bytes_per_value = (bit_depth > 8 && want16) ? 2 : 1;
  if (rowbytes != static_cast<size_t>(width) * channels * decoded_bytes_per_value) {
    return "unexpected PNG row size";
  }
  {
    Status st = internal::AllocPixels("DecodePng", 1, height, width, channels,
                                      want16 ? PixelType::kUint16 : PixelType::kUint8, out);
    if (!st.ok()) return st.message();
  }
  // 8-bit data for a uint16 request is read into the front of each 16-bit row
  // and widened afterwards (like TF's Convert8to16).
  const size_t out_row = static_cast<size_t>(width) * channels * (want16 ? 2 : 1);
  for (int p = 0; p < passes; ++p) {
    uint8_t* row = out->pixels.data();
    for (png_uint_32 y = 0; y < height; ++y, row += out_row) png_read_row(ctx->png, row, nullptr);
  }
  png_read_end(ctx->png, nullptr);
  if (synthesize16) {
    const size_t n = static_cast<size_t>(width) * channels;
    for (png_uint_32 y = 0; y < height; ++y) {
      uint8_t* row = out->pixels.data() + y * out_row;
      auto* row16 = reinterpret_cast<uint16_t*>(row);
      for (size_t i = n; i-- > 0;) {
        const uint16_t v = row[i];
        row16[i] = static_cast<uint16_t>(v | (v << 8));
      }
    }
  }
  return "";
}

}  // namespace

StatusOr<Image> DecodePng(std::string_view bytes, int channels, bool want_uint16) {
  if (channels < 0 || channels > 4) {
    return InvalidArgument("DecodePng: channels must be 0, 1, 2, 3 or 4, got ", channels);
  }
  if (bytes.empty()) return InvalidArgument("DecodePng: empty input");
  auto ctx = std::make_unique<PngCtx>();
  ctx->data = reinterpret_cast<const uint8_t*>(bytes.data());
  ctx->left = bytes.size();
  Image img;
  const std::string err = DecodeLow(ctx.get(), channels, want_uint16, &img);
  if (ctx->png) png_destroy_read_struct(&ctx->png, ctx->info ? &ctx->info : nullptr, nullptr);
  if (!err.empty()) return InvalidArgument("DecodePng: ", err);
  return img;
}

}  // namespace stfs::image
