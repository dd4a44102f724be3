// Shared helpers for the GEMM/conv backend benchmarks: the shape lists, the
// GFLOPS counter, random operands and naive double-precision references used
// to check each backend once per shape (so a benchmark can't silently time a
// wrong computation).
//
// Conventions: GEMM is C[m,n] = A[m,k] * B[k,n], row-major. Conv2D is TF's:
// input NHWC [n,h,w,cin], filter HWIO [kh,kw,cin,cout], stride 1, SAME padding.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace stfs::bench {

// {m, k, n}: the model MatMul shapes; 1024,27,32 is the im2col GEMM of a 3x3x3 conv.
inline const std::vector<std::vector<int64_t>>& GemmShapes() {
  static const std::vector<std::vector<int64_t>> shapes = {
      {1, 9, 128}, {32, 9, 128}, {256, 128, 32}, {1, 784, 128}, {64, 512, 512}, {1024, 27, 32}};
  return shapes;
}
inline void GemmArgs(benchmark::internal::Benchmark* b) {
  for (const auto& s : GemmShapes()) b->Args({s[0], s[1], s[2]});
}

// {batch, kernel size, in channels}; 32x32 spatial, 32 output channels.
inline const std::vector<std::vector<int64_t>>& ConvShapes() {
  static const std::vector<std::vector<int64_t>> shapes = {{1, 3, 3}, {32, 3, 3}, {1, 1, 32}, {32, 1, 32}};
  return shapes;
}
inline void ConvArgs(benchmark::internal::Benchmark* b) {
  for (const auto& s : ConvShapes()) b->Args({s[0], s[1], s[2]});
}
constexpr int64_t kConvHW = 32, kConvOut = 32;

inline void SetRate(benchmark::State& st, double flops_per_iter) {
  st.counters["GFLOPS"] = benchmark::Counter(flops_per_iter, benchmark::Counter::kIsIterationInvariantRate,
                                             benchmark::Counter::kIs1000);
}
inline void SetGemmFlops(benchmark::State& st, int64_t m, int64_t k, int64_t n) { SetRate(st, 2.0 * m * k * n); }
inline void SetConvFlops(benchmark::State& st, int64_t batch, int64_t ks, int64_t cin) {
  SetRate(st, 2.0 * batch * kConvHW * kConvHW * kConvOut * ks * ks * cin);
}

inline std::vector<float> Random(size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(size);
  for (auto& x : v) x = u(rng);
  return v;
}

inline std::vector<float> NaiveGemm(const std::vector<float>& a, const std::vector<float>& b, int64_t m, int64_t k,
                                    int64_t n) {
  std::vector<float> c(m * n);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t p = 0; p < k; ++p) s += double(a[i * k + p]) * b[p * n + j];
      c[i * n + j] = static_cast<float>(s);
    }
  }
  return c;
}

// SAME, stride 1: for odd ks the padding is (ks-1)/2 on each side.
inline std::vector<float> NaiveConv(const std::vector<float>& in, const std::vector<float>& filter, int64_t batch,
                                    int64_t ks, int64_t cin) {
  const int64_t hw = kConvHW, cout = kConvOut, pad = (ks - 1) / 2;
  std::vector<float> out(batch * hw * hw * cout);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t y = 0; y < hw; ++y)
      for (int64_t x = 0; x < hw; ++x)
        for (int64_t o = 0; o < cout; ++o) {
          double s = 0;
          for (int64_t dy = 0; dy < ks; ++dy)
            for (int64_t dx = 0; dx < ks; ++dx) {
              const int64_t iy = y + dy - pad, ix = x + dx - pad;
              if (iy < 0 || iy >= hw || ix < 0 || ix >= hw) continue;
              for (int64_t c = 0; c < cin; ++c)
                s += double(in[((b * hw + iy) * hw + ix) * cin + c]) * filter[((dy * ks + dx) * cin + c) * cout + o];
            }
          out[((b * hw + y) * hw + x) * cout + o] = static_cast<float>(s);
        }
  return out;
}

// Returns true if got matches want to within 1e-5 * depth (float accumulation
// of `depth` products of values in [-1,1]); otherwise marks the benchmark failed.
inline bool CheckClose(benchmark::State& st, const float* got, const std::vector<float>& want, int64_t depth) {
  double max_err = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const double e = std::fabs(double(got[i]) - want[i]);
    if (!(e <= max_err)) max_err = std::isnan(e) ? INFINITY : e;
  }
  if (max_err <= 1e-5 * std::max<int64_t>(depth, 8)) return true;
  st.SkipWithError(("result differs from the naive reference, max abs error " + std::to_string(max_err)).c_str());
  return false;
}

}  // namespace stfs::bench
