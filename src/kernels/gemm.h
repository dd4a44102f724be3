// Dense GEMM used by MatMul, BatchMatMul, Einsum and Conv2D (im2col).
//
// C[m,n] = op(A)[m,k] * op(B)[k,n] (+ C if accumulate), row-major, where op()
// transposes when trans_* is set (A stored [k,m], B stored [n,k]). Backed by
// OpenBLAS (runtime-dispatched SIMD kernels, pinned to one OpenBLAS thread) and
// split across `pool` by us, so the server's one pool governs all threads; see
// docs/kernels-gemm.md for the measurements behind the choice.
//
// Thread-safe; may be called concurrently. `pool` may be null (single thread).
#pragma once

#include <cstdint>

#include "base/thread_pool.h"

namespace stfs::kernels {

void GemmF32(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
             const float* b, int64_t ldb, float* c, int64_t ldc, ThreadPool* pool, bool accumulate = false);
void GemmF64(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda,
             const double* b, int64_t ldb, double* c, int64_t ldc, ThreadPool* pool, bool accumulate = false);

}  // namespace stfs::kernels
