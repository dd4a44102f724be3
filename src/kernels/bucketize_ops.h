// Bucketing / sorted-search kernels: Bucketize (upper_bound),
// BoostedTreesBucketize (lower_bound clamped to the last boundary),
// UpperBound / LowerBound (row-wise). Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateBucketize(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateBoostedTreesBucketize(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateUpperBound(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateLowerBound(const KernelInit& init);

}  // namespace stfs::kernels
