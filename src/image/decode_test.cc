#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "image/image.h"
#include "image/test_codecs.h"

namespace stfs::image {
namespace {

using namespace std::string_view_literals;

using testing::EncodeGif;
using testing::EncodeJpeg;
using testing::EncodePng;
using testing::EncodeWebpLossless;
using testing::GifFrameSpec;
using testing::MakeBmp;

std::string Input(const char* name) {
  return testing::ReadFileOrDie(std::string(STFS_MODELS_DIR) + "/stfs/_test_inputs/" + name);
}

std::vector<uint8_t> Bytes(std::initializer_list<int> v) { return {v.begin(), v.end()}; }

Image Ok(StatusOr<Image> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : Image{};
}

TEST(Sniff, MagicBytes) {
  EXPECT_EQ(SniffFormat("\xFF\xD8\xFF\xE0xx"), Format::kJpeg);
  EXPECT_EQ(SniffFormat("\x89PNG\r\n\x1A\nxx"), Format::kPng);
  EXPECT_EQ(SniffFormat("GIF89a"), Format::kGif);
  EXPECT_EQ(SniffFormat("BMxx"), Format::kBmp);
  EXPECT_EQ(SniffFormat("RIFF\x10\0\0\0WEBPVP8 "sv), Format::kWebp);
  EXPECT_EQ(SniffFormat("RIFF\x10\0\0\0WEBP"sv), Format::kUnknown);  // needs > 12 bytes
  EXPECT_EQ(SniffFormat(""), Format::kUnknown);
  EXPECT_EQ(SniffFormat("\xFF\xD8"), Format::kUnknown);
}

TEST(Png, Rgb8ExactAndChannelConversions) {
  const auto px = Bytes({255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10, 20, 30, 40, 7, 7, 7});
  const std::string png = EncodePng(3, 2, PNG_COLOR_TYPE_RGB, 8, px);
  Image img = Ok(DecodePng(png, 0, false));
  EXPECT_EQ(img.height, 2);
  EXPECT_EQ(img.width, 3);
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels, px);
  Image rgba = Ok(DecodePng(png, 4, false));
  ASSERT_EQ(rgba.channels, 4);
  EXPECT_EQ(rgba.pixels[3], 255);
  EXPECT_EQ(rgba.pixels[4 * 4 + 2], 40);
  Image gray = Ok(DecodePng(png, 1, false));
  ASSERT_EQ(gray.channels, 1);
  EXPECT_EQ(gray.pixels[3], 10);  // gray stays gray
  EXPECT_EQ(gray.pixels[5], 7);
  Image u16 = Ok(DecodePng(png, 0, true));  // 8-bit widened x257 like TF
  EXPECT_EQ(u16.type, PixelType::kUint16);
  EXPECT_EQ(u16.u16()[0], 65535);
  EXPECT_EQ(u16.u16()[9], 10 * 257);
}

TEST(Png, Gray16AndPaletteWithAlpha) {
  // 16-bit gray samples 0, 1000, 65535 (big endian in the file).
  const auto px = Bytes({0, 0, 0x03, 0xE8, 0xFF, 0xFF});
  const std::string png = EncodePng(3, 1, PNG_COLOR_TYPE_GRAY, 16, px);
  Image u16 = Ok(DecodePng(png, 0, true));
  ASSERT_EQ(u16.channels, 1);
  EXPECT_EQ(u16.u16()[0], 0);
  EXPECT_EQ(u16.u16()[1], 1000);
  EXPECT_EQ(u16.u16()[2], 65535);
  Image u8 = Ok(DecodePng(png, 0, false));
  EXPECT_EQ(u8.pixels, Bytes({0, 3, 255}));
  Image rgb = Ok(DecodePng(png, 3, false));
  EXPECT_EQ(rgb.pixels, Bytes({0, 0, 0, 3, 3, 3, 255, 255, 255}));

  const std::vector<png_color> pal = {{10, 20, 30}, {40, 50, 60}};
  const std::string ppng =
      EncodePng(2, 1, PNG_COLOR_TYPE_PALETTE, 8, Bytes({1, 0}), pal, Bytes({128}));
  Image p = Ok(DecodePng(ppng, 0, false));
  ASSERT_EQ(p.channels, 4);  // palette + tRNS -> RGBA
  EXPECT_EQ(p.pixels, Bytes({40, 50, 60, 255, 10, 20, 30, 128}));
  Image p3 = Ok(DecodePng(ppng, 3, false));
  EXPECT_EQ(p3.pixels, Bytes({40, 50, 60, 10, 20, 30}));

  const std::string ga = EncodePng(1, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8, Bytes({77, 99}));
  Image g = Ok(DecodePng(ga, 0, false));
  EXPECT_EQ(g.channels, 2);
  EXPECT_EQ(g.pixels, Bytes({77, 99}));
}

std::vector<GifColorType> Palette4() {
  return {{0, 0, 0}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
}

TEST(Gif, FramesCompositedLikeTF) {
  GifFrameSpec f0{0, 0, 3, 2, {1, 2, 3, 3, 2, 1}};
  // Frame 1 covers only (1,1)..(2,1); index 0 is transparent -> keeps frame 0.
  GifFrameSpec f1{1, 1, 2, 1, {0, 2}, /*transparent=*/0};
  const std::string gif = EncodeGif(3, 2, Palette4(), {f0, f1});
  Image img = Ok(DecodeGif(gif));
  EXPECT_TRUE(img.four_d);
  ASSERT_EQ(img.frames, 2);
  ASSERT_EQ(img.height, 2);
  ASSERT_EQ(img.width, 3);
  ASSERT_EQ(img.channels, 3);
  const auto frame0 =
      Bytes({255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 255, 0, 255, 0, 0});
  EXPECT_EQ(std::vector<uint8_t>(img.pixels.begin(), img.pixels.begin() + 18), frame0);
  auto frame1 = frame0;
  frame1[15] = 0, frame1[16] = 255, frame1[17] = 0;  // (x=2,y=1) -> green
  EXPECT_EQ(std::vector<uint8_t>(img.pixels.begin() + 18, img.pixels.end()), frame1);

  // Op semantics: DecodeJpeg / DecodePng refuse animations; DecodeImage
  // without expand_animations gives the first frame as 3-D.
  EXPECT_FALSE(DecodeForOp(DecodeOp::kDecodeJpeg, gif, {}).ok());
  DecodeOpOptions no_expand;
  no_expand.expand_animations = false;
  Image first = Ok(DecodeForOp(DecodeOp::kDecodeImage, gif, no_expand));
  EXPECT_FALSE(first.four_d);
  EXPECT_EQ(first.frames, 1);
  EXPECT_EQ(first.pixels, frame0);
  const std::string single = EncodeGif(3, 2, Palette4(), {f0});
  Image s = Ok(DecodeForOp(DecodeOp::kDecodeJpeg, single, {}));
  EXPECT_FALSE(s.four_d);
  EXPECT_EQ(s.pixels, frame0);
}

TEST(Gif, OffsetFirstFrameIsBlackOutside) {
  // Canvas is the largest frame (2x2), like TF; frame 1 is 1x1 at (1,1).
  GifFrameSpec f0{0, 0, 2, 2, {1, 1, 1, 1}};
  GifFrameSpec f1{1, 1, 1, 1, {3}};
  Image img = Ok(DecodeGif(EncodeGif(2, 2, Palette4(), {f0, f1})));
  ASSERT_EQ(img.frames, 2);
  EXPECT_EQ(img.pixels[12 + 9 + 2], 255);  // frame 1, pixel (1,1) blue
  EXPECT_EQ(img.pixels[12 + 9 + 0], 0);
  EXPECT_EQ(img.pixels[12 + 0], 255);       // frame 1, pixel (0,0) still red
}

TEST(Bmp, Bgr24BottomUpAndBgra32TopDown) {
  // 3x2, 24 bpp: rows padded to 12 bytes; file stores bottom row first.
  std::string rows;
  rows += std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x09\0\0\0", 12);  // bottom row (y=1)
  rows += std::string("\x0A\x0B\x0C\x0D\x0E\x0F\x10\x11\x12\0\0\0", 12);  // top row (y=0)
  Image img = Ok(DecodeBmp(MakeBmp(3, 2, 24, rows), 0));
  ASSERT_EQ(img.height, 2);
  ASSERT_EQ(img.width, 3);
  ASSERT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels, Bytes({12, 11, 10, 15, 14, 13, 18, 17, 16, 3, 2, 1, 6, 5, 4, 9, 8, 7}));
  Image rgba = Ok(DecodeBmp(MakeBmp(3, 2, 24, rows), 4));
  EXPECT_EQ(rgba.pixels[3], 255);
  EXPECT_EQ(rgba.pixels[4], 15);

  // 2x1 32 bpp top-down (negative height): BGRA -> RGBA.
  Image a = Ok(DecodeBmp(MakeBmp(2, -1, 32, "\x01\x02\x03\x04\x05\x06\x07\x08"), 0));
  EXPECT_EQ(a.channels, 4);
  EXPECT_EQ(a.pixels, Bytes({3, 2, 1, 4, 7, 6, 5, 8}));
  Image a3 = Ok(DecodeBmp(MakeBmp(2, -1, 32, "\x01\x02\x03\x04\x05\x06\x07\x08"), 3));
  EXPECT_EQ(a3.pixels, Bytes({3, 2, 1, 7, 6, 5}));

  // 8 bpp: TF treats it as gray (palette ignored).
  std::string pal(1024, '\0');
  Image g = Ok(DecodeBmp(MakeBmp(2, 1, 8, std::string("\x05\x09\0\0", 4), pal), 0));
  EXPECT_EQ(g.channels, 1);
  EXPECT_EQ(g.pixels, Bytes({5, 9}));
  EXPECT_FALSE(DecodeBmp(MakeBmp(3, 2, 24, rows), 1).ok());  // like TF
}

TEST(Jpeg, MewDecodes) {
  const std::string mew = Input("images_mew.jpg");
  Image img = Ok(DecodeJpeg(mew, {}));
  EXPECT_EQ(img.height, 32);
  EXPECT_EQ(img.width, 32);
  EXPECT_EQ(img.channels, 3);
  double sum = 0, sq = 0;
  for (uint8_t v : img.pixels) sum += v, sq += static_cast<double>(v) * v;
  const double n = static_cast<double>(img.pixels.size());
  const double mean = sum / n, stddev = std::sqrt(sq / n - mean * mean);
  EXPECT_GT(mean, 20);
  EXPECT_LT(mean, 250);  // mostly white picture
  EXPECT_GT(stddev, 5);

  DecodeJpegOptions gray;
  gray.channels = 1;
  Image g = Ok(DecodeJpeg(mew, gray));
  EXPECT_EQ(g.channels, 1);
  DecodeJpegOptions half;
  half.ratio = 2;
  Image h = Ok(DecodeJpeg(mew, half));
  EXPECT_EQ(h.height, 16);
  EXPECT_EQ(h.width, 16);
  DecodeJpegOptions accurate;
  accurate.dct_method = "INTEGER_ACCURATE";
  Image acc = Ok(DecodeJpeg(mew, accurate));
  int maxdiff = 0;
  for (size_t i = 0; i < acc.pixels.size(); ++i) {
    maxdiff = std::max(maxdiff, std::abs(acc.pixels[i] - img.pixels[i]));
  }
  EXPECT_LT(maxdiff, 16);  // IFAST vs ISLOW: close but not identical in general

  Image big = Ok(DecodeJpeg(Input("images_mew_224_224.jpg"), {}));
  EXPECT_EQ(big.height, 224);
  EXPECT_EQ(big.width, 224);
  EXPECT_EQ(big.channels, 3);
}

TEST(Jpeg, GrayscaleFileAsFileAndAsRgb) {
  const std::string digit = Input("benchmark_inception_v4_0.jpg");
  Image g = Ok(DecodeJpeg(digit, {}));
  EXPECT_EQ(g.height, 28);
  EXPECT_EQ(g.width, 28);
  EXPECT_EQ(g.channels, 1);
  DecodeJpegOptions rgb;
  rgb.channels = 3;
  Image c = Ok(DecodeJpeg(digit, rgb));
  ASSERT_EQ(c.channels, 3);
  for (int64_t i = 0; i < 28 * 28; ++i) {
    EXPECT_EQ(c.pixels[3 * i], g.pixels[i]);
    EXPECT_EQ(c.pixels[3 * i + 2], g.pixels[i]);
  }
  EXPECT_EQ(Ok(DecodeJpeg(Input("clients_bash_client_1.jpg"), {})).channels, 1);
}

TEST(Jpeg, FlatColourQuality100) {
  std::vector<uint8_t> px(24 * 16 * 3);
  for (size_t i = 0; i < px.size(); i += 3) px[i] = 200, px[i + 1] = 100, px[i + 2] = 50;
  const std::string jpg = EncodeJpeg(24, 16, 3, px, 100);
  for (const char* dct : {"", "INTEGER_ACCURATE"}) {
    DecodeJpegOptions o;
    o.dct_method = dct;
    Image img = Ok(DecodeJpeg(jpg, o));
    ASSERT_EQ(img.width, 24);
    ASSERT_EQ(img.height, 16);
    for (size_t i = 0; i < img.pixels.size(); ++i) {
      EXPECT_NEAR(img.pixels[i], px[i], 3) << "dct '" << dct << "' at " << i;
    }
  }
}

TEST(Jpeg, CmykBecomesRgbLikeTF) {
  // libjpeg writes CMYK as Adobe (inverted) YCCK; TF then uses r = k * c / 255.
  std::vector<uint8_t> cmyk(8 * 8 * 4);
  for (size_t i = 0; i < cmyk.size(); i += 4) {
    cmyk[i] = 255, cmyk[i + 1] = 128, cmyk[i + 2] = 0, cmyk[i + 3] = 255;
  }
  const std::string jpg = EncodeJpeg(8, 8, 4, cmyk, 100);
  Image img = Ok(DecodeJpeg(jpg, {}));
  ASSERT_EQ(img.channels, 3);  // channels 0 -> min(4, 3)
  for (size_t i = 0; i < img.pixels.size(); i += 3) {
    EXPECT_NEAR(img.pixels[i], 255, 3);
    EXPECT_NEAR(img.pixels[i + 1], 128, 3);
    EXPECT_NEAR(img.pixels[i + 2], 0, 3);
  }
  DecodeJpegOptions gray;
  gray.channels = 1;  // libjpeg cannot convert CMYK to gray: an error, as in TF
  EXPECT_FALSE(DecodeJpeg(jpg, gray).ok());
}

TEST(Jpeg, ErrorsAndTruncation) {
  const std::string mew = Input("images_mew.jpg");
  const std::string png = EncodePng(1, 1, PNG_COLOR_TYPE_GRAY, 8, Bytes({1}));
  EXPECT_EQ(DecodeJpeg(png, {}).status().message(),
            "DecodeJpeg: invalid JPEG data (Not a JPEG file: starts with 0x89 0x50)");
  EXPECT_EQ(DecodeJpeg("", {}).status().message(), "DecodeJpeg: empty input");
  DecodeJpegOptions bad;
  bad.ratio = 3;
  EXPECT_FALSE(DecodeJpeg(mew, bad).ok());
  bad = {};
  bad.dct_method = "FLOAT";
  EXPECT_FALSE(DecodeJpeg(mew, bad).ok());

  const size_t sos = mew.find("\xFF\xDA");
  ASSERT_NE(sos, std::string::npos);
  const std::string cut = mew.substr(0, (sos + mew.size()) / 2);  // inside the scan
  auto r = DecodeJpeg(cut, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  DecodeJpegOptions recover;
  recover.try_recover_truncated = true;
  Image rec = Ok(DecodeJpeg(cut, recover));
  EXPECT_EQ(rec.height, 32);

  // Implausible SOF dimensions are rejected before allocating.
  std::string huge = EncodeJpeg(8, 8, 3, std::vector<uint8_t>(8 * 8 * 3, 9), 90);
  const size_t sof = huge.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  huge[sof + 5] = huge[sof + 7] = '\xFF';  // 65280 x 65280 (libjpeg's max is 65500)
  huge[sof + 6] = huge[sof + 8] = '\0';
  auto hr = DecodeJpeg(huge, {});
  ASSERT_FALSE(hr.ok());
  EXPECT_NE(hr.status().message().find("too large"), std::string::npos) << hr.status().message();
}

TEST(Webp, LosslessRoundTrip) {
  const auto px = Bytes({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Image img = Ok(DecodeWebp(EncodeWebpLossless(2, 2, 3, px), 0));
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels, px);
  const auto rgba = Bytes({1, 2, 3, 40, 5, 6, 7, 80});
  Image a = Ok(DecodeWebp(EncodeWebpLossless(2, 1, 4, rgba), 0));
  EXPECT_EQ(a.channels, 4);
  EXPECT_EQ(a.pixels, rgba);
}

TEST(DecodeForOp, SniffingAndDtypes) {
  const std::string mew = Input("images_mew.jpg");
  const std::string png = EncodePng(2, 1, PNG_COLOR_TYPE_RGB, 8, Bytes({0, 128, 255, 1, 2, 3}));
  const std::string bmp = MakeBmp(1, 1, 24, std::string("\x01\x02\x03\0", 4));
  // DecodeJpeg decodes PNG, not BMP.
  Image p = Ok(DecodeForOp(DecodeOp::kDecodeJpeg, png, {}));
  EXPECT_EQ(p.pixels, Bytes({0, 128, 255, 1, 2, 3}));
  EXPECT_FALSE(p.four_d);
  EXPECT_FALSE(DecodeForOp(DecodeOp::kDecodeJpeg, bmp, {}).ok());
  EXPECT_EQ(Ok(DecodeForOp(DecodeOp::kDecodeImage, bmp, {})).pixels, Bytes({3, 2, 1}));
  EXPECT_TRUE(Ok(DecodeForOp(DecodeOp::kDecodeGif, mew, {})).four_d);
  EXPECT_EQ(DecodeForOp(DecodeOp::kDecodeImage, "hello world!!", {}).status().message(),
            "DecodeImage: unsupported image format; expected JPEG, PNG, GIF, BMP or WebP");
  EXPECT_FALSE(DecodeForOp(DecodeOp::kDecodeImage, "", {}).ok());

  DecodeOpOptions f32;
  f32.dtype = PixelType::kFloat32;
  Image pf = Ok(DecodeForOp(DecodeOp::kDecodeImage, png, f32));
  ASSERT_EQ(pf.type, PixelType::kFloat32);
  EXPECT_FLOAT_EQ(pf.f32()[1], 128 * 257 * static_cast<float>(1.0 / 65535));
  EXPECT_EQ(pf.f32()[2], 1.0f);
  Image jf = Ok(DecodeForOp(DecodeOp::kDecodeImage, mew, f32));
  Image ju8 = Ok(DecodeJpeg(mew, {}));
  EXPECT_EQ(jf.f32()[5], static_cast<float>(ju8.pixels[5]) * static_cast<float>(1.0 / 255));
  DecodeOpOptions u16;
  u16.dtype = PixelType::kUint16;
  Image j16 = Ok(DecodeForOp(DecodeOp::kDecodeImage, mew, u16));
  EXPECT_EQ(j16.u16()[7], ju8.pixels[7] * 256);  // TF scales non-PNG by 256
  EXPECT_FALSE(DecodeForOp(DecodeOp::kDecodeJpeg, mew, u16).ok());
  DecodeOpOptions four;
  four.channels = 4;
  EXPECT_FALSE(DecodeForOp(DecodeOp::kDecodeJpeg, mew, four).ok());
}

TEST(DecodeAny, AllFormatsAndChannelConversion) {
  const std::string gray_png = EncodePng(2, 1, PNG_COLOR_TYPE_GRAY, 8, Bytes({10, 20}));
  EXPECT_EQ(Ok(DecodeAny(gray_png, 3)).pixels, Bytes({10, 10, 10, 20, 20, 20}));
  const std::string bmp = MakeBmp(1, 1, 24, std::string("\x64\x64\x64\0", 4));
  Image b = Ok(DecodeAny(bmp, 1));
  EXPECT_EQ(b.channels, 1);
  EXPECT_EQ(b.pixels, Bytes({100}));
  Image j = Ok(DecodeAny(Input("images_mew.jpg"), 4));
  EXPECT_EQ(j.channels, 4);
  EXPECT_EQ(j.pixels[3], 255);
  GifFrameSpec f0{0, 0, 1, 1, {2}}, f1{0, 0, 1, 1, {3}};
  Image g = Ok(DecodeAny(EncodeGif(1, 1, Palette4(), {f0, f1}), 0));
  EXPECT_EQ(g.frames, 1);
  EXPECT_FALSE(g.four_d);
  EXPECT_EQ(g.pixels, Bytes({0, 255, 0}));
  Image w = Ok(DecodeAny(EncodeWebpLossless(1, 1, 3, Bytes({9, 8, 7})), 0));
  EXPECT_EQ(w.pixels, Bytes({9, 8, 7}));
  EXPECT_EQ(DecodeAny("plain text", 0).status().message(),
            "unsupported image format; expected JPEG, PNG, GIF, BMP or WebP");
  EXPECT_FALSE(DecodeAny("", 0).ok());
}

}  // namespace
}  // namespace stfs::image
