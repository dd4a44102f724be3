// Joining and splitting kernels: ConcatV2, Concat, Pack, Unpack, Split,
// SplitV. Factories for registry.cc; kernels are stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateConcatV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateConcat(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreatePack(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateUnpack(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSplit(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSplitV(const KernelInit& init);

}  // namespace stfs::kernels
