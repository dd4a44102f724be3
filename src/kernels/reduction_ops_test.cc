// Reductions, ArgMax/ArgMin, Cumsum/Cumprod, TopKV2, InTopKV2: hand-derived values.
#include <cmath>
#include <limits>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, std::move(s)); }
Tensor I(std::vector<int32_t> v, Shape s) { return Tensor::FromVector<int32_t>(v, std::move(s)); }
Tensor L(std::vector<int64_t> v, Shape s) { return Tensor::FromVector<int64_t>(v, std::move(s)); }

Tensor Reduce(const std::string& op, Tensor in, Tensor axes, bool keep = false) {
  auto r = KernelTester(op).Attr("keep_dims", keep).Input(std::move(in)).Input(std::move(axes)).Run();
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->at(0) : Tensor();
}

// x = [[1,2,3],[4,5,6]]
Tensor X() { return F({1, 2, 3, 4, 5, 6}, Shape{2, 3}); }

TEST(ReductionTest, SumAxesAndKeepDims) {
  ExpectTensorEq(Reduce("Sum", X(), I({0}, Shape{1})), F({5, 7, 9}, Shape{3}));
  ExpectTensorEq(Reduce("Sum", X(), I({1}, Shape{})), F({6, 15}, Shape{2}));
  ExpectTensorEq(Reduce("Sum", X(), I({-1}, Shape{1}), true), F({6, 15}, Shape{2, 1}));
  ExpectTensorEq(Reduce("Sum", X(), I({0, 1}, Shape{2})), F({21}, Shape{}));
  ExpectTensorEq(Reduce("Sum", X(), I({0, -1}, Shape{2}), true), F({21}, Shape{1, 1}));
  // Empty axes list reduces nothing.
  ExpectTensorEq(Reduce("Sum", X(), I({}, Shape{0})), X());
  EXPECT_FALSE(KernelTester("Sum").Input(X()).Input(I({2}, Shape{1})).Run().ok());
  EXPECT_FALSE(KernelTester("Sum").Input(X()).Input(I({-3}, Shape{1})).Run().ok());
}

TEST(ReductionTest, NonAdjacentAxes) {
  // x[a,b,c] = 100a + 10b + c over [2,3,2]; reduce axes {0,2} -> per b: sum_a,c.
  std::vector<float> v;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 2; ++c) v.push_back(100 * a + 10 * b + c);
  // For b: sum over a,c of (100a + 10b + c) = 200 + 40b + 2 = 202 + 40b.
  ExpectTensorEq(Reduce("Sum", F(v, Shape{2, 3, 2}), I({0, 2}, Shape{2})), F({202, 242, 282}, Shape{3}));
  ExpectTensorEq(Reduce("Max", F(v, Shape{2, 3, 2}), I({2, 0}, Shape{2})), F({101, 111, 121}, Shape{3}));
  ExpectTensorEq(Reduce("Min", F(v, Shape{2, 3, 2}), L({1}, Shape{1})), F({0, 1, 100, 101}, Shape{2, 2}));
}

TEST(ReductionTest, ProdMeanMaxMin) {
  ExpectTensorEq(Reduce("Prod", X(), I({1}, Shape{1})), F({6, 120}, Shape{2}));
  ExpectTensorEq(Reduce("Mean", X(), I({0}, Shape{1})), F({2.5f, 3.5f, 4.5f}, Shape{3}));
  // Integer mean divides with truncation: (1+2)/2 = 1, (-1-2)/2 = -1.
  ExpectTensorEq(Reduce("Mean", I({1, 2, -1, -2}, Shape{2, 2}), I({1}, Shape{1})), I({1, -1}, Shape{2}));
  ExpectTensorEq(Reduce("Max", X(), I({1}, Shape{1})), F({3, 6}, Shape{2}));
  ExpectTensorEq(Reduce("Min", I({5, -3, 7}, Shape{3}), I({0}, Shape{})), I({-3}, Shape{}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  ExpectTensorEq(Reduce("Max", F({1, nan, 3}, Shape{3}), I({0}, Shape{})), F({nan}, Shape{}));
  ExpectTensorNear(Reduce("EuclideanNorm", F({3, 4}, Shape{2}), I({0}, Shape{})), F({5}, Shape{}));
}

TEST(ReductionTest, EmptyReductionsGiveIdentities) {
  Tensor e = F({}, Shape{0, 2});
  ExpectTensorEq(Reduce("Sum", e, I({0}, Shape{1})), F({0, 0}, Shape{2}));
  ExpectTensorEq(Reduce("Prod", e, I({0}, Shape{1})), F({1, 1}, Shape{2}));
  const float inf = std::numeric_limits<float>::infinity();
  ExpectTensorEq(Reduce("Max", e, I({0}, Shape{1})), F({-inf, -inf}, Shape{2}));
  ExpectTensorEq(Reduce("Min", e, I({0}, Shape{1})), F({inf, inf}, Shape{2}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  ExpectTensorEq(Reduce("Mean", e, I({0}, Shape{1})), F({nan, nan}, Shape{2}));
  ExpectTensorEq(Reduce("Sum", e, I({1}, Shape{1})), F({}, Shape{0}));
}

TEST(ReductionTest, AllAny) {
  Tensor b(DType::kBool, Shape{2, 2});
  bool vals[] = {true, false, true, true};
  for (int i = 0; i < 4; ++i) b.data<bool>()[i] = vals[i];
  Tensor all = Reduce("All", b, I({1}, Shape{1}));
  EXPECT_FALSE(all.data<bool>()[0]);
  EXPECT_TRUE(all.data<bool>()[1]);
  Tensor any = Reduce("Any", b, I({0}, Shape{1}));
  EXPECT_TRUE(any.data<bool>()[0]);
  EXPECT_TRUE(any.data<bool>()[1]);
  EXPECT_TRUE(Reduce("All", Tensor(DType::kBool, Shape{0}), I({0}, Shape{1})).data<bool>()[0]);
  EXPECT_FALSE(Reduce("Any", Tensor(DType::kBool, Shape{0}), I({0}, Shape{1})).data<bool>()[0]);
}

TEST(ReductionTest, LargeSumsMatchClosedForm) {
  // sum_{i<n} (i % 7) for n = 300000: 42857 full cycles of 21 plus remainder 0..0 (300000 = 7*42857 + 1).
  const int n = 300000;
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i % 7);
  ExpectTensorNear(Reduce("Sum", F(v, Shape{n}), I({0}, Shape{})), F({42857.f * 21}, Shape{}), 0, 1e-6);
  // Column sums of a [1000, 300] matrix of ones.
  ExpectTensorEq(Reduce("Sum", F(std::vector<float>(300000, 1.f), Shape{1000, 300}), I({0}, Shape{1})),
                 F(std::vector<float>(300, 1000.f), Shape{300}));
}

TEST(ArgMaxTest, TiesAxisAndOutputType) {
  Tensor x = F({1, 3, 3, 0, 5, 2, 5, 1}, Shape{2, 4});
  auto r = KernelTester("ArgMax").Input(x).Input(I({1}, Shape{})).Run();
  ASSERT_TRUE(r.ok());
  ExpectTensorEq(r->at(0), L({1, 0}, Shape{2}));  // ties -> smallest index; default int64
  r = KernelTester("ArgMax").Attr("output_type", DType::kInt32).Input(x).Input(I({0}, Shape{})).Run();
  ExpectTensorEq(r->at(0), I({1, 0, 1, 1}, Shape{4}));  // column maxima rows: 5>1, 3>2, 5>3, 1>0
  r = KernelTester("ArgMin").Input(x).Input(L({-1}, Shape{})).Run();
  ExpectTensorEq(r->at(0), L({3, 3}, Shape{2}));
  auto e = KernelTester("ArgMax").Input(F({}, Shape{2, 0})).Input(I({1}, Shape{})).Run();
  EXPECT_FALSE(e.ok());
  EXPECT_FALSE(KernelTester("ArgMax").Input(x).Input(I({2}, Shape{})).Run().ok());
}

TEST(CumTest, ExclusiveReverse) {
  Tensor x = F({1, 2, 3, 4}, Shape{4});
  auto run = [&](const char* op, bool ex, bool rev) {
    auto r = KernelTester(op).Attr("exclusive", ex).Attr("reverse", rev).Input(x).Input(I({0}, Shape{})).Run();
    EXPECT_TRUE(r.ok());
    return r->at(0);
  };
  ExpectTensorEq(run("Cumsum", false, false), F({1, 3, 6, 10}, Shape{4}));
  ExpectTensorEq(run("Cumsum", true, false), F({0, 1, 3, 6}, Shape{4}));
  ExpectTensorEq(run("Cumsum", false, true), F({10, 9, 7, 4}, Shape{4}));
  ExpectTensorEq(run("Cumsum", true, true), F({9, 7, 4, 0}, Shape{4}));
  ExpectTensorEq(run("Cumprod", false, false), F({1, 2, 6, 24}, Shape{4}));
  ExpectTensorEq(run("Cumprod", true, false), F({1, 1, 2, 6}, Shape{4}));
  auto r = KernelTester("Cumsum").Input(I({1, 2, 3, 4}, Shape{2, 2})).Input(I({0}, Shape{})).Run();
  ExpectTensorEq(r->at(0), I({1, 2, 4, 6}, Shape{2, 2}));
}

TEST(TopKTest, SortedWithTies) {
  auto r = KernelTester("TopKV2").Input(F({1, 5, 3, 5, 2, 9, 9, 0}, Shape{2, 4})).Input(I({2}, Shape{})).Run(2);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({5, 5, 9, 9}, Shape{2, 2}));
  ExpectTensorEq(r->at(1), I({1, 3, 1, 2}, Shape{2, 2}));  // ties: lower index first
  r = KernelTester("TopKV2").Input(F({3, 1, 2}, Shape{3})).Input(I({3}, Shape{})).Run(2);
  ExpectTensorEq(r->at(0), F({3, 2, 1}, Shape{3}));
  ExpectTensorEq(r->at(1), I({0, 2, 1}, Shape{3}));
  EXPECT_FALSE(KernelTester("TopKV2").Input(F({3, 1}, Shape{2})).Input(I({3}, Shape{})).Run(2).ok());
}

TEST(InTopKTest, CountsStrictlyLarger) {
  auto r = KernelTester("InTopKV2").Input(F({0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f}, Shape{2, 3}))
               .Input(I({0, 1}, Shape{2})).Input(I({1}, Shape{})).Run();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->at(0).data<bool>()[0]);  // 0.1 < 0.8
  EXPECT_FALSE(r->at(0).data<bool>()[1]);  // 0.4 > 0.3
  r = KernelTester("InTopKV2").Input(F({0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f}, Shape{2, 3}))
          .Input(I({2, 0}, Shape{2})).Input(I({2}, Shape{})).Run();
  EXPECT_TRUE(r->at(0).data<bool>()[0]);   // one larger value (0.8), tie with 0.1 not counted
  EXPECT_TRUE(r->at(0).data<bool>()[1]);
}

}  // namespace
}  // namespace stfs::kernels
