// oneDNN (Debian libdnnl-dev 2.6, OpenMP runtime) on our GEMM and Conv2D shapes,
// single-threaded: Debian builds oneDNN with DNNL_CPU_RUNTIME=OMP, so each
// benchmark calls omp_set_num_threads(1) on the benchmark thread, which bounds
// the OpenMP team of every oneDNN call made from that thread.
//   DnnlSgemm        - dnnl_sgemm (row-major BLAS-like call, no setup)
//   DnnlMatmul/0     - matmul primitive created once per shape, plain row-major B
//   DnnlMatmul/1     - same with B in the primitive's preferred layout (format any),
//                      reordered once outside the loop: how a kernel would treat a constant B
//   DnnlConv         - convolution_forward (direct) on NHWC src/dst, filter reordered
//                      once from TF's HWIO into the primitive's preferred layout
//   DnnlMatmulCreate, DnnlConvCreate - primitive descriptor + primitive creation with
//                      oneDNN's primitive cache disabled: the one-off cost a kernel pays
//                      per new shape (the JIT code generation)
// Each benchmark checks its result against the naive reference once per shape.
// dnnl.hpp reports errors by exception; they are caught here and turned into
// a skipped benchmark.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>
#include <unordered_map>
#include <vector>

#include "bench_ref.h"

namespace {

using namespace stfs::bench;  // NOLINT
using dnnl::memory;
using Tag = memory::format_tag;
using DT = memory::data_type;

void SingleThread() { omp_set_num_threads(1); }

void BM_DnnlSgemm(benchmark::State& st) {
  SingleThread();
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  auto a = Random(m * k, 1), b = Random(k * n, 2);
  std::vector<float> c(m * n);
  auto gemm = [&] { return dnnl_sgemm('N', 'N', m, n, k, 1.f, a.data(), k, b.data(), n, 0.f, c.data(), n); };
  if (gemm() != dnnl_success) return st.SkipWithError("dnnl_sgemm failed");
  if (!CheckClose(st, c.data(), NaiveGemm(a, b, m, k, n), k)) return;
  for (auto _ : st) {
    gemm();
    benchmark::DoNotOptimize(c.data());
  }
  SetGemmFlops(st, m, k, n);
}

void BM_DnnlMatmul(benchmark::State& st) {
  SingleThread();
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  const bool packed = st.range(3);
  auto a = Random(m * k, 1), b = Random(k * n, 2);
  std::vector<float> c(m * n);
  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream strm(eng);
    memory::desc a_md({m, k}, DT::f32, Tag::ab), b_user_md({k, n}, DT::f32, Tag::ab), c_md({m, n}, DT::f32, Tag::ab);
    memory::desc b_md = packed ? memory::desc({k, n}, DT::f32, Tag::any) : b_user_md;
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, c_md), eng);
    dnnl::matmul prim(pd);
    memory a_mem(a_md, eng, a.data()), c_mem(c_md, eng, c.data()), b_user(b_user_md, eng, b.data());
    memory b_mem = b_user;
    if (pd.weights_desc() != b_user_md) {
      b_mem = memory(pd.weights_desc(), eng);
      dnnl::reorder(b_user, b_mem).execute(strm, b_user, b_mem);
    }
    const std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, a_mem}, {DNNL_ARG_WEIGHTS, b_mem}, {DNNL_ARG_DST, c_mem}};
    prim.execute(strm, args);
    strm.wait();
    st.SetLabel(pd.impl_info_str());
    if (!CheckClose(st, c.data(), NaiveGemm(a, b, m, k, n), k)) return;
    for (auto _ : st) {
      prim.execute(strm, args);
      strm.wait();
      benchmark::DoNotOptimize(c.data());
    }
  } catch (const dnnl::error& e) {
    return st.SkipWithError(e.what());
  }
  SetGemmFlops(st, m, k, n);
}

void BM_DnnlConv(benchmark::State& st) {
  SingleThread();
  const int64_t batch = st.range(0), ks = st.range(1), cin = st.range(2);
  const int64_t hw = kConvHW, cout = kConvOut, pad = (ks - 1) / 2;
  auto in = Random(batch * hw * hw * cin, 3), filter = Random(ks * ks * cin * cout, 4);
  std::vector<float> out(batch * hw * hw * cout);
  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream strm(eng);
    // oneDNN's logical dims are always {N,C,H,W} / {O,I,KH,KW}; the tag gives the memory layout.
    memory::desc src_md({batch, cin, hw, hw}, DT::f32, Tag::nhwc), dst_md({batch, cout, hw, hw}, DT::f32, Tag::nhwc);
    memory::desc w_user_md({cout, cin, ks, ks}, DT::f32, Tag::hwio), w_any({cout, cin, ks, ks}, DT::f32, Tag::any);
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                      src_md, w_any, dst_md, {1, 1}, {pad, pad}, {pad, pad});
    dnnl::convolution_forward::primitive_desc pd(d, eng);
    dnnl::convolution_forward prim(pd);
    memory src(src_md, eng, in.data()), dst(dst_md, eng, out.data()), w_user(w_user_md, eng, filter.data());
    memory w = w_user;
    if (pd.weights_desc() != w_user_md) {
      w = memory(pd.weights_desc(), eng);
      dnnl::reorder(w_user, w).execute(strm, w_user, w);
    }
    const std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_DST, dst}};
    prim.execute(strm, args);
    strm.wait();
    st.SetLabel(pd.impl_info_str());
    if (!CheckClose(st, out.data(), NaiveConv(in, filter, batch, ks, cin), ks * ks * cin)) return;
    for (auto _ : st) {
      prim.execute(strm, args);
      strm.wait();
      benchmark::DoNotOptimize(out.data());
    }
  } catch (const dnnl::error& e) {
    return st.SkipWithError(e.what());
  }
  SetConvFlops(st, batch, ks, cin);
}

// Creation cost with the primitive cache off (restored afterwards).
template <class Create>
void TimeCreation(benchmark::State& st, Create create) {
  SingleThread();
  const int saved = dnnl::get_primitive_cache_capacity();
  dnnl::set_primitive_cache_capacity(0);
  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    for (auto _ : st) benchmark::DoNotOptimize(create(eng));
  } catch (const dnnl::error& e) {
    st.SkipWithError(e.what());
  }
  dnnl::set_primitive_cache_capacity(saved);
}

void BM_DnnlMatmulCreate(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  TimeCreation(st, [&](const dnnl::engine& eng) {
    memory::desc a_md({m, k}, DT::f32, Tag::ab), b_md({k, n}, DT::f32, Tag::any), c_md({m, n}, DT::f32, Tag::ab);
    return dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, b_md, c_md), eng));
  });
}

void BM_DnnlConvCreate(benchmark::State& st) {
  const int64_t batch = st.range(0), ks = st.range(1), cin = st.range(2), pad = (ks - 1) / 2;
  TimeCreation(st, [&](const dnnl::engine& eng) {
    memory::desc src_md({batch, cin, kConvHW, kConvHW}, DT::f32, Tag::nhwc);
    memory::desc dst_md({batch, kConvOut, kConvHW, kConvHW}, DT::f32, Tag::nhwc);
    memory::desc w_any({kConvOut, cin, ks, ks}, DT::f32, Tag::any);
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                      src_md, w_any, dst_md, {1, 1}, {pad, pad}, {pad, pad});
    return dnnl::convolution_forward(dnnl::convolution_forward::primitive_desc(d, eng));
  });
}

void MatmulArgs(benchmark::internal::Benchmark* b) {
  for (const auto& s : GemmShapes())
    for (int64_t packed : {0, 1}) b->Args({s[0], s[1], s[2], packed});
}

BENCHMARK(BM_DnnlSgemm)->Apply(GemmArgs);
BENCHMARK(BM_DnnlMatmul)->Apply(MatmulArgs);
BENCHMARK(BM_DnnlConv)->Apply(ConvArgs);
BENCHMARK(BM_DnnlMatmulCreate)->Apply(GemmArgs);
BENCHMARK(BM_DnnlConvCreate)->Apply(ConvArgs);

}  // namespace
