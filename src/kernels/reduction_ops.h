// Factories for reductions (Sum, Prod, Max, Min, Mean, All, Any,
// EuclideanNorm), ArgMax/ArgMin, Cumsum/Cumprod and TopKV2/InTopKV2
// (kernels-math family). Axis arguments are inputs, as in TensorFlow.
// Kernels are stateless and thread-safe.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

// reduction_ops.cc: inputs (input, reduction_indices), attr keep_dims.
StatusOr<std::unique_ptr<OpKernel>> CreateSum(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateProd(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateMax(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateMin(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateMean(const KernelInit& init);   // ints: integer division
StatusOr<std::unique_ptr<OpKernel>> CreateAll(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAny(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateEuclideanNorm(const KernelInit& init);

// argmax_topk.cc
StatusOr<std::unique_ptr<OpKernel>> CreateArgMax(const KernelInit& init);  // output_type default int64
StatusOr<std::unique_ptr<OpKernel>> CreateArgMin(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateCumsum(const KernelInit& init);  // exclusive, reverse
StatusOr<std::unique_ptr<OpKernel>> CreateCumprod(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTopKV2(const KernelInit& init);  // ties: lower index first
StatusOr<std::unique_ptr<OpKernel>> CreateInTopKV2(const KernelInit& init);

}  // namespace stfs::kernels
