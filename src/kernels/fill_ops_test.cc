#include "kernels/fill_ops.h"

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I32(std::vector<int32_t> v, Shape s) { return Tensor::FromVector<int32_t>(v, s); }
Tensor I32(std::vector<int32_t> v) { return Tensor::FromVector<int32_t>(v); }

TEST(FillTest, FillsScalar) {
  auto out = KernelTester("Fill").Input(I32({2, 3})).Input(Tensor::Scalar<float>(7)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({7, 7, 7, 7, 7, 7}, Shape{2, 3}));
  auto str = KernelTester("Fill").Input(I32({2})).Input(Tensor::Scalar<std::string>("x")).Run();
  ASSERT_TRUE(str.ok());
  ExpectTensorEq(str->at(0), Tensor::FromVector<std::string>({"x", "x"}));
  auto empty = KernelTester("Fill").Input(I32({0, 3})).Input(Tensor::Scalar<float>(1)).Run();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->at(0).shape(), (Shape{0, 3}));
  EXPECT_FALSE(KernelTester("Fill").Input(I32({-1})).Input(Tensor::Scalar<float>(1)).Run().ok());
}

TEST(RangeTest, IntegersAndFloats) {
  auto a = KernelTester("Range").Input(Tensor::Scalar<int32_t>(0)).Input(Tensor::Scalar<int32_t>(10))
               .Input(Tensor::Scalar<int32_t>(3)).Run();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ExpectTensorEq(a->at(0), I32({0, 3, 6, 9}));
  auto down = KernelTester("Range").Input(Tensor::Scalar<int32_t>(5)).Input(Tensor::Scalar<int32_t>(1))
                  .Input(Tensor::Scalar<int32_t>(-2)).Run();
  ASSERT_TRUE(down.ok());
  ExpectTensorEq(down->at(0), I32({5, 3}));
  auto f = KernelTester("Range").Input(Tensor::Scalar<float>(0)).Input(Tensor::Scalar<float>(1))
               .Input(Tensor::Scalar<float>(0.25f)).Run();
  ASSERT_TRUE(f.ok());
  ExpectTensorNear(f->at(0), F({0, 0.25f, 0.5f, 0.75f}, Shape{4}));
  auto empty = KernelTester("Range").Input(Tensor::Scalar<int64_t>(3)).Input(Tensor::Scalar<int64_t>(3))
                   .Input(Tensor::Scalar<int64_t>(1)).Run();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->at(0).shape(), (Shape{0}));
}

TEST(RangeTest, Errors) {
  auto zero = KernelTester("Range").Input(Tensor::Scalar<int32_t>(0)).Input(Tensor::Scalar<int32_t>(3))
                  .Input(Tensor::Scalar<int32_t>(0)).Run();
  EXPECT_FALSE(zero.ok());
  auto wrong_dir = KernelTester("Range").Input(Tensor::Scalar<int32_t>(5)).Input(Tensor::Scalar<int32_t>(3))
                       .Input(Tensor::Scalar<int32_t>(1)).Run();
  EXPECT_FALSE(wrong_dir.ok());
  auto huge = KernelTester("Range").Input(Tensor::Scalar<int64_t>(0)).Input(Tensor::Scalar<int64_t>(INT64_MAX))
                  .Input(Tensor::Scalar<int64_t>(1)).Run();
  EXPECT_FALSE(huge.ok());
}

TEST(TileTest, Multiples) {
  Tensor m = F({1, 2, 3, 4}, Shape{2, 2});
  auto rows = KernelTester("Tile").Input(m).Input(I32({2, 1})).Run();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ExpectTensorEq(rows->at(0), F({1, 2, 3, 4, 1, 2, 3, 4}, Shape{4, 2}));
  auto cols = KernelTester("Tile").Input(m).Input(Tensor::FromVector<int64_t>({1, 2})).Run();
  ASSERT_TRUE(cols.ok());
  ExpectTensorEq(cols->at(0), F({1, 2, 1, 2, 3, 4, 3, 4}, Shape{2, 4}));
  auto zero = KernelTester("Tile").Input(m).Input(I32({0, 2})).Run();
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->at(0).shape(), (Shape{0, 4}));
  EXPECT_FALSE(KernelTester("Tile").Input(m).Input(I32({2})).Run().ok());
}

TEST(TransposeTest, TwoAndThreeDims) {
  auto t = KernelTester("Transpose").Input(F({1, 2, 3, 4, 5, 6}, Shape{2, 3})).Input(I32({1, 0})).Run();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ExpectTensorEq(t->at(0), F({1, 4, 2, 5, 3, 6}, Shape{3, 2}));
  std::vector<int32_t> x(24);
  for (int i = 0; i < 24; ++i) x[i] = i;  // x[i,j,k] = 12i + 4j + k
  auto t3 = KernelTester("Transpose").Input(I32(x, Shape{2, 3, 4})).Input(I32({2, 0, 1})).Run();
  ASSERT_TRUE(t3.ok());
  EXPECT_EQ(t3->at(0).shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(t3->at(0).data<int32_t>()[1 * 6 + 1 * 3 + 2], 12 + 8 + 1);  // out[1,1,2] = x[1,2,1]
  EXPECT_FALSE(KernelTester("Transpose").Input(F({1, 2}, Shape{1, 2})).Input(I32({0, 0})).Run().ok());
}

TEST(ReverseV2Test, Axes) {
  Tensor m = F({1, 2, 3, 4, 5, 6}, Shape{2, 3});
  auto a = KernelTester("ReverseV2").Input(m).Input(I32({1})).Run();
  ASSERT_TRUE(a.ok());
  ExpectTensorEq(a->at(0), F({3, 2, 1, 6, 5, 4}, Shape{2, 3}));
  auto both = KernelTester("ReverseV2").Input(m).Input(I32({-2, 1})).Run();
  ASSERT_TRUE(both.ok());
  ExpectTensorEq(both->at(0), F({6, 5, 4, 3, 2, 1}, Shape{2, 3}));
  auto none = KernelTester("ReverseV2").Input(m).Input(Tensor(DType::kInt32, Shape{0})).Run();
  ASSERT_TRUE(none.ok());
  ExpectTensorEq(none->at(0), m);
  EXPECT_FALSE(KernelTester("ReverseV2").Input(m).Input(I32({1, 1})).Run().ok());
}

TEST(BroadcastToTest, Shapes) {
  auto row = KernelTester("BroadcastTo").Input(F({1, 2, 3}, Shape{3})).Input(I32({2, 3})).Run();
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  ExpectTensorEq(row->at(0), F({1, 2, 3, 1, 2, 3}, Shape{2, 3}));
  auto col = KernelTester("BroadcastTo").Input(F({1, 2}, Shape{2, 1})).Input(I32({2, 3})).Run();
  ASSERT_TRUE(col.ok());
  ExpectTensorEq(col->at(0), F({1, 1, 1, 2, 2, 2}, Shape{2, 3}));
  EXPECT_FALSE(KernelTester("BroadcastTo").Input(F({1, 2}, Shape{2})).Input(I32({3})).Run().ok());
}

TEST(WhereTest, CoordinatesInRowMajorOrder) {
  auto b = KernelTester("Where").Input(Tensor::FromVector<bool>({true, false, false, true}, Shape{2, 2})).Run();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ExpectTensorEq(b->at(0), Tensor::FromVector<int64_t>({0, 0, 1, 1}, Shape{2, 2}));
  auto f = KernelTester("Where").Input(F({0, 3, 0, -1}, Shape{4})).Run();
  ASSERT_TRUE(f.ok());
  ExpectTensorEq(f->at(0), Tensor::FromVector<int64_t>({1, 3}, Shape{2, 1}));
  auto none = KernelTester("Where").Input(F({0, 0}, Shape{2})).Run();
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->at(0).shape(), (Shape{0, 1}));
}

TEST(PadTest, PadAndPadV2) {
  Tensor m = F({1, 2, 3, 4}, Shape{2, 2});
  auto p = KernelTester("Pad").Input(m).Input(I32({1, 0, 0, 2}, Shape{2, 2})).Run();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ExpectTensorEq(p->at(0), F({0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}, Shape{3, 4}));
  auto v2 = KernelTester("PadV2").Input(m).Input(I32({0, 0, 1, 1}, Shape{2, 2}))
                .Input(Tensor::Scalar<float>(9)).Run();
  ASSERT_TRUE(v2.ok());
  ExpectTensorEq(v2->at(0), F({9, 1, 2, 9, 9, 3, 4, 9}, Shape{2, 4}));
  EXPECT_FALSE(KernelTester("Pad").Input(m).Input(I32({-1, 0, 0, 0}, Shape{2, 2})).Run().ok());
  EXPECT_FALSE(KernelTester("Pad").Input(m).Input(I32({1, 1}, Shape{1, 2})).Run().ok());
}

TEST(MirrorPadTest, ReflectAndSymmetric) {
  Tensor v = F({1, 2, 3}, Shape{3});
  auto r = KernelTester("MirrorPad").Attr("mode", "REFLECT").Input(v).Input(I32({2, 2}, Shape{1, 2})).Run();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectTensorEq(r->at(0), F({3, 2, 1, 2, 3, 2, 1}, Shape{7}));
  auto s = KernelTester("MirrorPad").Attr("mode", "SYMMETRIC").Input(v).Input(I32({2, 2}, Shape{1, 2})).Run();
  ASSERT_TRUE(s.ok());
  ExpectTensorEq(s->at(0), F({2, 1, 1, 2, 3, 3, 2}, Shape{7}));
  EXPECT_FALSE(KernelTester("MirrorPad").Attr("mode", "REFLECT").Input(v).Input(I32({3, 0}, Shape{1, 2})).Run().ok());
}

}  // namespace
}  // namespace stfs::kernels
