// Every decoder on empty / truncated / garbage / bit-flipped input must return
// an error or a well-formed image, never crash (also run under ASan/valgrind).
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "image/image.h"
#include "image/test_codecs.h"

namespace stfs::image {
namespace {

using testing::GifFrameSpec;
using Decoder = std::function<StatusOr<Image>(std::string_view)>;

struct Case {
  const char* name;
  std::string valid;
  Decoder decode;
  bool every_prefix_fails;  // GIF keeps complete frames (like TF), so not for it
  size_t tolerated_tail = 0;  // trailing bytes that may be missing (BMP row padding)
};

std::vector<Case> Cases() {
  std::vector<uint8_t> rgb(16 * 12 * 3);
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<uint8_t>(i * 7);
  std::vector<GifFrameSpec> frames = {{0, 0, 4, 4, std::vector<uint8_t>(16, 1)},
                                      {1, 1, 2, 2, {0, 1, 2, 3}, 0}};
  std::string bmp_rows;
  for (int i = 0; i < 4; ++i) bmp_rows += std::string("\x01\x02\x03\x04\x05\x06\0\0", 8);
  std::vector<Case> cases;
  cases.push_back({"jpeg", testing::EncodeJpeg(16, 12, 3, rgb, 90),
                   [](std::string_view b) { return DecodeJpeg(b, {}); }, true});
  cases.push_back({"jpeg_progressive_file",
                   testing::ReadFileOrDie(std::string(STFS_MODELS_DIR) +
                                          "/stfs/_test_inputs/images_mew.jpg"),
                   [](std::string_view b) { return DecodeJpeg(b, {}); }, true});
  cases.push_back({"jpeg_recover", testing::EncodeJpeg(16, 12, 3, rgb, 90),
                   [](std::string_view b) {
                     DecodeJpegOptions o;
                     o.try_recover_truncated = true;
                     o.acceptable_fraction = 0.5f;
                     return DecodeJpeg(b, o);
                   },
                   false});
  cases.push_back({"png", testing::EncodePng(16, 12, PNG_COLOR_TYPE_RGB, 8, rgb),
                   [](std::string_view b) { return DecodePng(b, 0, false); }, true});
  cases.push_back({"png16", testing::EncodePng(16, 12, PNG_COLOR_TYPE_RGB, 8, rgb),
                   [](std::string_view b) { return DecodePng(b, 4, true); }, true});
  cases.push_back({"gif", testing::EncodeGif(4, 4, {{0, 0, 0}, {1, 2, 3}, {4, 5, 6}, {7, 8, 9}},
                                             frames),
                   [](std::string_view b) { return DecodeGif(b); }, false});
  cases.push_back({"bmp", testing::MakeBmp(2, 4, 24, bmp_rows),
                   [](std::string_view b) { return DecodeBmp(b, 0); }, true,
                   /*last row's padding, like TF=*/2});
  cases.push_back({"webp", testing::EncodeWebpLossless(16, 12, 3, rgb),
                   [](std::string_view b) { return DecodeWebp(b, 0); }, true});
  for (DecodeOp op : {DecodeOp::kDecodeJpeg, DecodeOp::kDecodeImage}) {
    cases.push_back({"op", testing::EncodePng(16, 12, PNG_COLOR_TYPE_RGB, 8, rgb),
                     [op](std::string_view b) { return DecodeForOp(op, b, {}); }, true});
  }
  cases.push_back({"any", testing::EncodeJpeg(16, 12, 3, rgb, 90),
                   [](std::string_view b) { return DecodeAny(b, 3); }, true});
  return cases;
}

void CheckWellFormed(const StatusOr<Image>& r) {
  if (!r.ok()) {
    EXPECT_FALSE(r.status().message().empty());
    return;
  }
  const Image& img = *r;
  EXPECT_EQ(static_cast<int64_t>(img.pixels.size()), img.num_values() * img.bytes_per_channel());
}

TEST(Robustness, ValidFixturesDecode) {
  for (const Case& c : Cases()) EXPECT_TRUE(c.decode(c.valid).ok()) << c.name;
}

TEST(Robustness, EmptyInput) {
  for (const Case& c : Cases()) EXPECT_FALSE(c.decode("").ok()) << c.name;
}

TEST(Robustness, EveryPrefix) {
  for (const Case& c : Cases()) {
    for (size_t n = 0; n < c.valid.size(); ++n) {
      auto r = c.decode(std::string_view(c.valid).substr(0, n));
      CheckWellFormed(r);
      if (c.every_prefix_fails && n + c.tolerated_tail < c.valid.size()) {
        EXPECT_FALSE(r.ok()) << c.name << " prefix " << n;
      }
    }
  }
}

TEST(Robustness, TruncatedMessages) {
  for (const Case& c : Cases()) {
    if (std::string_view(c.name) == "jpeg_recover") continue;
    auto r = c.decode(std::string_view(c.valid).substr(0, c.valid.size() * 3 / 4));
    if (r.ok()) continue;  // gif with a complete first frame
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos)
        << c.name << ": " << r.status().message();
  }
}

TEST(Robustness, GarbageAfterMagic) {
  std::mt19937 rng(7);
  for (const Case& c : Cases()) {
    for (int iter = 0; iter < 200; ++iter) {
      std::string g = c.valid.substr(0, std::min<size_t>(c.valid.size(), 4 + iter % 40));
      const size_t extra = rng() % 300;
      for (size_t i = 0; i < extra; ++i) g.push_back(static_cast<char>(rng()));
      CheckWellFormed(c.decode(g));
    }
  }
}

TEST(Robustness, BitFlips) {
  std::mt19937 rng(11);
  for (const Case& c : Cases()) {
    for (int iter = 0; iter < 400; ++iter) {
      std::string g = c.valid;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) g[rng() % g.size()] ^= static_cast<char>(1 << (rng() % 8));
      CheckWellFormed(c.decode(g));
    }
  }
}

TEST(Robustness, ImplausibleHeadersRejectedCheaply) {
  // BMP claiming 2^30 x 1 pixels.
  std::string bmp = testing::MakeBmp(1 << 30, 1, 24, std::string(8, '\0'));
  EXPECT_FALSE(DecodeBmp(bmp, 0).ok());
  // GIF with a 65535 x 65535 frame and almost no data.
  std::string gif = testing::EncodeGif(1, 1, {{0, 0, 0}, {1, 1, 1}}, {{0, 0, 1, 1, {1}}});
  const size_t desc = gif.find(',');  // image separator 0x2C
  ASSERT_NE(desc, std::string::npos);
  for (int i = 5; i <= 8; ++i) gif[desc + i] = '\xFF';
  auto r = DecodeGif(gif);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  // PNG with a 2^30 x 2^30 IHDR (CRC fixed up by rebuilding isn't needed:
  // libpng rejects the size or the CRC; either way an error).
  std::string png = testing::EncodePng(1, 1, PNG_COLOR_TYPE_GRAY, 8, {0});
  png[16] = png[20] = '\x40';
  EXPECT_FALSE(DecodePng(png, 0, false).ok());
}

}  // namespace
}  // namespace stfs::image
