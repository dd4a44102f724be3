#include "kernels/image_ops.h"

#include <cstring>
#include <type_traits>

#include "image/image.h"
#include "image/resize.h"
#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

StatusOr<std::string_view> ScalarContents(const Tensor& t) {
  if (t.dtype() != DType::kString || t.rank() != 0) {
    return InvalidArgument("contents must be a string scalar, got ", t.DTypeShapeString());
  }
  return std::string_view(t.scalar<std::string>());
}

StatusOr<Tensor> ImageToTensor(const image::Image& img) {
  std::vector<int64_t> dims;
  if (img.four_d) dims.push_back(img.frames);
  dims.insert(dims.end(), {img.height, img.width, img.channels});
  const DType dt = img.type == image::PixelType::kUint8    ? DType::kUInt8
                   : img.type == image::PixelType::kUint16 ? DType::kUInt16
                                                           : DType::kFloat;
  ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(dt, std::move(shape)));
  if (out.TotalBytes() != img.pixels.size()) {
    return Internal("decoded image has ", img.pixels.size(), " bytes but its shape needs ", out.TotalBytes());
  }
  if (!img.pixels.empty()) std::memcpy(out.raw_data(), img.pixels.data(), img.pixels.size());
  return out;
}

class DecodeOpKernel : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    const AttrMap& a = init.attrs;
    const std::string_view op = init.op;
    if (op == "DecodeJpeg" || op == "DecodeAndCropJpeg") {
      op_ = image::DecodeOp::kDecodeJpeg;
    } else if (op == "DecodePng") {
      op_ = image::DecodeOp::kDecodePng;
    } else if (op == "DecodeGif") {
      op_ = image::DecodeOp::kDecodeGif;
    } else if (op == "DecodeBmp") {
      op_ = image::DecodeOp::kDecodeBmp;
    } else if (op == "DecodeWebP") {
      op_ = image::DecodeOp::kDecodeWebP;
    } else {
      op_ = image::DecodeOp::kDecodeImage;
    }
    opts_.channels = static_cast<int>(a.GetIntOr("channels", 0));
    const DType dtype = a.GetTypeOr("dtype", DType::kUInt8);
    switch (dtype) {
      case DType::kUInt8: opts_.dtype = image::PixelType::kUint8; break;
      case DType::kUInt16: opts_.dtype = image::PixelType::kUint16; break;
      case DType::kFloat: opts_.dtype = image::PixelType::kFloat32; break;
      default: return InvalidArgument("unsupported image dtype ", DTypeName(dtype));
    }
    opts_.expand_animations = a.GetBoolOr("expand_animations", true);
    opts_.jpeg.ratio = static_cast<int>(a.GetIntOr("ratio", 1));
    if (opts_.jpeg.ratio != 1 && opts_.jpeg.ratio != 2 && opts_.jpeg.ratio != 4 && opts_.jpeg.ratio != 8) {
      return InvalidArgument("ratio must be 1, 2, 4, or 8, got ", opts_.jpeg.ratio);
    }
    opts_.jpeg.fancy_upscaling = a.GetBoolOr("fancy_upscaling", true);
    opts_.jpeg.try_recover_truncated = a.GetBoolOr("try_recover_truncated", false);
    opts_.jpeg.acceptable_fraction = a.GetFloatOr("acceptable_fraction", 1.0f);
    opts_.jpeg.dct_method = a.GetStringOr("dct_method", "");
    if (!opts_.jpeg.dct_method.empty() && opts_.jpeg.dct_method != "INTEGER_FAST" &&
        opts_.jpeg.dct_method != "INTEGER_ACCURATE") {
      return InvalidArgument("dct_method must be one of INTEGER_FAST, INTEGER_ACCURATE or \"\", got '",
                             opts_.jpeg.dct_method, "'");
    }
    crop_ = op == "DecodeAndCropJpeg";
    return Status::OK();
  }

  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::string_view contents, ScalarContents(ctx->input(0)));
    ASSIGN_OR_RETURN(image::Image img, image::DecodeForOp(op_, contents, opts_));
    ASSIGN_OR_RETURN(Tensor out, ImageToTensor(img));
    if (crop_) {
      ASSIGN_OR_RETURN(out, Crop(ctx->input(1), out));
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  // crop_window = [y, x, h, w] applied to a decoded [H, W, C] image.
  static StatusOr<Tensor> Crop(const Tensor& window, const Tensor& full) {
    ASSIGN_OR_RETURN(std::vector<int64_t> w, ReadIntVector(window, "crop_window"));
    if (w.size() != 4) return InvalidArgument("crop_window must have 4 elements, got ", VecString(w));
    const int64_t y = w[0], x = w[1], h = w[2], wd = w[3];
    if (full.rank() != 3 || y < 0 || x < 0 || h <= 0 || wd <= 0 || y + h > full.dim(0) || x + wd > full.dim(1)) {
      return InvalidArgument("Invalid JPEG data or crop window: window ", VecString(w), " for image ",
                             full.shape().ToString());
    }
    const std::vector<int64_t> strides = Strides(full.shape());
    std::vector<std::vector<int64_t>> offsets(3);
    for (int64_t i = 0; i < h; ++i) offsets[0].push_back((y + i) * strides[0]);
    for (int64_t i = 0; i < wd; ++i) offsets[1].push_back((x + i) * strides[1]);
    for (int64_t i = 0; i < full.dim(2); ++i) offsets[2].push_back(i);
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(full.dtype(), Shape{h, wd, full.dim(2)}));
    GatherByOffsets(full, offsets, &out);
    return out;
  }

  image::DecodeOp op_ = image::DecodeOp::kDecodeImage;
  image::DecodeOpOptions opts_;
  bool crop_ = false;
};

// Reads height, width and components from the JPEG frame header (SOFn)
// without decoding the image.
StatusOr<std::vector<int64_t>> JpegShape(std::string_view b) {
  const auto u8 = [&](size_t i) { return static_cast<uint8_t>(b[i]); };
  if (b.size() < 4 || u8(0) != 0xFF || u8(1) != 0xD8) {
    return InvalidArgument("ExtractJpegShape: not a JPEG (missing SOI marker)");
  }
  size_t p = 2;
  while (p + 4 <= b.size()) {
    if (u8(p) != 0xFF) return InvalidArgument("ExtractJpegShape: corrupt JPEG marker at byte ", p);
    const uint8_t marker = u8(p + 1);
    if (marker == 0xFF) {  // fill byte
      ++p;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      p += 2;
      continue;
    }
    const size_t len = (static_cast<size_t>(u8(p + 2)) << 8) | u8(p + 3);
    if (len < 2 || p + 2 + len > b.size()) break;
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      if (len < 8) break;
      const int64_t h = (static_cast<int64_t>(u8(p + 5)) << 8) | u8(p + 6);
      const int64_t w = (static_cast<int64_t>(u8(p + 7)) << 8) | u8(p + 8);
      const int64_t c = u8(p + 9);
      return std::vector<int64_t>{h, w, c};
    }
    if (marker == 0xD9 || marker == 0xDA) break;  // EOI / SOS before any frame header
    p += 2 + len;
  }
  return InvalidArgument("ExtractJpegShape: no frame header found (invalid or truncated JPEG)");
}

class ExtractJpegShapeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    out_type_ = init.attrs.GetTypeOr("output_type", DType::kInt32);
    if (out_type_ != DType::kInt32 && out_type_ != DType::kInt64) {
      return InvalidArgument("output_type must be int32 or int64, got ", DTypeName(out_type_));
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::string_view contents, ScalarContents(ctx->input(0)));
    ASSIGN_OR_RETURN(std::vector<int64_t> shape, JpegShape(contents));
    if (out_type_ == DType::kInt32) {
      ctx->set_output(0, Tensor::FromVector<int32_t>({static_cast<int32_t>(shape[0]),
                                                      static_cast<int32_t>(shape[1]),
                                                      static_cast<int32_t>(shape[2])}));
    } else {
      ctx->set_output(0, Tensor::FromVector<int64_t>(shape));
    }
    return Status::OK();
  }

 private:
  DType out_type_ = DType::kInt32;
};

class ResizeOp : public OpKernel {
 public:
  explicit ResizeOp(bool nearest) : nearest_(nearest) {}
  Status Init(const KernelInit& init) {
    align_corners_ = init.attrs.GetBoolOr("align_corners", false);
    half_pixel_centers_ = init.attrs.GetBoolOr("half_pixel_centers", false);
    if (align_corners_ && half_pixel_centers_) {
      return InvalidArgument("If half_pixel_centers is True, align_corners must be False.");
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (in.rank() != 4) return InvalidArgument("input must be 4-dimensional, got ", in.DTypeShapeString());
    const Tensor& size_t_ = ctx->input(1);
    if (size_t_.dtype() != DType::kInt32 || size_t_.rank() != 1 || size_t_.NumElements() != 2) {
      return InvalidArgument("shape_t must be 1-dimensional int32 with 2 elements, got ", size_t_.DTypeShapeString());
    }
    const int64_t oh = size_t_.data<int32_t>()[0], ow = size_t_.data<int32_t>()[1];
    if (oh <= 0 || ow <= 0) return InvalidArgument("output dimensions must be positive, got [", oh, ", ", ow, "]");
    const int64_t b = in.dim(0), h = in.dim(1), w = in.dim(2), c = in.dim(3);
    ASSIGN_OR_RETURN(Shape shape, Shape::Create({b, oh, ow, c}));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(nearest_ ? in.dtype() : DType::kFloat, shape));
    Status status = InvalidArgument(nearest_ ? "ResizeNearestNeighbor" : "ResizeBilinear",
                                    " does not support dtype ", DTypeName(in.dtype()));
    DispatchDType(in.dtype(), [&]<typename T>() {
      constexpr bool kNumeric = (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) ||
                                std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;
      if constexpr (kNumeric) {
        if (nearest_) {
          status = image::ResizeNearestNeighbor(in.data<T>(), b, h, w, c, oh, ow, align_corners_,
                                                half_pixel_centers_, out.data<T>());
        } else {
          status = image::ResizeBilinear(in.data<T>(), b, h, w, c, oh, ow, align_corners_,
                                         half_pixel_centers_, out.data<float>());
        }
      }
    });
    RETURN_IF_ERROR(status);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool nearest_;
  bool align_corners_ = false;
  bool half_pixel_centers_ = false;
};

template <bool kNearest>
StatusOr<std::unique_ptr<OpKernel>> MakeResize(const KernelInit& init) {
  auto k = std::make_unique<ResizeOp>(kNearest);
  RETURN_IF_ERROR(k->Init(init));
  return std::unique_ptr<OpKernel>(std::move(k));
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateDecodeImage(const KernelInit& init) { return MakeKernel<DecodeOpKernel>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateDecodeAndCropJpeg(const KernelInit& init) { return MakeKernel<DecodeOpKernel>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateExtractJpegShape(const KernelInit& init) { return MakeKernel<ExtractJpegShapeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateResizeBilinear(const KernelInit& init) { return MakeResize<false>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateResizeNearestNeighbor(const KernelInit& init) { return MakeResize<true>(init); }

}  // namespace stfs::kernels
