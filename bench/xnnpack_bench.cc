// XNNPACK (Debian libxnnpack-dev, git 2022-02-16) on our GEMM and Conv2D shapes,
// single-threaded (null pthreadpool, so every operator runs on the caller).
//   XnnFullyConnected - xnn_create_fully_connected_nc_f32 with B packed once at
//                       creation (XNN_FLAG_TRANSPOSE_WEIGHTS: B given as [k,n]), then
//                       setup + run per iteration: how a MatMul kernel with a constant B
//                       would use it
//   XnnConv           - xnn_create_convolution2d_nhwc_f32 with TF SAME padding, filter
//                       converted once from TF's HWIO to XNNPACK's OHWI, setup + run per
//                       iteration
// Each benchmark checks its result against the naive reference once per shape.
#include <benchmark/benchmark.h>
#include <xnnpack.h>

#include <cmath>
#include <vector>

#include "bench_ref.h"

namespace {

using namespace stfs::bench;  // NOLINT

bool Init(benchmark::State& st) {
  static const xnn_status status = xnn_initialize(nullptr);  // once per process
  if (status == xnn_status_success) return true;
  st.SkipWithError("xnn_initialize failed (unsupported CPU?)");
  return false;
}

// Owns an xnn_operator_t.
struct Op {
  xnn_operator_t op = nullptr;
  ~Op() {
    if (op != nullptr) xnn_delete_operator(op);
  }
};

void BM_XnnFullyConnected(benchmark::State& st) {
  if (!Init(st)) return;
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  auto a = Random(m * k, 1), b = Random(k * n, 2);
  std::vector<float> c(m * n);
  Op fc;
  if (xnn_create_fully_connected_nc_f32(k, n, k, n, b.data(), nullptr, -INFINITY, INFINITY,
                                        XNN_FLAG_TRANSPOSE_WEIGHTS, &fc.op) != xnn_status_success) {
    return st.SkipWithError("xnn_create_fully_connected_nc_f32 failed");
  }
  auto run = [&] {
    return xnn_setup_fully_connected_nc_f32(fc.op, m, a.data(), c.data(), nullptr) == xnn_status_success &&
           xnn_run_operator(fc.op, nullptr) == xnn_status_success;
  };
  if (!run()) return st.SkipWithError("xnn setup/run failed");
  if (!CheckClose(st, c.data(), NaiveGemm(a, b, m, k, n), k)) return;
  for (auto _ : st) {
    run();
    benchmark::DoNotOptimize(c.data());
  }
  SetGemmFlops(st, m, k, n);
}

void BM_XnnConv(benchmark::State& st) {
  if (!Init(st)) return;
  const int64_t batch = st.range(0), ks = st.range(1), cin = st.range(2);
  const int64_t hw = kConvHW, cout = kConvOut;
  auto in = Random(batch * hw * hw * cin, 3), filter = Random(ks * ks * cin * cout, 4);
  std::vector<float> ohwi(filter.size()), out(batch * hw * hw * cout);
  for (int64_t p = 0; p < ks * ks; ++p)
    for (int64_t i = 0; i < cin; ++i)
      for (int64_t o = 0; o < cout; ++o) ohwi[(o * ks * ks + p) * cin + i] = filter[(p * cin + i) * cout + o];
  Op conv;
  if (xnn_create_convolution2d_nhwc_f32(0, 0, 0, 0, ks, ks, 1, 1, 1, 1, /*groups=*/1, cin, cout, cin, cout,
                                        ohwi.data(), nullptr, -INFINITY, INFINITY, XNN_FLAG_TENSORFLOW_SAME_PADDING,
                                        &conv.op) != xnn_status_success) {
    return st.SkipWithError("xnn_create_convolution2d_nhwc_f32 failed");
  }
  auto run = [&] {
    return xnn_setup_convolution2d_nhwc_f32(conv.op, batch, hw, hw, in.data(), out.data(), nullptr) ==
               xnn_status_success &&
           xnn_run_operator(conv.op, nullptr) == xnn_status_success;
  };
  if (!run()) return st.SkipWithError("xnn setup/run failed");
  if (!CheckClose(st, out.data(), NaiveConv(in, filter, batch, ks, cin), ks * ks * cin)) return;
  for (auto _ : st) {
    run();
    benchmark::DoNotOptimize(out.data());
  }
  SetConvFlops(st, batch, ks, cin);
}

BENCHMARK(BM_XnnFullyConnected)->Apply(GemmArgs);
BENCHMARK(BM_XnnConv)->Apply(ConvArgs);

}  // namespace
