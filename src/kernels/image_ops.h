// Image kernels over stfs_image: DecodeJpeg, DecodePng, DecodeGif,
// DecodeBmp, DecodeWebP, DecodeImage, DecodeAndCropJpeg, ExtractJpegShape,
// ResizeBilinear, ResizeNearestNeighbor. Stateless; decoders never crash on
// corrupt input (errors come back as INVALID_ARGUMENT).
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

// One factory for the Decode* family; the op name picks the behaviour.
StatusOr<std::unique_ptr<OpKernel>> CreateDecodeImage(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateDecodeAndCropJpeg(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateExtractJpegShape(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateResizeBilinear(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateResizeNearestNeighbor(const KernelInit& init);

}  // namespace stfs::kernels
