// Sparse and segment kernels: SparseFillEmptyRows, SparseReshape,
// SparseSegmentSum/Mean/SqrtN (+WithNumSegments), SparseToDense, Unique,
// UnsortedSegmentSum, SegmentSum. Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateSparseFillEmptyRows(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSparseReshape(const KernelInit& init);
// Sum / Mean / SqrtN, with or without the num_segments input (from init.op).
StatusOr<std::unique_ptr<OpKernel>> CreateSparseSegmentReduction(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSparseToDense(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateUnique(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateUnsortedSegmentSum(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSegmentSum(const KernelInit& init);

}  // namespace stfs::kernels
