// stfs_image: image decoding and resizing with TensorFlow's semantics, on plain
// buffers (no Tensor dependency; used by kernels and by the HTTP upload path).
//
// Decoders never crash on corrupt input: libjpeg / libpng errors longjmp back,
// giflib / libwebp error codes are checked, and image dimensions are bounded
// before any pixel buffer is allocated. All errors are INVALID_ARGUMENT with a
// message naming the decoder, e.g.
//   "DecodeJpeg: invalid JPEG data (Not a JPEG file: starts with 0x89 0x50)".
//
// Two layers:
//  * Format decoders (DecodeJpeg, DecodePng, ...) decode one format.
//  * DecodeForOp reproduces what TF's DecodeJpeg / DecodePng / DecodeGif /
//    DecodeBmp / DecodeWebP / DecodeImage kernels do: they sniff the content
//    (e.g. DecodeJpeg also decodes PNG and single-frame GIF, but not BMP) and
//    decide the output rank; DecodeAny is the lenient upload decoder.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stfs::image {

enum class Format { kUnknown, kJpeg, kPng, kGif, kBmp, kWebp };

// Classifies by magic bytes exactly like TF's ClassifyFileFormat:
// JPEG FF D8 FF, PNG 89 'PNG' 0D 0A 1A 0A, GIF 'GIF8', BMP 'BM',
// WebP 'RIFF' ???? 'WEBP' (and size > 12).
Format SniffFormat(std::string_view bytes);
std::string_view FormatName(Format f);  // "JPEG", "PNG", "GIF", "BMP", "WebP", "unknown"

enum class PixelType { kUint8, kUint16, kFloat32 };
int BytesPerChannel(PixelType t);

// Decoded pixels, row-major [frames, height, width, channels], native endian.
struct Image {
  int64_t frames = 1, height = 0, width = 0, channels = 0;
  PixelType type = PixelType::kUint8;
  // True when TF's op would return a 4-D [frames, H, W, C] tensor (DecodeGif,
  // DecodeImage with expand_animations on GIF/WebP); false for 3-D [H, W, C]
  // (then frames == 1).
  bool four_d = false;
  std::vector<uint8_t> pixels;

  int bytes_per_channel() const { return BytesPerChannel(type); }
  int64_t num_values() const { return frames * height * width * channels; }
  const uint8_t* u8() const { return pixels.data(); }
  const uint16_t* u16() const { return reinterpret_cast<const uint16_t*>(pixels.data()); }
  const float* f32() const { return reinterpret_cast<const float*>(pixels.data()); }
};

// Upper bound on frames*height*width*channels*bytes for any decoder (2^31).
inline constexpr int64_t kMaxDecodedBytes = int64_t{1} << 31;

// ---------------------------------------------------------------------------
// Format decoders.

struct DecodeJpegOptions {
  int channels = 0;  // 0 = as file (1 or 3; CMYK/YCCK -> RGB like TF), 1, 3
  int ratio = 1;     // libjpeg scale_denom: 1, 2, 4, 8
  bool fancy_upscaling = true;
  bool try_recover_truncated = false;  // append a fake EOI, repeat last line
  float acceptable_fraction = 1.0f;    // min fraction of lines read
  // "" or "INTEGER_FAST" -> JDCT_IFAST (TF's default), "INTEGER_ACCURATE" ->
  // JDCT_ISLOW. Anything else is an error.
  std::string dct_method;
};
// JPEG only; uint8 [H, W, C].
StatusOr<Image> DecodeJpeg(std::string_view bytes, const DecodeJpegOptions& opts);

// PNG only. channels 0 (as file: 1..4), 1, 2, 3, 4; palette -> RGB(A),
// tRNS -> alpha, RGB -> gray with libpng's (0.299, 0.587) weights.
// want_uint16: uint16 output (8-bit files are widened by x257 as TF does);
// otherwise 16-bit files are stripped to 8 bits.
StatusOr<Image> DecodePng(std::string_view bytes, int channels, bool want_uint16);

// GIF only; always 3 channels and four_d = true, frames composited onto a
// canvas the size of the largest frame like TF (transparent pixels keep the
// previous frame; uncovered pixels of frame 0 are black).
// max_frames > 0 stops after that many frames.
StatusOr<Image> DecodeGif(std::string_view bytes, int max_frames = 0);

// BMP only (TF's decoder): uncompressed 8 (stored as gray, palette ignored,
// like TF), 24 or 32 bits per pixel; channels 0 (as file), 3, 4 (1 is an
// error, like TF).
StatusOr<Image> DecodeBmp(std::string_view bytes, int channels);

// WebP only. channels 0 (3, or 4 if the file has alpha), 3, 4. Animated WebP
// gives four_d = true RGBA frames (channels must be 0 or 4).
StatusOr<Image> DecodeWebp(std::string_view bytes, int channels);

// ---------------------------------------------------------------------------
// TF op semantics.

enum class DecodeOp { kDecodeJpeg, kDecodePng, kDecodeGif, kDecodeBmp, kDecodeWebP, kDecodeImage };

struct DecodeOpOptions {
  int channels = 0;  // ignored by kDecodeGif (always 3)
  PixelType dtype = PixelType::kUint8;  // DecodePng: u8/u16; DecodeImage: u8/u16/f32
  bool expand_animations = true;        // DecodeImage only
  DecodeJpegOptions jpeg;  // ratio/fancy/recover/fraction/dct: DecodeJpeg only
};

// What TF's kernel for `op` outputs for `bytes` (sets Image::four_d).
// dtype conversion follows TF: uint8 -> uint16 multiplies by 256 (PNG decoded
// natively, so x257), -> float divides by 255 (PNG: 16-bit / 65535).
StatusOr<Image> DecodeForOp(DecodeOp op, std::string_view bytes, const DecodeOpOptions& opts);

// Upload path: any supported format -> uint8 [H, W, C], first frame only.
// channels 0 = as decoded; 1, 3 or 4 converts (gray = (299R+587G+114B)/1000
// rounded, alpha added as 255 or dropped).
StatusOr<Image> DecodeAny(std::string_view bytes, int channels);

// uint8 channel conversion used by DecodeAny (from/to 1..4 channels).
StatusOr<Image> ConvertChannels(Image img, int channels);

}  // namespace stfs::image
