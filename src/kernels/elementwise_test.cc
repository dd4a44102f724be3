// Elementwise kernels: expected values derived by hand from TF's op definitions.
#include <cmath>
#include <limits>
#include <string>

#include "kernels/broadcast.h"
#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

template <class T>
Tensor V(std::vector<T> v, Shape s) { return Tensor::FromVector<T>(v, std::move(s)); }
Tensor F(std::vector<float> v, Shape s) { return V<float>(std::move(v), std::move(s)); }
Tensor I(std::vector<int32_t> v, Shape s) { return V<int32_t>(std::move(v), std::move(s)); }
Tensor B(std::vector<bool> v, Shape s) {
  Tensor t(DType::kBool, std::move(s));
  for (size_t i = 0; i < v.size(); ++i) t.data<bool>()[i] = v[i];
  return t;
}

Tensor Run2(const std::string& op, Tensor a, Tensor b) {
  auto out = KernelTester(op).Input(std::move(a)).Input(std::move(b)).Run();
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->at(0) : Tensor();
}
Tensor Run1(const std::string& op, Tensor a) {
  auto out = KernelTester(op).Input(std::move(a)).Run();
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->at(0) : Tensor();
}

TEST(BroadcastTest, ShapesAndPlan) {
  EXPECT_EQ(BroadcastShapes(Shape{2, 1, 3}, Shape{4, 1})->ToString(), "[2,4,3]");
  EXPECT_EQ(BroadcastShapes(Shape{}, Shape{5})->ToString(), "[5]");
  EXPECT_EQ(BroadcastShapes(Shape{0, 3}, Shape{1, 3})->ToString(), "[0,3]");
  EXPECT_FALSE(BroadcastShapes(Shape{2, 3}, Shape{4}).ok());
  const Shape same[2] = {Shape{2, 3, 4}, Shape{2, 3, 4}};
  auto plan = MakeBroadcastPlan(same);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->dims, std::vector<int64_t>({24}));  // merged into one row
  const Shape bias[2] = {Shape{2, 3, 4}, Shape{4}};
  plan = MakeBroadcastPlan(bias);
  EXPECT_EQ(plan->dims, std::vector<int64_t>({6, 4}));
  EXPECT_EQ(plan->strides[1], std::vector<int64_t>({0, 1}));
}

TEST(BinaryTest, AddBroadcast213With41) {
  // [2,1,3] + [4,1] -> [2,4,3]: out[i,j,k] = a[i,0,k] + b[j,0].
  Tensor a = F({1, 2, 3, 10, 20, 30}, Shape{2, 1, 3});
  Tensor b = F({100, 200, 300, 400}, Shape{4, 1});
  std::vector<float> want;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 3; ++k) want.push_back((i ? 10.f : 1.f) * (k + 1) + 100.f * (j + 1));
  ExpectTensorEq(Run2("AddV2", a, b), F(want, Shape{2, 4, 3}));
  ExpectTensorEq(Run2("Add", b, a), F(want, Shape{2, 4, 3}));  // commutes
}

TEST(BinaryTest, ScalarAndEmpty) {
  ExpectTensorEq(Run2("Mul", F({1, 2, 3}, Shape{3}), F({2}, Shape{})), F({2, 4, 6}, Shape{3}));
  ExpectTensorEq(Run2("Sub", F({10}, Shape{}), F({1, 2}, Shape{2})), F({9, 8}, Shape{2}));
  // A one-element tensor of higher rank broadcasts the output up.
  ExpectTensorEq(Run2("Mul", F({3}, Shape{}), F({2}, Shape{1, 1})), F({6}, Shape{1, 1}));
  ExpectTensorEq(Run2("AddV2", F({}, Shape{0, 3}), F({1, 2, 3}, Shape{3})), F({}, Shape{0, 3}));
  EXPECT_FALSE(KernelTester("AddV2").Input(F({1, 2}, Shape{2})).Input(F({1, 2, 3}, Shape{3})).Run().ok());
  EXPECT_FALSE(KernelTester("AddV2").Input(F({1}, Shape{1})).Input(I({1}, Shape{1})).Run().ok());
}

TEST(BinaryTest, GeneralBroadcastInnerScalar) {
  // [3,1] * [1,2]: outer product.
  ExpectTensorEq(Run2("Mul", F({1, 2, 3}, Shape{3, 1}), F({10, 100}, Shape{1, 2})),
                 F({10, 100, 20, 200, 30, 300}, Shape{3, 2}));
  // [2,3] - [2,1]: row-wise subtraction.
  ExpectTensorEq(Run2("Sub", F({1, 2, 3, 4, 5, 6}, Shape{2, 3}), F({1, 4}, Shape{2, 1})),
                 F({0, 1, 2, 0, 1, 2}, Shape{2, 3}));
}

TEST(BinaryTest, LargeParallelAdd) {
  const int n = 1 << 18;
  std::vector<float> a(n), b(n), want(n);
  for (int i = 0; i < n; ++i) { a[i] = i; b[i] = 2 * i; want[i] = 3.f * i; }
  ExpectTensorEq(Run2("AddV2", F(a, Shape{n}), F(b, Shape{n})), F(want, Shape{n}));
}

TEST(BinaryTest, StringAdd) {
  Tensor a = V<std::string>({"a", "b"}, Shape{2});
  Tensor b = V<std::string>({"x"}, Shape{});
  ExpectTensorEq(Run2("Add", a, b), V<std::string>({"ax", "bx"}, Shape{2}));
  EXPECT_FALSE(KernelTester("AddV2").Input(a).Input(b).Run().ok());
}

TEST(BinaryTest, IntegerDivisionSemantics) {
  Tensor x = I({-7, 7, -7, 7}, Shape{4});
  Tensor y = I({2, 2, -2, -2}, Shape{4});
  ExpectTensorEq(Run2("Div", x, y), I({-3, 3, 3, -3}, Shape{4}));         // C truncation
  ExpectTensorEq(Run2("TruncateDiv", x, y), I({-3, 3, 3, -3}, Shape{4}));
  ExpectTensorEq(Run2("FloorDiv", x, y), I({-4, 3, 3, -4}, Shape{4}));    // toward -inf
  ExpectTensorEq(Run2("FloorMod", x, y), I({1, 1, -1, -1}, Shape{4}));    // sign of divisor
  ExpectTensorEq(Run2("TruncateMod", x, y), I({-1, 1, -1, 1}, Shape{4})); // sign of dividend
  ExpectTensorEq(Run2("FloorDiv", I({-6}, Shape{}), I({2}, Shape{})), I({-3}, Shape{}));  // exact
  // INT_MIN / -1 wraps instead of trapping.
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  ExpectTensorEq(Run2("Div", I({kMin}, Shape{1}), I({-1}, Shape{1})), I({kMin}, Shape{1}));
  for (const char* op : {"Div", "FloorDiv", "FloorMod", "TruncateMod", "TruncateDiv"}) {
    auto r = KernelTester(op).Input(I({1, 2}, Shape{2})).Input(I({1, 0}, Shape{2})).Run();
    ASSERT_FALSE(r.ok()) << op;
    EXPECT_NE(r.status().message().find("division by zero"), std::string::npos) << r.status().ToString();
  }
  // Float FloorMod / FloorDiv.
  ExpectTensorNear(Run2("FloorMod", F({-7, 7, 7.5f}, Shape{3}), F({2, -2, 2}, Shape{3})),
                   F({1, -1, 1.5f}, Shape{3}));
  ExpectTensorEq(Run2("FloorDiv", F({-7, 7}, Shape{2}), F({2, 2}, Shape{2})), F({-4, 3}, Shape{2}));
  ExpectTensorEq(Run2("Div", F({-7}, Shape{1}), F({2}, Shape{1})), F({-3.5f}, Shape{1}));
}

TEST(BinaryTest, IntegerOverflowWraps) {
  const int32_t kMax = std::numeric_limits<int32_t>::max();
  ExpectTensorEq(Run2("AddV2", I({kMax}, Shape{1}), I({1}, Shape{1})),
                 I({std::numeric_limits<int32_t>::min()}, Shape{1}));
  ExpectTensorEq(Run2("Mul", V<uint8_t>({200}, Shape{1}), V<uint8_t>({2}, Shape{1})), V<uint8_t>({144}, Shape{1}));
  ExpectTensorEq(Run2("Mul", V<int64_t>({3}, Shape{1}), V<int64_t>({-4}, Shape{1})), V<int64_t>({-12}, Shape{1}));
}

TEST(BinaryTest, MaximumMinimumNaN) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor a = F({1, nan, 3, -1}, Shape{4});
  Tensor b = F({2, 1, nan, -2}, Shape{4});
  ExpectTensorEq(Run2("Maximum", a, b), F({2, nan, nan, -1}, Shape{4}));
  ExpectTensorEq(Run2("Minimum", a, b), F({1, nan, nan, -2}, Shape{4}));
  ExpectTensorEq(Run2("Maximum", I({1, 5}, Shape{2}), I({3}, Shape{})), I({3, 5}, Shape{2}));
}

TEST(BinaryTest, PowAndMisc) {
  ExpectTensorEq(Run2("Pow", I({2, 3, -2}, Shape{3}), I({10, 0, 3}, Shape{3})), I({1024, 1, -8}, Shape{3}));
  auto r = KernelTester("Pow").Input(I({2}, Shape{1})).Input(I({-1}, Shape{1})).Run();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("negative integer powers"), std::string::npos);
  ExpectTensorNear(Run2("Pow", F({4, 2}, Shape{2}), F({0.5f, -1}, Shape{2})), F({2, 0.5f}, Shape{2}));
  ExpectTensorEq(Run2("SquaredDifference", F({1, 5}, Shape{2}), F({4, 5}, Shape{2})), F({9, 0}, Shape{2}));
  ExpectTensorEq(Run2("DivNoNan", F({1, 6}, Shape{2}), F({0, 3}, Shape{2})), F({0, 2}, Shape{2}));
  const float inf = std::numeric_limits<float>::infinity();
  ExpectTensorEq(Run2("MulNoNan", F({inf, 2}, Shape{2}), F({0, 3}, Shape{2})), F({0, 6}, Shape{2}));
  ExpectTensorEq(Run2("RealDiv", F({1, -1, 0}, Shape{3}), F({0, 0, 0}, Shape{3})),
                 F({inf, -inf, std::numeric_limits<float>::quiet_NaN()}, Shape{3}));
  EXPECT_FALSE(KernelTester("RealDiv").Input(I({1}, Shape{1})).Input(I({1}, Shape{1})).Run().ok());
}

TEST(BinaryTest, HalfAndDouble) {
  Tensor a(DType::kHalf, Shape{2}), b(DType::kHalf, Shape{2});
  a.data<Half>()[0] = Half(1.5f); a.data<Half>()[1] = Half(-2.f);
  b.data<Half>()[0] = Half(0.25f); b.data<Half>()[1] = Half(4.f);
  Tensor want(DType::kHalf, Shape{2});
  want.data<Half>()[0] = Half(1.75f); want.data<Half>()[1] = Half(2.f);
  ExpectTensorEq(Run2("AddV2", a, b), want);
  ExpectTensorEq(Run2("Mul", V<double>({1.5}, Shape{1}), V<double>({4}, Shape{1})), V<double>({6}, Shape{1}));
}

TEST(BinaryTest, AddN) {
  auto out = KernelTester("AddN").Input(F({1, 2}, Shape{2})).Input(F({10, 20}, Shape{2}))
                 .Input(F({100, 200}, Shape{2})).Run();
  ASSERT_TRUE(out.ok());
  ExpectTensorEq(out->at(0), F({111, 222}, Shape{2}));
  EXPECT_FALSE(KernelTester("AddN").Input(F({1, 2}, Shape{2})).Input(F({1}, Shape{1})).Run().ok());
}

TEST(UnaryTest, BasicMath) {
  ExpectTensorEq(Run1("Neg", I({1, -2}, Shape{2})), I({-1, 2}, Shape{2}));
  ExpectTensorEq(Run1("Abs", F({-1.5f, 2}, Shape{2})), F({1.5f, 2}, Shape{2}));
  ExpectTensorEq(Run1("Square", I({-3}, Shape{1})), I({9}, Shape{1}));
  ExpectTensorNear(Run1("Sqrt", F({4, 2}, Shape{2})), F({2, 1.41421356f}, Shape{2}));
  ExpectTensorNear(Run1("Rsqrt", F({4}, Shape{1})), F({0.5f}, Shape{1}));
  ExpectTensorNear(Run1("Exp", F({0, 1, -1}, Shape{3})), F({1, 2.718281828f, 0.367879441f}, Shape{3}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Log", F({1, 2.718281828f}, Shape{2})), F({0, 1}, Shape{2}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Log1p", F({0, 1}, Shape{2})), F({0, 0.693147181f}, Shape{2}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Expm1", F({0, 1}, Shape{2})), F({0, 1.718281828f}, Shape{2}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Tanh", F({0, 1, -20}, Shape{3})), F({0, 0.761594156f, -1}, Shape{3}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Sigmoid", F({0, 2}, Shape{2})), F({0.5f, 0.880797078f}, Shape{2}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Sin", F({0, 1.57079633f}, Shape{2})), F({0, 1}, Shape{2}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Cos", F({0}, Shape{1})), F({1}, Shape{1}));
  ExpectTensorNear(Run1("Erf", F({0, 1}, Shape{2})), F({0, 0.842700793f}, Shape{2}), 1e-6, 1e-5);
  ExpectTensorNear(Run1("Reciprocal", F({4}, Shape{1})), F({0.25f}, Shape{1}));
  ExpectTensorNear(Run1("Inv", V<double>({-2}, Shape{1})), V<double>({-0.5}, Shape{1}));
}

TEST(UnaryTest, Activations) {
  Tensor x = F({-2, -0.5f, 0, 3, 7}, Shape{5});
  ExpectTensorEq(Run1("Relu", x), F({0, 0, 0, 3, 7}, Shape{5}));
  ExpectTensorEq(Run1("Relu6", x), F({0, 0, 0, 3, 6}, Shape{5}));
  ExpectTensorEq(Run1("Relu", I({-1, 4}, Shape{2})), I({0, 4}, Shape{2}));
  // Elu: exp(x)-1 below 0.
  ExpectTensorNear(Run1("Elu", F({-1, 2}, Shape{2})), F({-0.632120559f, 2}, Shape{2}), 1e-6, 1e-5);
  // Selu: 1.0507*x above 0; 1.0507*1.6733*(exp(x)-1) below.
  ExpectTensorNear(Run1("Selu", F({1, -1}, Shape{2})), F({1.05070099f, -1.11133074f}, Shape{2}), 1e-6, 1e-5);
  auto lr = KernelTester("LeakyRelu").Input(F({-1, 2}, Shape{2})).Run();
  ExpectTensorNear(lr->at(0), F({-0.2f, 2}, Shape{2}));  // default alpha 0.2
  lr = KernelTester("LeakyRelu").Attr("alpha", 0.5f).Input(F({-1, 2}, Shape{2})).Run();
  ExpectTensorNear(lr->at(0), F({-0.5f, 2}, Shape{2}));
  // Softplus = log(1+exp(x)); large x passes through.
  ExpectTensorNear(Run1("Softplus", F({0, 100, -100}, Shape{3})), F({0.693147181f, 100, 3.72007598e-44f}, Shape{3}),
                   1e-6, 1e-5);
  ExpectTensorNear(Run1("Softsign", F({1, -3}, Shape{2})), F({0.5f, -0.75f}, Shape{2}));
}

TEST(UnaryTest, RoundingHalfToEven) {
  Tensor x = F({0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, -2.6f}, Shape{7});
  ExpectTensorEq(Run1("Round", x), F({0, 2, 2, -0.f, -2, 2, -3}, Shape{7}));
  ExpectTensorEq(Run1("Rint", x), F({0, 2, 2, -0.f, -2, 2, -3}, Shape{7}));
  ExpectTensorEq(Run1("Floor", x), F({0, 1, 2, -1, -2, 2, -3}, Shape{7}));
  ExpectTensorEq(Run1("Ceil", x), F({1, 2, 3, -0.f, -1, 3, -2}, Shape{7}));
  ExpectTensorEq(Run1("Sign", F({-3, 0, 2}, Shape{3})), F({-1, 0, 1}, Shape{3}));
  ExpectTensorEq(Run1("Sign", I({-3, 0, 2}, Shape{3})), I({-1, 0, 1}, Shape{3}));
  ExpectTensorEq(Run1("Round", I({3}, Shape{1})), I({3}, Shape{1}));
}

TEST(UnaryTest, NanInfClassification) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  Tensor x = F({1, nan, inf, -inf}, Shape{4});
  ExpectTensorEq(Run1("IsNan", x), B({false, true, false, false}, Shape{4}));
  ExpectTensorEq(Run1("IsInf", x), B({false, false, true, true}, Shape{4}));
  ExpectTensorEq(Run1("IsFinite", x), B({true, false, false, false}, Shape{4}));
  ExpectTensorEq(Run1("Relu", F({nan}, Shape{1})), F({nan}, Shape{1}));
  EXPECT_FALSE(KernelTester("IsNan").Input(I({1}, Shape{1})).Run().ok());
  EXPECT_FALSE(KernelTester("Exp").Input(I({1}, Shape{1})).Run().ok());
}

TEST(UnaryTest, HalfGoesThroughFloat) {
  Tensor x(DType::kBFloat16, Shape{2});
  x.data<BFloat16>()[0] = BFloat16(-1.f); x.data<BFloat16>()[1] = BFloat16(4.f);
  Tensor want(DType::kBFloat16, Shape{2});
  want.data<BFloat16>()[0] = BFloat16(0.f); want.data<BFloat16>()[1] = BFloat16(4.f);
  ExpectTensorEq(Run1("Relu", x), want);
}

TEST(CompareTest, BroadcastAndStrings) {
  ExpectTensorEq(Run2("Less", F({1, 2, 3}, Shape{3}), F({2}, Shape{})), B({true, false, false}, Shape{3}));
  ExpectTensorEq(Run2("LessEqual", F({1, 2, 3}, Shape{3}), F({2}, Shape{})), B({true, true, false}, Shape{3}));
  ExpectTensorEq(Run2("Greater", I({1, 2}, Shape{2, 1}), I({0, 1, 2}, Shape{3})),
                 B({true, false, false, true, true, false}, Shape{2, 3}));
  ExpectTensorEq(Run2("GreaterEqual", I({1, 2}, Shape{2}), I({2, 2}, Shape{2})), B({false, true}, Shape{2}));
  ExpectTensorEq(Run2("Equal", V<std::string>({"a", "b"}, Shape{2}), V<std::string>({"b"}, Shape{})),
                 B({false, true}, Shape{2}));
  ExpectTensorEq(Run2("NotEqual", V<std::string>({"a", "b"}, Shape{2}), V<std::string>({"b"}, Shape{})),
                 B({true, false}, Shape{2}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  ExpectTensorEq(Run2("Equal", F({nan}, Shape{1}), F({nan}, Shape{1})), B({false}, Shape{1}));
  ExpectTensorEq(Run2("NotEqual", F({nan}, Shape{1}), F({nan}, Shape{1})), B({true}, Shape{1}));
}

TEST(CompareTest, IncompatibleShapeError) {
  EXPECT_FALSE(KernelTester("Equal").Input(F({1, 2}, Shape{2})).Input(F({1, 2, 3}, Shape{3})).Run().ok());
  auto r = KernelTester("Equal").Attr("incompatible_shape_error", false)
               .Input(F({1, 2}, Shape{2})).Input(F({1, 2, 3}, Shape{3})).Run();
  ASSERT_TRUE(r.ok());
  ExpectTensorEq(r->at(0), B({false}, Shape{}));
  r = KernelTester("NotEqual").Attr("incompatible_shape_error", false)
          .Input(F({1, 2}, Shape{2})).Input(F({1, 2, 3}, Shape{3})).Run();
  ExpectTensorEq(r->at(0), B({true}, Shape{}));
}

TEST(LogicalTest, AndOrNot) {
  Tensor a = B({true, true, false, false}, Shape{4});
  Tensor b = B({true, false, true, false}, Shape{4});
  ExpectTensorEq(Run2("LogicalAnd", a, b), B({true, false, false, false}, Shape{4}));
  ExpectTensorEq(Run2("LogicalOr", a, b), B({true, true, true, false}, Shape{4}));
  ExpectTensorEq(Run1("LogicalNot", a), B({false, false, true, true}, Shape{4}));
  ExpectTensorEq(Run2("LogicalAnd", a, B({true}, Shape{})), a);
  EXPECT_FALSE(KernelTester("LogicalNot").Input(F({1}, Shape{1})).Run().ok());
}

TEST(SelectTest, V1Rules) {
  Tensor t = F({1, 2, 3, 4}, Shape{2, 2}), e = F({10, 20, 30, 40}, Shape{2, 2});
  auto r = KernelTester("Select").Input(B({true, false, false, true}, Shape{2, 2})).Input(t).Input(e).Run();
  ExpectTensorEq(r->at(0), F({1, 20, 30, 4}, Shape{2, 2}));
  r = KernelTester("Select").Input(B({false, true}, Shape{2})).Input(t).Input(e).Run();  // rows
  ExpectTensorEq(r->at(0), F({10, 20, 3, 4}, Shape{2, 2}));
  r = KernelTester("Select").Input(B({false}, Shape{})).Input(t).Input(e).Run();
  ExpectTensorEq(r->at(0), e);
  // No general broadcasting in v1.
  EXPECT_FALSE(KernelTester("Select").Input(B({true, false}, Shape{1, 2})).Input(t).Input(e).Run().ok());
  EXPECT_FALSE(KernelTester("Select").Input(B({true}, Shape{})).Input(t).Input(F({1}, Shape{1})).Run().ok());
  auto s = KernelTester("Select").Input(B({true, false}, Shape{2}))
               .Input(V<std::string>({"a", "b"}, Shape{2})).Input(V<std::string>({"x", "y"}, Shape{2})).Run();
  ExpectTensorEq(s->at(0), V<std::string>({"a", "y"}, Shape{2}));
}

TEST(SelectTest, V2Broadcasts) {
  // cond [2,1], t [1,3], e scalar -> [2,3].
  auto r = KernelTester("SelectV2").Input(B({true, false}, Shape{2, 1})).Input(F({1, 2, 3}, Shape{1, 3}))
               .Input(F({-1}, Shape{})).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({1, 2, 3, -1, -1, -1}, Shape{2, 3}));
  r = KernelTester("SelectV2").Input(B({true, false, true}, Shape{3})).Input(I({1, 2, 3}, Shape{3}))
          .Input(I({7, 8, 9}, Shape{3})).Run();
  ExpectTensorEq(r->at(0), I({1, 8, 3}, Shape{3}));
  EXPECT_FALSE(KernelTester("SelectV2").Input(B({true, false}, Shape{2})).Input(F({1, 2, 3}, Shape{3}))
                   .Input(F({1}, Shape{})).Run().ok());
}

TEST(ClipTest, ScalarAndTensorBounds) {
  auto r = KernelTester("ClipByValue").Input(F({-5, 0.5f, 5}, Shape{3})).Input(F({0}, Shape{}))
               .Input(F({1}, Shape{})).Run();
  ExpectTensorEq(r->at(0), F({0, 0.5f, 1}, Shape{3}));
  r = KernelTester("ClipByValue").Input(I({-5, 5}, Shape{2})).Input(I({-1, -2}, Shape{2}))
          .Input(I({1, 2}, Shape{2})).Run();
  ExpectTensorEq(r->at(0), I({-1, 2}, Shape{2}));
  EXPECT_FALSE(KernelTester("ClipByValue").Input(I({-5, 5}, Shape{2})).Input(I({-1, -2, 3}, Shape{3}))
                   .Input(I({1}, Shape{})).Run().ok());
}

TEST(CastTest, TruncationAndBool) {
  auto cast = [](Tensor in, DType dst) {
    auto r = KernelTester("Cast").Attr("SrcT", in.dtype()).Attr("DstT", dst).Input(in).Run();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->at(0);
  };
  ExpectTensorEq(cast(F({1.9f, -1.9f, 0.5f, -0.5f}, Shape{4}), DType::kInt32), I({1, -1, 0, 0}, Shape{4}));
  ExpectTensorEq(cast(F({0, 2.5f, -1}, Shape{3}), DType::kBool), B({false, true, true}, Shape{3}));
  ExpectTensorEq(cast(B({true, false}, Shape{2}), DType::kFloat), F({1, 0}, Shape{2}));
  ExpectTensorEq(cast(I({300, -1}, Shape{2}), DType::kUInt8), V<uint8_t>({44, 255}, Shape{2}));  // wraps mod 256
  ExpectTensorEq(cast(V<int64_t>({1ll << 40}, Shape{1}), DType::kInt32), I({0}, Shape{1}));
  ExpectTensorEq(cast(V<uint8_t>({200}, Shape{1}), DType::kFloat), F({200}, Shape{1}));
  Tensor h(DType::kHalf, Shape{1});
  h.data<Half>()[0] = Half(2.5f);
  ExpectTensorEq(cast(F({2.5f}, Shape{1}), DType::kHalf), h);
  ExpectTensorEq(cast(h, DType::kInt64), V<int64_t>({2}, Shape{1}));
  ExpectTensorEq(cast(V<std::complex<float>>({{3.5f, 2}}, Shape{1}), DType::kFloat), F({3.5f}, Shape{1}));
  ExpectTensorEq(cast(F({-2}, Shape{1}), DType::kComplex64), V<std::complex<float>>({{-2, 0}}, Shape{1}));
  ExpectTensorEq(cast(V<double>({-7.99}, Shape{1}), DType::kInt64), V<int64_t>({-7}, Shape{1}));
  // bfloat16 Truncate=true drops the low mantissa bits: 1.00390625f rounds to 1.0078125 but truncates to 1.
  auto t = KernelTester("Cast").Attr("SrcT", DType::kFloat).Attr("DstT", DType::kBFloat16).Attr("Truncate", true)
               .Input(F({1.0f + 3.0f / 512}, Shape{1})).Run();
  EXPECT_EQ(static_cast<float>(t->at(0).data<BFloat16>()[0]), 1.0f);
  EXPECT_FALSE(KernelTester("Cast").Attr("SrcT", DType::kString).Attr("DstT", DType::kFloat)
                   .Input(V<std::string>({"1"}, Shape{1})).Run().ok());
}

TEST(FillLikeTest, ZerosAndOnes) {
  ExpectTensorEq(Run1("ZerosLike", I({5, 6}, Shape{2})), I({0, 0}, Shape{2}));
  ExpectTensorEq(Run1("OnesLike", F({5, 6, 7}, Shape{3, 1})), F({1, 1, 1}, Shape{3, 1}));
  ExpectTensorEq(Run1("OnesLike", B({false}, Shape{1})), B({true}, Shape{1}));
}

}  // namespace
}  // namespace stfs::kernels
