// Conv2D and DepthwiseConv2dNative against a direct convolution written from
// TF's definition (NHWC input, HWIO / HWCM filter, SAME/VALID/EXPLICIT padding,
// strides, dilations), over random inputs and a sweep of shapes. The reference
// loops over every output element and filter tap, so it shares no code with the
// kernels' im2col / tap-range logic. Hand-worked small cases are in nn_ops_test.cc.
#include <latch>
#include <random>
#include <string>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::KernelTester;

struct Case {
  int64_t n, h, w, c;         // input NHWC
  int64_t kh, kw, out;        // filter window and output channels (Conv2D) or multiplier (depthwise)
  int64_t sh, sw, dh, dw;     // strides and dilations
  std::string padding;        // SAME, VALID or EXPLICIT
  int64_t pt = 0, pb = 0, pl = 0, pr = 0;  // EXPLICIT paddings
  std::string Name() const {
    return "in[" + std::to_string(n) + "," + std::to_string(h) + "," + std::to_string(w) + "," + std::to_string(c) +
           "] k" + std::to_string(kh) + "x" + std::to_string(kw) + " out" + std::to_string(out) + " s" +
           std::to_string(sh) + "," + std::to_string(sw) + " d" + std::to_string(dh) + "," + std::to_string(dw) +
           " " + padding;
  }
};

// One spatial dim per TF's conv_ops size rules; out < 0 means "invalid".
struct Dim {
  int64_t out, pad_before;
};
Dim OutDim(int64_t in, int64_t k, int64_t s, int64_t d, const std::string& padding, int64_t pb, int64_t pa) {
  const int64_t eff = (k - 1) * d + 1;
  if (padding == "SAME") {
    const int64_t out = (in + s - 1) / s;  // ceil(in / s)
    const int64_t total = std::max<int64_t>((out - 1) * s + eff - in, 0);
    return {out, total / 2};  // odd pixel goes after
  }
  if (padding == "VALID") pb = pa = 0;
  // TF's integer formula as written (C++ division truncates: -1/2 == 0 is an empty output, not an error).
  return {(in + pb + pa - eff + s) / s, pb};
}

std::vector<float> Random(size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> v(size);
  for (auto& x : v) x = u(rng);
  return v;
}

// Direct convolution in double. depthwise: out channel c*M+m reads only input
// channel c with filter[i][j][c][m]; otherwise out[o] = sum_c in[c] * filter[i][j][c][o].
std::vector<double> Reference(const Case& t, const std::vector<float>& in, const std::vector<float>& f, bool depthwise,
                              int64_t oh, int64_t ow, int64_t pad_t, int64_t pad_l) {
  const int64_t oc = depthwise ? t.c * t.out : t.out;
  std::vector<double> out(t.n * oh * ow * oc, 0.0);
  for (int64_t b = 0; b < t.n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t o = 0; o < oc; ++o) {
          double acc = 0;
          for (int64_t i = 0; i < t.kh; ++i)
            for (int64_t j = 0; j < t.kw; ++j) {
              const int64_t iy = y * t.sh - pad_t + i * t.dh, ix = x * t.sw - pad_l + j * t.dw;
              if (iy < 0 || iy >= t.h || ix < 0 || ix >= t.w) continue;  // zero padding
              const float* px = &in[((b * t.h + iy) * t.w + ix) * t.c];
              if (depthwise) {
                const int64_t c = o / t.out, m = o % t.out;
                acc += double(px[c]) * f[((i * t.kw + j) * t.c + c) * t.out + m];
              } else {
                for (int64_t c = 0; c < t.c; ++c) acc += double(px[c]) * f[((i * t.kw + j) * t.c + c) * t.out + o];
              }
            }
          out[((b * oh + y) * ow + x) * oc + o] = acc;
        }
  return out;
}

template <class T>
Tensor Make(const std::vector<float>& v, Shape s) {
  std::vector<T> typed(v.size());
  for (size_t i = 0; i < v.size(); ++i) typed[i] = T(v[i]);
  return Tensor::FromVector<T>(typed, std::move(s));
}

// Rounds through T so the reference sees the same (quantized) operands.
template <class T>
std::vector<float> RoundTrip(std::vector<float> v) {
  for (auto& x : v) x = static_cast<float>(T(x));
  return v;
}

// Runs the op on `t` with element type T and checks every output against the
// reference: |got - want| <= tol * (1 + |want|).
template <class T>
void Check(const Case& t, bool depthwise, double tol, unsigned seed, bool on_worker = false) {
  SCOPED_TRACE((depthwise ? "DepthwiseConv2dNative " : "Conv2D ") + t.Name());
  const std::vector<float> in = RoundTrip<T>(Random(t.n * t.h * t.w * t.c, seed));
  const std::vector<float> f = RoundTrip<T>(Random(t.kh * t.kw * t.c * t.out, seed + 1000));
  const Dim dy = OutDim(t.h, t.kh, t.sh, t.dh, t.padding, t.pt, t.pb);
  const Dim dx = OutDim(t.w, t.kw, t.sw, t.dw, t.padding, t.pl, t.pr);
  KernelTester k(depthwise ? "DepthwiseConv2dNative" : "Conv2D");
  k.Attr("padding", t.padding)
      .Attr("strides", std::vector<int64_t>{1, t.sh, t.sw, 1})
      .Attr("dilations", std::vector<int64_t>{1, t.dh, t.dw, 1})
      .Input(Make<T>(in, Shape{t.n, t.h, t.w, t.c}))
      .Input(Make<T>(f, Shape{t.kh, t.kw, t.c, t.out}));
  if (t.padding == "EXPLICIT") k.Attr("explicit_paddings", std::vector<int64_t>{0, 0, t.pt, t.pb, t.pl, t.pr, 0, 0});
  StatusOr<std::vector<Tensor>> r = NotFound("not run");
  if (on_worker) {  // ParallelFor runs inline on a pool worker: one-chunk path
    ThreadPool pool(1);
    std::latch done(1);
    pool.Schedule([&] {
      r = k.Run();
      done.count_down();
    });
    done.wait();
  } else {
    r = k.Run();
  }
  if (dy.out < 0 || dx.out < 0) {
    EXPECT_FALSE(r.ok()) << "window larger than the padded input must fail";
    return;
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const int64_t oc = depthwise ? t.c * t.out : t.out;
  const Tensor& got = r->at(0);
  ASSERT_EQ(got.dtype(), DTypeOf<T>::value);
  ASSERT_EQ(got.shape(), (Shape{t.n, dy.out, dx.out, oc}));
  const std::vector<double> want = Reference(t, in, f, depthwise, dy.out, dx.out, dy.pad_before, dx.pad_before);
  double max_err = 0;
  int64_t worst = -1;
  for (size_t i = 0; i < want.size(); ++i) {
    const T g = got.data<T>()[i];
    double gd;
    if constexpr (std::is_floating_point_v<T>) gd = g;
    else gd = static_cast<float>(g);
    const double e = std::abs(gd - want[i]) / (1 + std::abs(want[i]));
    if (!(e <= max_err)) {
      max_err = e;
      worst = i;
    }
  }
  EXPECT_LE(max_err, tol) << "at flat index " << worst << " want " << want[worst];
}

std::vector<Case> Sweep(bool depthwise) {
  std::vector<Case> cases;
  const int64_t kernels[][2] = {{1, 1}, {3, 3}, {5, 5}, {2, 3}};
  const char* paddings[] = {"SAME", "VALID", "EXPLICIT"};
  for (int64_t c : {1, 3, 5})
    for (const auto& kk : kernels)
      for (int64_t s : {1, 2})
        for (int64_t d : {1, 2})
          for (const char* p : paddings)
            for (int64_t n : {1, 3}) {
              // Odd sizes; batch 3 uses a narrow image so 5x5 dilated VALID windows overflow it.
              Case t{n, n == 1 ? 9 : 7, n == 1 ? 11 : 5, c, kk[0], kk[1], depthwise ? 2 : 4, s, s, d, d, p};
              if (t.padding == "EXPLICIT") t.pt = 1, t.pb = 2, t.pl = 2, t.pr = 0;  // asymmetric
              cases.push_back(t);
            }
  // Mixed per-dim strides and dilations.
  cases.push_back({2, 9, 8, 3, 3, 2, depthwise ? 1 : 6, 2, 1, 1, 2, "SAME"});
  cases.push_back({1, 10, 13, 5, 2, 3, depthwise ? 3 : 7, 1, 3, 2, 1, "VALID"});
  cases.push_back({3, 6, 7, 2, 3, 3, depthwise ? 1 : 5, 3, 2, 2, 3, "EXPLICIT", 0, 3, 4, 1});
  return cases;
}

TEST(Conv2DSweepTest, MatchesDirectConvolution) {
  unsigned seed = 1;
  for (const Case& t : Sweep(false)) Check<float>(t, false, 1e-4, seed++);
}

TEST(Conv2DSweepTest, SingleThreadOnPoolWorker) {
  unsigned seed = 500;
  for (const Case& t : Sweep(false)) {
    if (t.n == 3) Check<float>(t, false, 1e-4, seed++, /*on_worker=*/true);
  }
}

TEST(Conv2DSweepTest, ManyChunksAndThreads) {
  // k = 5*5*64 = 1600 caps a chunk at 40 rows (256 KB scratch), so 2697 output
  // rows run as many chunks per thread, each reusing the thread's scratch.
  const Case t{3, 31, 29, 64, 5, 5, 8, 1, 1, 1, 1, "SAME"};
  Check<float>(t, false, 1e-4, 77);
  Check<float>(t, false, 1e-4, 78, /*on_worker=*/true);
  Check<float>({2, 33, 17, 3, 3, 3, 32, 2, 1, 2, 1, "EXPLICIT", 2, 1, 0, 3}, false, 1e-4, 79);
}

TEST(Conv2DSweepTest, OtherDTypes) {
  const Case t{2, 9, 7, 3, 3, 3, 4, 2, 1, 1, 2, "SAME"};
  const Case pointwise{3, 5, 7, 5, 1, 1, 4, 1, 1, 1, 1, "VALID"};
  Check<double>(t, false, 1e-12, 90);
  Check<double>(pointwise, false, 1e-12, 91);
  // Accumulated in float, rounded once to the 16-bit output (2^-11 / 2^-8 relative).
  Check<Half>(t, false, 1e-3, 92);
  Check<BFloat16>(t, false, 8e-3, 93);
  Check<Half>(pointwise, false, 1e-3, 94);
}

TEST(DepthwiseSweepTest, MatchesDirectConvolution) {
  unsigned seed = 2000;
  for (const Case& t : Sweep(true)) Check<float>(t, true, 1e-4, seed++);
  Check<float>({2, 19, 23, 16, 3, 3, 1, 1, 1, 1, 1, "SAME"}, true, 1e-4, seed++);
  Check<float>({1, 12, 12, 8, 3, 3, 1, 2, 2, 1, 1, "SAME"}, true, 1e-4, seed++, /*on_worker=*/true);
  Check<double>({2, 9, 7, 3, 3, 3, 2, 2, 1, 1, 2, "SAME"}, true, 1e-12, seed++);
  Check<Half>({2, 9, 7, 3, 3, 3, 1, 1, 1, 1, 1, "VALID"}, true, 1e-3, seed++);
}

}  // namespace
}  // namespace stfs::kernels
