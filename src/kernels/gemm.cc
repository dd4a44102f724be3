#include "kernels/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <mutex>

namespace stfs::kernels {
namespace {

// OpenBLAS would otherwise start its own thread per core and oversubscribe
// the machine together with our pool.
void InitBlas() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

template <class T>
void BlasCall(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb,
              T* c, int64_t ldc, bool accumulate) {
  const CBLAS_TRANSPOSE cta = ta ? CblasTrans : CblasNoTrans, ctb = tb ? CblasTrans : CblasNoTrans;
  const T beta = accumulate ? T(1) : T(0);
  if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, cta, ctb, m, n, k, 1.0f, a, lda, b, ldb, beta, c, ldc);
  } else {
    cblas_dgemm(CblasRowMajor, cta, ctb, m, n, k, 1.0, a, lda, b, ldb, beta, c, ldc);
  }
}

template <class T>
void Gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, const T* b, int64_t ldb, T* c,
          int64_t ldc, ThreadPool* pool, bool accumulate) {
  InitBlas();
  if (m == 0 || n == 0) return;
  if (k == 0) {
    if (!accumulate) {
      for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T(0));
    }
    return;
  }
  const int64_t flops = m * n * k;
  const int64_t shards = pool ? std::min<int64_t>(pool->num_threads() + 1, flops / (1 << 17)) : 1;
  if (shards <= 1 || ThreadPool::InWorkerThread()) {
    BlasCall(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    return;
  }
  // Split rows of C when there are enough, else columns (GEMV-like shapes).
  const bool by_rows = m >= 4 * shards || m >= n;
  const int64_t extent = by_rows ? m : n;
  const int64_t align = by_rows ? 4 : 16;  // keep blocks friendly to the micro-kernels
  int64_t block = (extent + shards - 1) / shards;
  block = (block + align - 1) / align * align;
  const int64_t blocks = (extent + block - 1) / block;
  pool->ParallelFor(blocks, 1 << 20, [&](int64_t bb, int64_t be) {
    for (int64_t blk = bb; blk < be; ++blk) {
      const int64_t s = blk * block, len = std::min(block, extent - s);
      if (by_rows) {
        BlasCall(ta, tb, len, n, k, ta ? a + s : a + s * lda, lda, b, ldb, c + s * ldc, ldc, accumulate);
      } else {
        BlasCall(ta, tb, m, len, k, a, lda, tb ? b + s * ldb : b + s, ldb, c + s, ldc, accumulate);
      }
    }
  });
}

}  // namespace

void GemmF32(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
             int64_t ldb, float* c, int64_t ldc, ThreadPool* pool, bool accumulate) {
  Gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, pool, accumulate);
}
void GemmF64(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const double* a, int64_t lda, const double* b,
             int64_t ldb, double* c, int64_t ldc, ThreadPool* pool, bool accumulate) {
  Gemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, pool, accumulate);
}

}  // namespace stfs::kernels
