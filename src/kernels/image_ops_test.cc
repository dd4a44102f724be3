#include "kernels/image_ops.h"

#include <fstream>
#include <sstream>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::string kMew = std::string(STFS_MODELS_DIR) + "/stfs/_test_inputs/images_mew.jpg";

// A 2x1 24-bit BMP (bottom-up rows padded to 4 bytes, BGR), pixels
// (0,0) = RGB(10,20,30), (0,1) = RGB(40,50,60), built by hand.
std::string TinyBmp() {
  auto le32 = [](uint32_t v) { return std::string{char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; };
  auto le16 = [](uint16_t v) { return std::string{char(v), char(v >> 8)}; };
  std::string pixels = {30, 20, 10, 60, 50, 40, 0, 0};  // one row: 6 bytes + 2 padding
  std::string info = le32(40) + le32(2) + le32(1) + le16(1) + le16(24) + le32(0) + le32(pixels.size()) +
                     le32(2835) + le32(2835) + le32(0) + le32(0);
  std::string header = "BM" + le32(14 + 40 + pixels.size()) + le32(0) + le32(14 + 40);
  return header + info + pixels;
}

TEST(DecodeImageTest, JpegShapeMatchesFile) {
  const std::string jpeg = ReadFile(kMew);
  ASSERT_FALSE(jpeg.empty()) << kMew;
  auto out = KernelTester("DecodeJpeg").Input(Tensor::Scalar<std::string>(jpeg)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).dtype(), DType::kUInt8);
  EXPECT_EQ(out->at(0).shape(), (Shape{32, 32, 3}));  // `file`: 32x32, 3 components
  auto gray = KernelTester("DecodeJpeg").Attr("channels", 1).Input(Tensor::Scalar<std::string>(jpeg)).Run();
  ASSERT_TRUE(gray.ok());
  EXPECT_EQ(gray->at(0).shape(), (Shape{32, 32, 1}));
  auto half = KernelTester("DecodeJpeg").Attr("ratio", 2).Input(Tensor::Scalar<std::string>(jpeg)).Run();
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->at(0).shape(), (Shape{16, 16, 3}));
  auto shape = KernelTester("ExtractJpegShape").Input(Tensor::Scalar<std::string>(jpeg)).Run();
  ASSERT_TRUE(shape.ok()) << shape.status().ToString();
  ExpectTensorEq(shape->at(0), Tensor::FromVector<int32_t>({32, 32, 3}));
}

TEST(DecodeImageTest, DecodeAndCropMatchesCroppedFullDecode) {
  const std::string jpeg = ReadFile(kMew);
  auto full = KernelTester("DecodeJpeg").Input(Tensor::Scalar<std::string>(jpeg)).Run();
  auto crop = KernelTester("DecodeAndCropJpeg").Input(Tensor::Scalar<std::string>(jpeg))
                  .Input(Tensor::FromVector<int32_t>({10, 20, 5, 7})).Run();
  ASSERT_TRUE(full.ok() && crop.ok()) << crop.status().ToString();
  ASSERT_EQ(crop->at(0).shape(), (Shape{5, 7, 3}));
  const uint8_t* f = full->at(0).data<uint8_t>();
  const uint8_t* c = crop->at(0).data<uint8_t>();
  EXPECT_EQ(c[0], f[(10 * 32 + 20) * 3]);
  EXPECT_EQ(c[(4 * 7 + 6) * 3 + 2], f[(14 * 32 + 26) * 3 + 2]);
  EXPECT_FALSE(KernelTester("DecodeAndCropJpeg").Input(Tensor::Scalar<std::string>(jpeg))
                   .Input(Tensor::FromVector<int32_t>({30, 0, 5, 5})).Run().ok());
}

TEST(DecodeImageTest, BmpThroughDecodeBmpAndDecodeImageNotDecodeJpeg) {
  const Tensor bmp = Tensor::Scalar<std::string>(TinyBmp());
  const Tensor want = Tensor::FromVector<uint8_t>({10, 20, 30, 40, 50, 60}, Shape{1, 2, 3});
  auto b = KernelTester("DecodeBmp").Input(bmp).Run();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ExpectTensorEq(b->at(0), want);
  auto any = KernelTester("DecodeImage").Input(bmp).Run();
  ASSERT_TRUE(any.ok()) << any.status().ToString();
  ExpectTensorEq(any->at(0), want);
  EXPECT_FALSE(KernelTester("DecodeJpeg").Input(bmp).Run().ok());
}

TEST(DecodeImageTest, Errors) {
  EXPECT_FALSE(KernelTester("DecodeJpeg").Input(Tensor::Scalar<std::string>("")).Run().ok());
  EXPECT_FALSE(KernelTester("DecodeJpeg").Input(Tensor::Scalar<std::string>("\xff\xd8\xff garbage")).Run().ok());
  EXPECT_FALSE(KernelTester("DecodeJpeg").Input(Tensor::FromVector<std::string>({"a"})).Run().ok());
  EXPECT_FALSE(KernelTester("DecodeJpeg").Attr("ratio", 3).Input(Tensor::Scalar<std::string>("x")).Run().ok());
  EXPECT_FALSE(KernelTester("ExtractJpegShape").Input(Tensor::Scalar<std::string>("not a jpeg")).Run().ok());
}

Tensor Square() { return Tensor::FromVector<float>({0, 10, 20, 30}, Shape{1, 2, 2, 1}); }
StatusOr<std::vector<Tensor>> Resize(const char* op, Tensor in, int h, int w, bool align, bool half) {
  return KernelTester(op).Attr("align_corners", align).Attr("half_pixel_centers", half)
      .Input(std::move(in)).Input(Tensor::FromVector<int32_t>({h, w})).Run();
}

TEST(ResizeBilinearTest, LegacyAlignCornersAndHalfPixel) {
  auto legacy = Resize("ResizeBilinear", Square(), 3, 3, false, false);
  ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();
  const float t = 20.0f / 3, u = 10.0f / 3;  // 6.667, 3.333
  ExpectTensorNear(legacy->at(0), Tensor::FromVector<float>({0, t, 10, 10 + u, 20, 20 + u, 20, 20 + t, 30},
                                                            Shape{1, 3, 3, 1}), 1e-4);
  auto aligned = Resize("ResizeBilinear", Square(), 3, 3, true, false);
  ASSERT_TRUE(aligned.ok());
  ExpectTensorNear(aligned->at(0), Tensor::FromVector<float>({0, 5, 10, 10, 15, 20, 20, 25, 30}, Shape{1, 3, 3, 1}));
  auto half = Resize("ResizeBilinear", Square(), 4, 4, false, true);
  ASSERT_TRUE(half.ok());
  ExpectTensorNear(half->at(0), Tensor::FromVector<float>({0, 2.5f, 7.5f, 10, 5, 7.5f, 12.5f, 15,
                                                           15, 17.5f, 22.5f, 25, 20, 22.5f, 27.5f, 30},
                                                          Shape{1, 4, 4, 1}));
  EXPECT_FALSE(Resize("ResizeBilinear", Square(), 3, 3, true, true).ok());
  EXPECT_FALSE(Resize("ResizeBilinear", Square(), 0, 3, false, false).ok());
  EXPECT_FALSE(Resize("ResizeBilinear", Tensor::FromVector<float>({1}, Shape{1, 1, 1}), 2, 2, false, false).ok());
}

TEST(ResizeBilinearTest, Uint8IdentityGivesFloat) {
  auto out = Resize("ResizeBilinear", Tensor::FromVector<uint8_t>({1, 2, 3, 4, 5, 6}, Shape{1, 1, 2, 3}), 1, 2,
                    false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, Shape{1, 1, 2, 3}));
}

TEST(ResizeNearestNeighborTest, KeepsDtype) {
  auto out = Resize("ResizeNearestNeighbor", Tensor::FromVector<int32_t>({0, 10, 20, 30}, Shape{1, 2, 2, 1}), 4, 4,
                    false, false);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<int32_t>({0, 0, 10, 10, 0, 0, 10, 10, 20, 20, 30, 30, 20, 20, 30, 30},
                                                         Shape{1, 4, 4, 1}));
}

}  // namespace
}  // namespace stfs::kernels
