// Shape and structure kernels: Shape, ShapeN, Size, Rank, Reshape, Squeeze,
// ExpandDims, EnsureShape. Factories for registry.cc; kernels are stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateShape(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateShapeN(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSize(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateRank(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateReshape(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSqueeze(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateExpandDims(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateEnsureShape(const KernelInit& init);

}  // namespace stfs::kernels
