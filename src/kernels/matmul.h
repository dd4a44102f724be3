// Factories for MatMul, BatchMatMul/V2/V3 and Einsum (kernels-math family).
// Float math goes through GemmF32/GemmF64 (kernels/gemm.h); half/bfloat16 are
// computed in float; integer and complex types use plain loops.
// Kernels are stateless and thread-safe.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateMatMul(const KernelInit& init);        // transpose_a/b
StatusOr<std::unique_ptr<OpKernel>> CreateBatchMatMul(const KernelInit& init);   // equal batch dims
StatusOr<std::unique_ptr<OpKernel>> CreateBatchMatMulV2(const KernelInit& init); // broadcast batch dims (also V3)
StatusOr<std::unique_ptr<OpKernel>> CreateEinsum(const KernelInit& init);        // 1-2 operands, no ellipsis

}  // namespace stfs::kernels
