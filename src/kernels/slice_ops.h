// Slicing kernels: Slice and StridedSlice (begin/end/ellipsis/new_axis/
// shrink_axis masks with TensorFlow's exact rules). Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateSlice(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateStridedSlice(const KernelInit& init);

}  // namespace stfs::kernels
