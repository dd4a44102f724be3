// Conv2D and MatMul kernels end to end (registry kernel, our thread pool):
// 3x3 SAME on [1,32,32,3] and [32,32,32,3] -> 32 channels, a 1x1 conv, and the
// MatMul shapes. Arg 1 = use the default pool (all cores), 0 = single thread.
// BM_Conv2DOurs1T is the single-threaded row of the backend comparison with
// oneDNN/XNNPACK (docs/kernels-gemm.md): random operands, checked against the
// naive reference once, and the whole timing loop runs on a pool worker so
// ParallelFor is inline and Google Benchmark's CPU time is that thread's.
#include <benchmark/benchmark.h>

#include <latch>
#include <vector>

#include "bench_ref.h"
#include "exec/op_kernel.h"
#include "kernels/registry.h"

namespace {

using namespace stfs;  // NOLINT

struct Runner {
  std::unique_ptr<OpKernel> kernel;
  OpContext ctx;
  ThreadPool single{1};
  Runner(const char* op, const AttrMap& attrs, std::vector<Tensor> inputs, bool threaded) {
    std::vector<DType> dts;
    for (auto& t : inputs) dts.push_back(t.dtype());
    KernelInit init{"bench", op, attrs, dts, {}, 1};
    kernel = std::move(kernels::FindKernel(op)->create(init)).value();
    ctx.inputs_ = std::move(inputs);
    ctx.outputs_.resize(1);
    ctx.op_ = op;
    ctx.thread_pool_ = ThreadPool::Default();
    threaded_ = threaded;
  }
  void Run(benchmark::State& st) {
    for (auto _ : st) {
      Status s;
      if (threaded_) {
        s = kernel->Compute(&ctx);
      } else {
        // Single-threaded: ParallelFor runs inline on a pool worker thread.
        std::latch done(1);
        single.Schedule([&] { s = kernel->Compute(&ctx); done.count_down(); });
        done.wait();
      }
      if (!s.ok()) st.SkipWithError(s.ToString().c_str());
    }
  }
  // Runs the whole benchmark loop on the single-thread pool's worker.
  void RunLoopOnWorker(benchmark::State& st) {
    std::latch done(1);
    single.Schedule([&] {
      for (auto _ : st) {
        Status s = kernel->Compute(&ctx);
        if (!s.ok()) {
          st.SkipWithError(s.ToString().c_str());
          break;
        }
      }
      done.count_down();
    });
    done.wait();
  }
  bool threaded_ = true;
};

Tensor Filled(Shape s, float v) {
  Tensor t(DType::kFloat, std::move(s));
  for (auto& x : t.flat<float>()) x = v;
  return t;
}

AttrValue IntList(std::vector<int64_t> v) { AttrValue a; a.kind = AttrValue::Kind::kList; a.list_i = v; return a; }
AttrValue Str(const char* s) { AttrValue a; a.kind = AttrValue::Kind::kString; a.s = s; return a; }

void BM_Conv2D(benchmark::State& st) {
  const int64_t n = st.range(0), k = st.range(1), cin = st.range(2);
  AttrMap attrs;
  attrs.Set("strides", IntList({1, 1, 1, 1}));
  attrs.Set("padding", Str("SAME"));
  Runner r("Conv2D", attrs, {Filled(Shape{n, 32, 32, cin}, 0.5f), Filled(Shape{k, k, cin, 32}, 0.25f)}, st.range(3));
  r.Run(st);
  st.counters["GFLOPS"] = benchmark::Counter(2.0 * n * 32 * 32 * 32 * k * k * cin,
                                             benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}
// {batch, kernel size, in channels, threaded}
BENCHMARK(BM_Conv2D)->Args({1, 3, 3, 0})->Args({1, 3, 3, 1})->Args({32, 3, 3, 0})->Args({32, 3, 3, 1})
    ->Args({1, 1, 32, 0})->Args({32, 1, 32, 1})->UseRealTime();

void BM_Conv2DOurs1T(benchmark::State& st) {
  const int64_t n = st.range(0), k = st.range(1), cin = st.range(2);
  const auto in = bench::Random(n * bench::kConvHW * bench::kConvHW * cin, 3);
  const auto filter = bench::Random(k * k * cin * bench::kConvOut, 4);
  Tensor tin(DType::kFloat, Shape{n, bench::kConvHW, bench::kConvHW, cin});
  Tensor tfilter(DType::kFloat, Shape{k, k, cin, bench::kConvOut});
  std::copy(in.begin(), in.end(), tin.flat<float>().begin());
  std::copy(filter.begin(), filter.end(), tfilter.flat<float>().begin());
  AttrMap attrs;
  attrs.Set("strides", IntList({1, 1, 1, 1}));
  attrs.Set("padding", Str("SAME"));
  Runner r("Conv2D", attrs, {std::move(tin), std::move(tfilter)}, false);
  Status s = r.kernel->Compute(&r.ctx);
  if (!s.ok()) return st.SkipWithError(s.ToString().c_str());
  if (!bench::CheckClose(st, r.ctx.outputs_[0].data<float>(), bench::NaiveConv(in, filter, n, k, cin), k * k * cin)) {
    return;
  }
  r.RunLoopOnWorker(st);
  bench::SetConvFlops(st, n, k, cin);
}
BENCHMARK(BM_Conv2DOurs1T)->Apply(bench::ConvArgs);

void BM_MatMul(benchmark::State& st) {
  const int64_t m = st.range(0), k = st.range(1), n = st.range(2);
  AttrMap attrs;
  Runner r("MatMul", attrs, {Filled(Shape{m, k}, 0.5f), Filled(Shape{k, n}, 0.25f)}, st.range(3));
  r.Run(st);
  st.counters["GFLOPS"] = benchmark::Counter(2.0 * m * k * n, benchmark::Counter::kIsIterationInvariantRate,
                                             benchmark::Counter::kIs1000);
}
BENCHMARK(BM_MatMul)->Args({1, 9, 128, 1})->Args({32, 9, 128, 1})->Args({256, 128, 32, 1})->Args({1, 784, 128, 1})
    ->Args({64, 512, 512, 0})->Args({64, 512, 512, 1})->UseRealTime();

}  // namespace
