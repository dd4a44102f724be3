// WebP decoding with libwebp (still images) and libwebpdemux (animations),
// following TF's DecodeWebP: channels = 4 if the file has alpha else 3;
// animations are RGBA canvas frames.
#include <webp/decode.h>
#include <webp/demux.h>

#include <cstring>

#include "image/image.h"
#include "image/internal.h"

namespace stfs::image {
namespace {

StatusOr<Image> DecodeAnimation(std::string_view bytes, int channels) {
  if (channels != 0 && channels != 4) {
    return InvalidArgument("DecodeWebp: WebP Animation must be 4 channel RGBA");
  }
  WebPData data{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return Internal("DecodeWebp: libwebp version mismatch");
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  WebPAnimDecoder* dec = WebPAnimDecoderNew(&data, &options);
  if (dec == nullptr) return InvalidArgument("DecodeWebp: invalid WebP animation data");
  struct Closer {
    WebPAnimDecoder* d;
    ~Closer() { WebPAnimDecoderDelete(d); }
  } closer{dec};
  WebPAnimInfo info;
  if (!WebPAnimDecoderGetInfo(dec, &info) || info.frame_count == 0) {
    return InvalidArgument("DecodeWebp: invalid WebP animation data");
  }
  Image img;
  RETURN_IF_ERROR(internal::AllocPixels("DecodeWebp", info.frame_count, info.canvas_height,
                                        info.canvas_width, 4, PixelType::kUint8, &img));
  img.four_d = true;
  const size_t frame_bytes = size_t{info.canvas_width} * info.canvas_height * 4;
  for (uint32_t k = 0; k < info.frame_count; ++k) {
    uint8_t* buf = nullptr;
    int timestamp = 0;
    if (!WebPAnimDecoderHasMoreFrames(dec) || !WebPAnimDecoderGetNext(dec, &buf, &timestamp)) {
      return InvalidArgument("DecodeWebp: WebP animation is truncated or corrupt (frame ", k, ")");
    }
    std::memcpy(img.pixels.data() + k * frame_bytes, buf, frame_bytes);
  }
  return img;
}

}  // namespace

StatusOr<Image> DecodeWebp(std::string_view bytes, int channels) {
  if (channels != 0 && channels != 3 && channels != 4) {
    return InvalidArgument("DecodeWebp: WebP only supports 3 or 4 channels, got ", channels);
  }
  if (bytes.empty()) return InvalidArgument("DecodeWebp: empty input");
  WebPBitstreamFeatures features;
  const VP8StatusCode code =
      WebPGetFeatures(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &features);
  if (code == VP8_STATUS_NOT_ENOUGH_DATA) {
    return InvalidArgument("DecodeWebp: WebP image is truncated");
  }
  if (code != VP8_STATUS_OK) {
    return InvalidArgument("DecodeWebp: invalid WebP data (failed to decode WebP header)");
  }
  if (features.has_animation) return DecodeAnimation(bytes, channels);
  const int out_channels = channels ? channels : (features.has_alpha ? 4 : 3);
  Image img;
  RETURN_IF_ERROR(internal::AllocPixels("DecodeWebp", 1, features.height, features.width,
                                        out_channels, PixelType::kUint8, &img));
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  const int stride = features.width * out_channels;
  const uint8_t* ok =
      out_channels == 4
          ? WebPDecodeRGBAInto(in, bytes.size(), img.pixels.data(), img.pixels.size(), stride)
          : WebPDecodeRGBInto(in, bytes.size(), img.pixels.data(), img.pixels.size(), stride);
  if (ok == nullptr) {
    return InvalidArgument("DecodeWebp: invalid or truncated WebP data (failed to decode image)");
  }
  return img;
}

}  // namespace stfs::image
