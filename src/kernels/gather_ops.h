// Index-based kernels: GatherV2, Gather, GatherNd, OneHot, ScatterNd,
// TensorScatterUpdate. Out-of-range indices are errors (CPU semantics), except
// OneHot where they give an all-off row. Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateGatherV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateGather(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateGatherNd(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateOneHot(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateScatterNd(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorScatterUpdate(const KernelInit& init);

}  // namespace stfs::kernels
