// GEMM backend comparison on the project's MatMul shapes:
//   OpenBLAS  - our GemmF32 (OpenBLAS, 1 BLAS thread), single-threaded or split over our pool
//   BlasOwnThreads - cblas_sgemm with OpenBLAS's own 2 threads
//   Eigen     - Eigen::Map row-major product (compile-time SIMD: SSE2 baseline), single or split over our pool
//   EigenTensor - Eigen Tensor contraction on Eigen's ThreadPoolDevice (2 threads)
//   EigenTensor1T - the same contraction on Eigen's DefaultDevice (single thread)
// oneDNN and XNNPACK rows: dnnl_bench.cc, xnnpack_bench.cc (built when found).
// Shapes are {m, k, n}: C[m,n] = A[m,k] * B[k,n].
#define EIGEN_USE_THREADS
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <Eigen/Core>
#include <unsupported/Eigen/CXX11/Tensor>
#include <random>
#include <vector>

#include "base/thread_pool.h"
#include "kernels/gemm.h"

namespace {

using stfs::ThreadPool;
using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Operands {
  std::vector<float> a, b, c;
  Operands(int64_t m, int64_t k, int64_t n) : a(m * k), b(k * n), c(m * n) {
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> u(-1, 1);
    for (auto& v : a) v = u(rng);
    for (auto& v : b) v = u(rng);
  }
};

ThreadPool* Pool() {
  static ThreadPool* pool = new ThreadPool(1);  // + calling thread = 2 shards on 2 cores
  return pool;
}

void SetFlops(benchmark::State& st, int64_t m, int64_t k, int64_t n) {
  st.counters["GFLOPS"] = benchmark::Counter(2.0 * m * k * n, benchmark::Counter::kIsIterationInvariantRate,
                                             benchmark::Counter::kIs1000);
}

void BM_OpenBLAS(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  const bool threaded = st.range(3);
  Operands o(m, k, n);
  for (auto _ : st) {
    stfs::kernels::GemmF32(false, false, m, n, k, o.a.data(), k, o.b.data(), n, o.c.data(), n,
                           threaded ? Pool() : nullptr);
    benchmark::DoNotOptimize(o.c.data());
  }
  SetFlops(st, m, k, n);
}

void BM_BlasOwnThreads(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  Operands o(m, k, n);
  stfs::kernels::GemmF32(false, false, 1, 1, 1, o.a.data(), 1, o.b.data(), 1, o.c.data(), 1, nullptr);  // init
  openblas_set_num_threads(2);
  for (auto _ : st) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.f, o.a.data(), k, o.b.data(), n, 0.f,
                o.c.data(), n);
    benchmark::DoNotOptimize(o.c.data());
  }
  openblas_set_num_threads(1);
  SetFlops(st, m, k, n);
}

void EigenGemm(const float* a, const float* b, float* c, int64_t m, int64_t k, int64_t n) {
  Eigen::Map<const RowMat> A(a, m, k), B(b, k, n);
  Eigen::Map<RowMat> C(c, m, n);
  C.noalias() = A * B;
}

void BM_Eigen(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  const bool threaded = st.range(3);
  Operands o(m, k, n);
  for (auto _ : st) {
    if (!threaded || m < 2) {
      EigenGemm(o.a.data(), o.b.data(), o.c.data(), m, k, n);
    } else {
      Pool()->ParallelFor(2, 1 << 20, [&](int64_t b, int64_t e) {
        for (int64_t s = b; s < e; ++s) {
          const int64_t r0 = s * m / 2, r1 = (s + 1) * m / 2;
          EigenGemm(o.a.data() + r0 * k, o.b.data(), o.c.data() + r0 * n, r1 - r0, k, n);
        }
      });
    }
    benchmark::DoNotOptimize(o.c.data());
  }
  SetFlops(st, m, k, n);
}

void BM_EigenTensor(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  Operands o(m, k, n);
  Eigen::ThreadPool tp(2);
  Eigen::ThreadPoolDevice dev(&tp, 2);
  Eigen::TensorMap<Eigen::Tensor<const float, 2, Eigen::RowMajor>> A(o.a.data(), m, k), B(o.b.data(), k, n);
  Eigen::TensorMap<Eigen::Tensor<float, 2, Eigen::RowMajor>> C(o.c.data(), m, n);
  const Eigen::array<Eigen::IndexPair<int>, 1> dims = {Eigen::IndexPair<int>(1, 0)};
  for (auto _ : st) {
    C.device(dev) = A.contract(B, dims);
    benchmark::DoNotOptimize(o.c.data());
  }
  SetFlops(st, m, k, n);
}

void BM_EigenTensor1T(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  Operands o(m, k, n);
  Eigen::TensorMap<Eigen::Tensor<const float, 2, Eigen::RowMajor>> A(o.a.data(), m, k), B(o.b.data(), k, n);
  Eigen::TensorMap<Eigen::Tensor<float, 2, Eigen::RowMajor>> C(o.c.data(), m, n);
  const Eigen::array<Eigen::IndexPair<int>, 1> dims = {Eigen::IndexPair<int>(1, 0)};
  for (auto _ : st) {
    C = A.contract(B, dims);
    benchmark::DoNotOptimize(o.c.data());
  }
  SetFlops(st, m, k, n);
}

// {m, k, n, threaded}
void Shapes(benchmark::internal::Benchmark* b) {
  for (auto s : std::vector<std::vector<int64_t>>{
           {1, 9, 128}, {32, 9, 128}, {256, 128, 32}, {1, 784, 128}, {64, 512, 512}, {1024, 27, 32}}) {
    for (int64_t t : {0, 1}) b->Args({s[0], s[1], s[2], t});
  }
}
void ShapesNoFlag(benchmark::internal::Benchmark* b) {
  for (auto s : std::vector<std::vector<int64_t>>{
           {1, 9, 128}, {32, 9, 128}, {256, 128, 32}, {1, 784, 128}, {64, 512, 512}, {1024, 27, 32}}) {
    b->Args({s[0], s[1], s[2]});
  }
}

BENCHMARK(BM_OpenBLAS)->Apply(Shapes);
BENCHMARK(BM_Eigen)->Apply(Shapes);
BENCHMARK(BM_BlasOwnThreads)->Apply(ShapesNoFlag);
BENCHMARK(BM_EigenTensor)->Apply(ShapesNoFlag);
BENCHMARK(BM_EigenTensor1T)->Apply(ShapesNoFlag);

}  // namespace
