// Shared by matmul.cc and einsum.cc (internal to the kernels-math family).
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

// True for dtypes BatchedMatMul handles.
bool MatMulSupports(DType d);

// out = x @ y over the trailing two dims (adjoint = transpose, plus conjugate
// for complex). Batch dims must match, or broadcast if broadcast_batch.
// Allocates output 0 unless `out` is given (already shaped correctly).
Status BatchedMatMul(const Tensor& x, const Tensor& y, bool adj_x, bool adj_y, bool broadcast_batch,
                     OpContext* ctx, Tensor* out);

}  // namespace stfs::kernels
