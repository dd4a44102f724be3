// Format sniffing, TF op-level dispatch (DecodeForOp), the upload decoder
// (DecodeAny) and channel / dtype conversions.
#include <cstring>
#include <string>

#include "image/image.h"
#include "image/internal.h"

namespace stfs::image {

Format SniffFormat(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xD8\xFF")) return Format::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return Format::kPng;
  if (starts("GIF8")) return Format::kGif;
  if (starts("BM")) return Format::kBmp;
  if (starts("RIFF") && b.size() > 12 && b.substr(8, 4) == "WEBP") return Format::kWebp;
  return Format::kUnknown;
}

std::string_view FormatName(Format f) {
  switch (f) {
    case Format::kJpeg: return "JPEG";
    case Format::kPng: return "PNG";
    case Format::kGif: return "GIF";
    case Format::kBmp: return "BMP";
    case Format::kWebp: return "WebP";
    default: return "unknown";
  }
}

int BytesPerChannel(PixelType t) {
  switch (t) {
    case PixelType::kUint16: return 2;
    case PixelType::kFloat32: return 4;
    default: return 1;
  }
}

namespace {

std::string_view OpName(DecodeOp op) {
  switch (op) {
    case DecodeOp::kDecodeJpeg: return "DecodeJpeg";
    case DecodeOp::kDecodePng: return "DecodePng";
    case DecodeOp::kDecodeGif: return "DecodeGif";
    case DecodeOp::kDecodeBmp: return "DecodeBmp";
    case DecodeOp::kDecodeWebP: return "DecodeWebP";
    default: return "DecodeImage";
  }
}

// uint8 -> uint16 (x256, TF's floor(65536 / 256)) or float (x float(1/255)).
void ConvertFromU8(PixelType to, Image* img) {
  if (to == PixelType::kUint8) return;
  const size_t n = img->pixels.size();
  std::vector<uint8_t> out(n * BytesPerChannel(to));
  if (to == PixelType::kUint16) {
    for (size_t i = 0; i < n; ++i) {
      const uint16_t v = static_cast<uint16_t>(img->pixels[i] * 256);
      std::memcpy(out.data() + 2 * i, &v, 2);
    }
  } else {
    const float scale = static_cast<float>(1.0 / 255);
    for (size_t i = 0; i < n; ++i) {
      const float v = static_cast<float>(img->pixels[i]) * scale;
      std::memcpy(out.data() + 4 * i, &v, 4);
    }
  }
  img->pixels = std::move(out);
  img->type = to;
}

// PNG uint16 -> float (x float(1/65535)).
void ConvertU16ToFloat(Image* img) {
  const size_t n = img->pixels.size() / 2;
  std::vector<uint8_t> out(n * 4);
  const float scale = static_cast<float>(1.0 / 65535);
  const uint16_t* in = img->u16();
  for (size_t i = 0; i < n; ++i) {
    const float v = static_cast<float>(in[i]) * scale;
    std::memcpy(out.data() + 4 * i, &v, 4);
  }
  img->pixels = std::move(out);
  img->type = PixelType::kFloat32;
}

Status WrongOp(DecodeOp op, Format f) {
  return InvalidArgument(OpName(op), ": trying to decode ", FormatName(f),
                         " data with ", OpName(op), "; use `decode_image` or the matching op");
}

}  // namespace

StatusOr<Image> DecodeForOp(DecodeOp op, std::string_view bytes, const DecodeOpOptions& opts) {
  const std::string_view name = OpName(op);
  const int channels = op == DecodeOp::kDecodeGif ? 3 : opts.channels;
  if (channels != 0 && channels != 1 && channels != 3 && channels != 4) {
    return InvalidArgument(name, ": `channels` must be 0, 1, 3 or 4 but got ", channels);
  }
  const PixelType dtype = opts.dtype;
  if (dtype != PixelType::kUint8 && op != DecodeOp::kDecodeImage &&
      !(op == DecodeOp::kDecodePng && dtype == PixelType::kUint16)) {
    return InvalidArgument(name, ": unsupported dtype");
  }
  if (bytes.empty()) return InvalidArgument(name, ": Input is empty.");
  const Format format = SniffFormat(bytes);
  const bool expand = op != DecodeOp::kDecodeImage || opts.expand_animations;
  switch (format) {
    case Format::kJpeg: {
      if (channels == 4) return InvalidArgument(name, ": JPEG does not support 4 channels");
      if (op == DecodeOp::kDecodeBmp || op == DecodeOp::kDecodeWebP) return WrongOp(op, format);
      DecodeJpegOptions jo;
      if (op == DecodeOp::kDecodeJpeg) jo = opts.jpeg;
      jo.channels = channels;
      ASSIGN_OR_RETURN(Image img, DecodeJpeg(bytes, jo));
      img.four_d = op == DecodeOp::kDecodeGif;
      ConvertFromU8(dtype, &img);
      return img;
    }
    case Format::kPng: {
      if (op == DecodeOp::kDecodeBmp || op == DecodeOp::kDecodeWebP) return WrongOp(op, format);
      ASSIGN_OR_RETURN(Image img, DecodePng(bytes, channels, dtype != PixelType::kUint8));
      img.four_d = op == DecodeOp::kDecodeGif;
      if (dtype == PixelType::kFloat32) ConvertU16ToFloat(&img);
      return img;
    }
    case Format::kGif: {
      if (channels != 0 && channels != 3) {
        return InvalidArgument(name, ": channels must be 0 or 3 for GIF, got ", channels);
      }
      if (op == DecodeOp::kDecodeBmp || op == DecodeOp::kDecodeWebP) return WrongOp(op, format);
      ASSIGN_OR_RETURN(Image img, DecodeGif(bytes, expand ? 0 : 1));
      if (op == DecodeOp::kDecodeJpeg || op == DecodeOp::kDecodePng) {
        if (img.frames != 1) {
          return InvalidArgument(name, ": Got ", img.frames, " frames, but animated gifs can only "
                                 "be decoded by tf.io.decode_gif or tf.io.decode_image");
        }
        img.four_d = false;
      } else {
        img.four_d = expand;
      }
      ConvertFromU8(dtype, &img);
      return img;
    }
    case Format::kBmp: {
      if (channels == 1) {
        return InvalidArgument(name, ": `channels` must be 0, 3 or 4 for BMP, but got 1");
      }
      if (op != DecodeOp::kDecodeBmp && op != DecodeOp::kDecodeImage) {
        return InvalidArgument(name, ": trying to decode BMP format using a wrong op. Use "
                               "`decode_bmp` or `decode_image` instead. Op used: ", name);
      }
      ASSIGN_OR_RETURN(Image img, DecodeBmp(bytes, channels));
      ConvertFromU8(dtype, &img);
      return img;
    }
    case Format::kWebp: {
      if (channels == 1) return InvalidArgument(name, ": WebP only supports 3 or 4 channels");
      if (dtype != PixelType::kUint8) {
        return InvalidArgument(name, ": WebP only supports uint8 for dtype");
      }
      ASSIGN_OR_RETURN(Image img, DecodeWebp(bytes, 0));
      if (channels != 0 && channels != img.channels) {
        return InvalidArgument(name, ": Number of channels requested does not match input");
      }
      // TF: 4-D unless DecodeImage(expand_animations=false) -- for every op,
      // since only DecodeImage reads the attr (its default is true).
      if (!expand) {
        img.frames = 1;
        img.pixels.resize(static_cast<size_t>(img.height * img.width * img.channels));
      }
      img.four_d = expand;
      return img;
    }
    default:
      return InvalidArgument(name, ": unsupported image format; expected JPEG, PNG, GIF, BMP or "
                             "WebP");
  }
}

StatusOr<Image> ConvertChannels(Image img, int channels) {
  if (img.type != PixelType::kUint8) return InvalidArgument("ConvertChannels: uint8 images only");
  const int from = static_cast<int>(img.channels);
  if (channels < 1 || channels > 4 || from < 1 || from > 4) {
    return InvalidArgument("ConvertChannels: cannot convert ", from, " to ", channels, " channels");
  }
  if (from == channels) return img;
  const int64_t n = img.frames * img.height * img.width;
  std::vector<uint8_t> out(static_cast<size_t>(n * channels));
  const uint8_t* s = img.pixels.data();
  uint8_t* d = out.data();
  for (int64_t i = 0; i < n; ++i, s += from, d += channels) {
    uint8_t gray, r, g, b, a = 255;
    if (from <= 2) {
      gray = r = g = b = s[0];
      if (from == 2) a = s[1];
    } else {
      r = s[0], g = s[1], b = s[2];
      gray = static_cast<uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000);
      if (from == 4) a = s[3];
    }
    if (channels <= 2) {
      d[0] = gray;
      if (channels == 2) d[1] = a;
    } else {
      d[0] = r, d[1] = g, d[2] = b;
      if (channels == 4) d[3] = a;
    }
  }
  img.pixels = std::move(out);
  img.channels = channels;
  return img;
}

StatusOr<Image> DecodeAny(std::string_view bytes, int channels) {
  if (channels != 0 && channels != 1 && channels != 3 && channels != 4) {
    return InvalidArgument("image decode: channels must be 0, 1, 3 or 4, got ", channels);
  }
  if (bytes.empty()) return InvalidArgument("image decode: empty input");
  const Format format = SniffFormat(bytes);
  Image img;
  switch (format) {
    case Format::kJpeg: {
      DecodeJpegOptions jo;
      jo.channels = channels == 4 ? 3 : channels;
      ASSIGN_OR_RETURN(img, DecodeJpeg(bytes, jo));
      break;
    }
    case Format::kPng: {
      ASSIGN_OR_RETURN(img, DecodePng(bytes, channels, false));
      break;
    }
    case Format::kGif: {
      ASSIGN_OR_RETURN(img, DecodeGif(bytes, 1));
      break;
    }
    case Format::kBmp: {
      ASSIGN_OR_RETURN(img, DecodeBmp(bytes, channels == 1 ? 0 : channels));
      break;
    }
    case Format::kWebp: {
      ASSIGN_OR_RETURN(img, DecodeWebp(bytes, 0));
      img.frames = 1;
      img.pixels.resize(static_cast<size_t>(img.height * img.width * img.channels));
      break;
    }
    default:
      return InvalidArgument("unsupported image format; expected JPEG, PNG, GIF, BMP or WebP");
  }
  img.four_d = false;
  if (channels != 0 && img.channels != channels) {
    ASSIGN_OR_RETURN(img, ConvertChannels(std::move(img), channels));
  }
  return img;
}

}  // namespace stfs::image
