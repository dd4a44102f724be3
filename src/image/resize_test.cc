#include "image/resize.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace stfs::image {
namespace {

std::vector<float> Bilinear(const std::vector<float>& in, int64_t ih, int64_t iw, int64_t c,
                            int64_t oh, int64_t ow, bool ac, bool hp) {
  std::vector<float> out(static_cast<size_t>(oh * ow * c), -1.f);
  Status s = ResizeBilinear(in.data(), 1, ih, iw, c, oh, ow, ac, hp, out.data());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

void ExpectNear(const std::vector<float>& got, const std::vector<float>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-4) << "at " << i;
}

TEST(ResizeBilinear, Upscale1DAllModes) {
  const std::vector<float> in = {0, 10};
  // legacy: scale 0.5, src = 0, .5, 1, 1.5 (hi clamps to 1)
  ExpectNear(Bilinear(in, 1, 2, 1, 1, 4, false, false), {0, 5, 10, 10});
  // align_corners: scale 1/3
  ExpectNear(Bilinear(in, 1, 2, 1, 1, 4, true, false), {0, 10.f / 3, 20.f / 3, 10});
  // half pixel: src = -.25 (clamped, both taps 0), .25, .75, 1.25 (clamped)
  ExpectNear(Bilinear(in, 1, 2, 1, 1, 4, false, true), {0, 2.5, 7.5, 10});
}

TEST(ResizeBilinear, Downscale) {
  const std::vector<float> in = {0, 10, 20, 30};
  ExpectNear(Bilinear(in, 1, 4, 1, 1, 2, false, false), {0, 20});
  ExpectNear(Bilinear(in, 1, 4, 1, 1, 2, false, true), {5, 25});
  ExpectNear(Bilinear(in, 1, 4, 1, 1, 2, true, false), {0, 30});
}

TEST(ResizeBilinear, TwoDimensional) {
  // [[0, 10], [20, 30]] -> 3x3, legacy scale 2/3: src 0, 2/3, 4/3.
  const std::vector<float> in = {0, 10, 20, 30};
  const float t = 2.f / 3;
  ExpectNear(Bilinear(in, 2, 2, 1, 3, 3, false, false),
             {0, 10 * t, 10, 20 * t, 30 * t, 20 * t + 10, 20, 20 + 10 * t, 30});
  // align_corners: 2x2 -> 3x3 is the midpoint grid.
  ExpectNear(Bilinear(in, 2, 2, 1, 3, 3, true, false), {0, 5, 10, 10, 15, 20, 20, 25, 30});
  // half pixel 2x2 -> 4x4: axis taps 0, .25, .75, 1 (fractions of the way).
  auto hp = Bilinear(in, 2, 2, 1, 4, 4, false, true);
  const float f[4] = {0, .25f, .75f, 1};
  std::vector<float> want;
  for (float fy : f)
    for (float fx : f) want.push_back(20 * fy + 10 * fx);
  ExpectNear(hp, want);
}

TEST(ResizeBilinear, MultiChannelAndUint8) {
  const std::vector<uint8_t> in = {0, 100, 200, 50};  // 1x2x2: px0 (0,100), px1 (200,50)
  std::vector<float> out(8);
  ASSERT_TRUE(ResizeBilinear(in.data(), 1, 1, 2, 2, 1, 4, false, false, out.data()).ok());
  ExpectNear(out, {0, 100, 100, 75, 200, 50, 200, 50});
}

TEST(ResizeBilinear, IdentityIsExact) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(-100, 100);
  std::vector<float> in(2 * 32 * 32 * 3);
  for (float& v : in) v = d(rng);
  for (int mode = 0; mode < 3; ++mode) {
    std::vector<float> out(in.size());
    ASSERT_TRUE(
        ResizeBilinear(in.data(), 2, 32, 32, 3, 32, 32, mode == 1, mode == 2, out.data()).ok());
    EXPECT_EQ(out, in) << "mode " << mode;
  }
}

TEST(ResizeBilinear, Errors) {
  float in[4] = {0}, out[16];
  EXPECT_EQ(ResizeBilinear(in, 1, 2, 2, 1, 4, 4, true, true, out).message(),
            "If half_pixel_centers is True, align_corners must be False.");
  EXPECT_FALSE(ResizeBilinear(in, 1, 2, 2, 1, 0, 4, false, false, out).ok());
  EXPECT_FALSE(ResizeBilinear(in, 1, 0, 2, 1, 4, 4, false, false, out).ok());
}

TEST(ResizeBilinear, ScaleRules) {
  EXPECT_FLOAT_EQ(ResizeScale(4, 2, false), 2.f);
  EXPECT_FLOAT_EQ(ResizeScale(4, 3, true), 1.5f);
  EXPECT_FLOAT_EQ(ResizeScale(4, 1, true), 4.f);  // out 1: no align
  EXPECT_FLOAT_EQ(ResizeScale(1, 4, true), .25f);  // in 1: no align
}

template <typename T>
std::vector<T> Nearest(const std::vector<T>& in, int64_t iw, int64_t ow, bool ac, bool hp) {
  std::vector<T> out(static_cast<size_t>(ow));
  Status s = ResizeNearestNeighbor(in.data(), 1, 1, iw, 1, 1, ow, ac, hp, out.data());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(ResizeNearestNeighbor, DownscaleRoundingPerMode) {
  const std::vector<int32_t> in = {0, 1, 2, 3};
  // legacy: floor(x * 4/3) = 0, 1, 2
  EXPECT_EQ(Nearest(in, 4, 3, false, false), (std::vector<int32_t>{0, 1, 2}));
  // align_corners: round(x * 1.5) = 0, 2 (1.5 rounds away), 3
  EXPECT_EQ(Nearest(in, 4, 3, true, false), (std::vector<int32_t>{0, 2, 3}));
  // half pixel: floor((x + .5) * 4/3) = 0, 2, 3
  EXPECT_EQ(Nearest(in, 4, 3, false, true), (std::vector<int32_t>{0, 2, 3}));
}

TEST(ResizeNearestNeighbor, UpscaleAndTypes) {
  const std::vector<uint8_t> in = {7, 9};
  for (int mode = 0; mode < 3; ++mode) {
    EXPECT_EQ(Nearest(in, 2, 4, mode == 1, mode == 2), (std::vector<uint8_t>{7, 7, 9, 9}));
  }
  const std::vector<double> d = {1.5, 2.5, 3.5};
  // 3 -> 5 legacy: floor(x * .6) = 0,0,1,1,2; half: floor((x+.5)*.6) = 0,0,1,2,2
  EXPECT_EQ(Nearest(d, 3, 5, false, false), (std::vector<double>{1.5, 1.5, 2.5, 2.5, 3.5}));
  EXPECT_EQ(Nearest(d, 3, 5, false, true), (std::vector<double>{1.5, 1.5, 2.5, 3.5, 3.5}));
  // align: round(x * .5) = 0, 1 (0.5 away from zero), 1, 2 (1.5), 2
  EXPECT_EQ(Nearest(d, 3, 5, true, false), (std::vector<double>{1.5, 2.5, 2.5, 3.5, 3.5}));
}

TEST(ResizeNearestNeighbor, MultiChannel2DIdentityAndErrors) {
  std::vector<int16_t> in(3 * 5 * 2);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<int16_t>(i * 3 - 20);
  std::vector<int16_t> out(in.size());
  for (int mode = 0; mode < 3; ++mode) {
    ASSERT_TRUE(
        ResizeNearestNeighbor(in.data(), 1, 3, 5, 2, 3, 5, mode == 1, mode == 2, out.data()).ok());
    EXPECT_EQ(out, in);
  }
  EXPECT_FALSE(ResizeNearestNeighbor(in.data(), 1, 3, 5, 2, 3, 5, true, true, out.data()).ok());
  EXPECT_FALSE(
      ResizeNearestNeighbor(in.data(), 1, 1 << 24, 5, 2, 3, 5, false, false, out.data()).ok());
}

}  // namespace
}  // namespace stfs::image
