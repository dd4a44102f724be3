// Test-only encoders (libpng / giflib / libjpeg / libwebp / hand-written BMP)
// used to build fixtures with known pixels.
#pragma once

#include <gif_lib.h>
#include <png.h>
#include <webp/encode.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <jpeglib.h>

namespace stfs::image::testing {

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::abort();
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// color_type: PNG_COLOR_TYPE_*; `pixels` already in the file's layout
// (16-bit samples big endian as PNG stores them).
inline std::string EncodePng(int w, int h, int color_type, int bit_depth,
                             const std::vector<uint8_t>& pixels,
                             const std::vector<png_color>& palette = {},
                             const std::vector<uint8_t>& trns = {}) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) std::abort();
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep d, png_size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(d), n);
      },
      [](png_structp) {});
  png_set_IHDR(png, info, w, h, bit_depth, color_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
  if (!trns.empty()) {
    png_set_tRNS(png, info, trns.data(), static_cast<int>(trns.size()), nullptr);
  }
  png_write_info(png, info);
  const size_t row = pixels.size() / h;
  for (int y = 0; y < h; ++y) png_write_row(png, const_cast<uint8_t*>(pixels.data() + y * row));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

struct GifFrameSpec {
  int left, top, w, h;
  std::vector<uint8_t> indices;
  int transparent = -1;
};

inline std::string EncodeGif(int sw, int sh, const std::vector<GifColorType>& colors,
                             const std::vector<GifFrameSpec>& frames) {
  std::string out;
  int err = 0;
  GifFileType* gif = EGifOpen(
      &out,
      [](GifFileType* g, const GifByteType* d, int n) {
        static_cast<std::string*>(g->UserData)->append(reinterpret_cast<const char*>(d), n);
        return n;
      },
      &err);
  ColorMapObject* cmap = GifMakeMapObject(static_cast<int>(colors.size()), colors.data());
  EGifSetGifVersion(gif, true);
  if (EGifPutScreenDesc(gif, sw, sh, 8, 0, cmap) == GIF_ERROR) std::abort();
  for (const auto& f : frames) {
    if (f.transparent >= 0) {
      GraphicsControlBlock gcb{};
      gcb.DisposalMode = DISPOSAL_UNSPECIFIED;
      gcb.TransparentColor = f.transparent;
      GifByteType ext[4];
      const size_t n = EGifGCBToExtension(&gcb, ext);
      EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(n), ext);
    }
    if (EGifPutImageDesc(gif, f.left, f.top, f.w, f.h, false, nullptr) == GIF_ERROR) std::abort();
    for (int y = 0; y < f.h; ++y) {
      EGifPutLine(gif, const_cast<GifPixelType*>(f.indices.data() + y * f.w), f.w);
    }
  }
  EGifCloseFile(gif, &err);
  GifFreeMapObject(cmap);
  return out;
}

inline std::string EncodeJpeg(int w, int h, int comps, const std::vector<uint8_t>& pixels,
                              int quality) {
  jpeg_compress_struct c;
  jpeg_error_mgr e;
  c.err = jpeg_std_error(&e);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = w;
  c.image_height = h;
  c.input_components = comps;
  c.in_color_space = comps == 1 ? JCS_GRAYSCALE : comps == 4 ? JCS_CMYK : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(pixels.data() + c.next_scanline * w * comps);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::string out(reinterpret_cast<char*>(buf), size);
  std::free(buf);
  return out;
}

inline std::string EncodeWebpLossless(int w, int h, int comps, const std::vector<uint8_t>& px) {
  uint8_t* out = nullptr;
  const size_t n = comps == 4 ? WebPEncodeLosslessRGBA(px.data(), w, h, w * 4, &out)
                              : WebPEncodeLosslessRGB(px.data(), w, h, w * 3, &out);
  std::string s(reinterpret_cast<char*>(out), n);
  WebPFree(out);
  return s;
}

inline void PutLE(std::string* s, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// BITMAPINFOHEADER BMP; `rows` are the stored rows (already padded, in file order).
inline std::string MakeBmp(int32_t w, int32_t h, int bpp, const std::string& rows,
                           const std::string& palette = "") {
  std::string s = "BM";
  const uint32_t offset = 14 + 40 + static_cast<uint32_t>(palette.size());
  PutLE(&s, offset + static_cast<uint32_t>(rows.size()), 4);
  PutLE(&s, 0, 4);
  PutLE(&s, offset, 4);
  PutLE(&s, 40, 4);
  PutLE(&s, static_cast<uint32_t>(w), 4);
  PutLE(&s, static_cast<uint32_t>(h), 4);
  PutLE(&s, 1, 2);
  PutLE(&s, bpp, 2);
  PutLE(&s, 0, 4);  // BI_RGB
  PutLE(&s, static_cast<uint32_t>(rows.size()), 4);
  PutLE(&s, 2835, 4);
  PutLE(&s, 2835, 4);
  PutLE(&s, 0, 4);
  PutLE(&s, 0, 4);
  return s + palette + rows;
}

}  // namespace stfs::image::testing
