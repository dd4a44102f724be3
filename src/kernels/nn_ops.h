// Factories for the neural-network kernels (kernels-math family): BiasAdd,
// Softmax/LogSoftmax, FusedBatchNorm (inference), L2Loss (nn_ops.cc); Conv2D,
// DepthwiseConv2dNative (conv.cc); MaxPool/MaxPoolV2/AvgPool (pooling.cc).
// NHWC everywhere; NCHW where TF's CPU kernels support it (BiasAdd,
// FusedBatchNorm), else a clear Unimplemented error. Stateless, thread-safe.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateBiasAdd(const KernelInit& init);     // also BiasAddV1
StatusOr<std::unique_ptr<OpKernel>> CreateSoftmax(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLogSoftmax(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateFusedBatchNorm(const KernelInit& init);  // V1/V2/V3
StatusOr<std::unique_ptr<OpKernel>> CreateL2Loss(const KernelInit& init);

StatusOr<std::unique_ptr<OpKernel>> CreateConv2D(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateDepthwiseConv2dNative(const KernelInit& init);

StatusOr<std::unique_ptr<OpKernel>> CreateMaxPool(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateMaxPoolV2(const KernelInit& init);  // ksize/strides inputs
StatusOr<std::unique_ptr<OpKernel>> CreateAvgPool(const KernelInit& init);

}  // namespace stfs::kernels
