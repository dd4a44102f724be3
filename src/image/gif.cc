// GIF decoding with giflib, mirroring TF's tensorflow/core/lib/gif/gif_io.cc:
// canvas = largest frame, frames composited in order, transparent pixels keep
// the previous frame (black in frame 0), colour index outside the map is an
// error. Unlike DGifSlurp we read records ourselves so every frame is bounded
// before its raster is allocated.
#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "image/image.h"
#include "image/internal.h"

namespace stfs::image {
namespace {

struct Input {
  const uint8_t* p;
  size_t left;
};

int ReadCallback(GifFileType* gif, GifByteType* buf, int size) {
  auto* in = static_cast<Input*>(gif->UserData);
  if (size <= 0) return 0;
  const size_t n = std::min(in->left, static_cast<size_t>(size));
  std::memcpy(buf, in->p, n);
  in->p += n;
  in->left -= n;
  return static_cast<int>(n);
}

struct Frame {
  int left = 0, top = 0, width = 0, height = 0;
  int transparent = -1;
  std::vector<GifColorType> colors;
  std::vector<GifByteType> raster;
};

struct GifCloser {
  GifFileType* gif;
  ~GifCloser() {
    int err = 0;
    if (gif) DGifCloseFile(gif, &err);
  }
};

std::string GifError(int code) {
  const char* s = GifErrorString(code);
  return s ? s : ("giflib error " + std::to_string(code));
}

// Reads all frames; on error returns a message (frames holds complete ones).
std::string ReadFrames(GifFileType* gif, const Input& in, std::vector<Frame>* frames) {
  int transparent = -1;
  std::vector<GifColorType> global;
  if (gif->SColorMap) {
    global.assign(gif->SColorMap->Colors, gif->SColorMap->Colors + gif->SColorMap->ColorCount);
  }
  int64_t raster_total = 0;
  for (;;) {
    GifRecordType type;
    if (DGifGetRecordType(gif, &type) == GIF_ERROR) return GifError(gif->Error);
    if (type == TERMINATE_RECORD_TYPE) return "";
    if (type == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* ext = nullptr;
      if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR) return GifError(gif->Error);
      if (code == GRAPHICS_EXT_FUNC_CODE && ext != nullptr && ext[0] >= 4) {
        GraphicsControlBlock gcb;
        if (DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK) transparent = gcb.TransparentColor;
      }
      while (ext != nullptr) {
        if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR) return GifError(gif->Error);
      }
      continue;
    }
    if (type != IMAGE_DESC_RECORD_TYPE) continue;
    if (DGifGetImageDesc(gif) == GIF_ERROR) return GifError(gif->Error);
    Frame f;
    f.left = gif->Image.Left;
    f.top = gif->Image.Top;
    f.width = gif->Image.Width;
    f.height = gif->Image.Height;
    f.transparent = transparent;
    transparent = -1;
    if (gif->Image.ColorMap) {
      f.colors.assign(gif->Image.ColorMap->Colors,
                      gif->Image.ColorMap->Colors + gif->Image.ColorMap->ColorCount);
    } else {
      f.colors = global;
    }
    if (f.width < 0 || f.height < 0) return "invalid frame size";
    const int64_t pixels = int64_t{f.width} * f.height;
    // An LZW code (>= 3 bits) expands to at most 4096 pixels, so a frame
    // needing more pixels than the remaining bytes can encode is truncated.
    if (pixels > (static_cast<int64_t>(in.left) * 8 / 3 + 2) * 4096) return "GIF image is truncated";
    raster_total += pixels;
    if (raster_total > kMaxDecodedBytes / 4) return "GIF image too large";
    f.raster.assign(static_cast<size_t>(pixels), 0);
    if (gif->Image.Interlace) {
      static const int kOffset[4] = {0, 4, 2, 1}, kJump[4] = {8, 8, 4, 2};
      for (int pass = 0; pass < 4; ++pass) {
        for (int y = kOffset[pass]; y < f.height; y += kJump[pass]) {
          if (DGifGetLine(gif, f.raster.data() + int64_t{y} * f.width, f.width) == GIF_ERROR) {
            return GifError(gif->Error);
          }
        }
      }
    } else {
      for (int y = 0; y < f.height; ++y) {
        if (DGifGetLine(gif, f.raster.data() + int64_t{y} * f.width, f.width) == GIF_ERROR) {
          return GifError(gif->Error);
        }
      }
    }
    frames->push_back(std::move(f));
  }
}

}  // namespace

StatusOr<Image> DecodeGif(std::string_view bytes, int max_frames) {
  if (bytes.empty()) return InvalidArgument("DecodeGif: empty input");
  Input in{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
  int err = D_GIF_SUCCEEDED;
  GifFileType* gif = DGifOpen(&in, ReadCallback, &err);
  if (gif == nullptr) {
    return InvalidArgument("DecodeGif: invalid GIF data (", GifError(err), ")");
  }
  GifCloser closer{gif};
  std::vector<Frame> frames;
  const std::string read_err = ReadFrames(gif, in, &frames);
  // Like TF, a read error after at least one complete frame (e.g. a missing
  // trailer) keeps the complete frames.
  if (frames.empty()) {
    if (!read_err.empty()) {
      const bool truncated = read_err.find("truncated") != std::string::npos ||
                             read_err.find("read") != std::string::npos || in.left == 0;
      return InvalidArgument("DecodeGif: ", truncated ? "GIF image is truncated (" : "invalid GIF data (",
                             read_err, ")");
    }
    return InvalidArgument("DecodeGif: GIF file does not contain any image");
  }
  int width = 0, height = 0;
  for (const Frame& f : frames) {
    width = std::max(width, f.width);
    height = std::max(height, f.height);
  }
  int64_t num = static_cast<int64_t>(frames.size());
  if (max_frames > 0) num = std::min<int64_t>(num, max_frames);
  Image img;
  RETURN_IF_ERROR(internal::AllocPixels("DecodeGif", num, height, width, 3, PixelType::kUint8, &img));
  img.four_d = true;
  const int64_t frame_bytes = int64_t{width} * height * 3;
  for (int64_t k = 0; k < num; ++k) {
    const Frame& f = frames[k];
    uint8_t* dst = img.pixels.data() + k * frame_bytes;
    if (k > 0) std::memcpy(dst, dst - frame_bytes, static_cast<size_t>(frame_bytes));
    // (frame 0 starts black: pixels are zero-initialised)
    if (f.colors.empty()) return InvalidArgument("DecodeGif: missing color map");
    const int x0 = std::max(f.left, 0), y0 = std::max(f.top, 0);
    const int x1 = std::min(f.left + f.width, width), y1 = std::min(f.top + f.height, height);
    for (int y = y0; y < y1; ++y) {
      uint8_t* row = dst + int64_t{y} * width * 3;
      const GifByteType* src = f.raster.data() + int64_t{y - f.top} * f.width - f.left;
      for (int x = x0; x < x1; ++x) {
        const int idx = src[x];
        if (idx == f.transparent) continue;
        if (idx >= static_cast<int>(f.colors.size())) {
          return InvalidArgument("DecodeGif: found color index ", idx,
                                 " outside of color map range ", f.colors.size());
        }
        row[3 * x] = f.colors[idx].Red;
        row[3 * x + 1] = f.colors[idx].Green;
        row[3 * x + 2] = f.colors[idx].Blue;
      }
    }
  }
  return img;
}

}  // namespace stfs::image
