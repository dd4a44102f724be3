#include "kernels/slice_ops.h"

#include <numeric>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

// x[i,j,k] = 12i + 4j + k, shape [2,3,4].
Tensor X() {
  std::vector<int32_t> v(24);
  std::iota(v.begin(), v.end(), 0);
  return Tensor::FromVector<int32_t>(v, Shape{2, 3, 4});
}
Tensor V(std::vector<int32_t> v, Shape s) { return Tensor::FromVector<int32_t>(v, s); }
Tensor Idx(std::vector<int32_t> v) { return Tensor::FromVector<int32_t>(v); }

struct Masks {
  int begin = 0, end = 0, ellipsis = 0, new_axis = 0, shrink = 0;
};

StatusOr<std::vector<Tensor>> SS(Tensor in, std::vector<int32_t> b, std::vector<int32_t> e,
                                 std::vector<int32_t> s, Masks m) {
  return KernelTester("StridedSlice")
      .Attr("begin_mask", m.begin).Attr("end_mask", m.end).Attr("ellipsis_mask", m.ellipsis)
      .Attr("new_axis_mask", m.new_axis).Attr("shrink_axis_mask", m.shrink)
      .Input(std::move(in)).Input(Idx(b)).Input(Idx(e)).Input(Idx(s)).Run();
}

TEST(SliceTest, SizeMinusOneMeansToTheEnd) {
  auto out = KernelTester("Slice").Input(X()).Input(Idx({0, 1, 1})).Input(Idx({2, -1, 2})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), V({5, 6, 9, 10, 17, 18, 21, 22}, Shape{2, 2, 2}));
}

TEST(SliceTest, EmptyAndErrors) {
  auto empty = KernelTester("Slice").Input(X()).Input(Idx({1, 0, 0})).Input(Idx({0, 3, 4})).Run();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->at(0).shape(), (Shape{0, 3, 4}));
  auto too_big = KernelTester("Slice").Input(X()).Input(Idx({1, 0, 0})).Input(Idx({2, 3, 4})).Run();
  EXPECT_FALSE(too_big.ok());
  auto wrong_len = KernelTester("Slice").Input(X()).Input(Idx({0, 0})).Input(Idx({1, 1})).Run();
  EXPECT_FALSE(wrong_len.ok());
}

TEST(StridedSliceTest, ShrinkFirstAxis) {  // x[1]
  auto out = SS(X(), {1}, {2}, {1}, {.shrink = 1});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), V({12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, Shape{3, 4}));
}

TEST(StridedSliceTest, ReverseMiddleAndShrinkLastNegative) {  // x[:, ::-1, -1]
  auto out = SS(X(), {0, 0, -1}, {0, 0, 0}, {1, -1, 1}, {.begin = 3, .end = 3, .shrink = 4});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), V({11, 7, 3, 23, 19, 15}, Shape{2, 3}));
}

TEST(StridedSliceTest, EllipsisThenRange) {  // x[..., 1:3]
  auto out = SS(X(), {0, 1}, {0, 3}, {1, 1}, {.ellipsis = 1});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), V({1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, Shape{2, 3, 2}));
}

TEST(StridedSliceTest, NewAxisWithShrinks) {  // x[newaxis, 0, :, 2]
  auto out = SS(X(), {0, 0, 0, 2}, {0, 1, 0, 3}, {1, 1, 1, 1},
                {.begin = 4, .end = 4, .new_axis = 1, .shrink = 10});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), V({2, 6, 10}, Shape{1, 3}));
}

TEST(StridedSliceTest, EllipsisThenNewAxis) {  // x[..., newaxis]
  auto out = SS(X(), {0, 0}, {0, 0}, {1, 1}, {.ellipsis = 1, .new_axis = 2});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->at(0).shape(), (Shape{2, 3, 4, 1}));
  EXPECT_EQ(out->at(0).data<int32_t>()[23], 23);
}

TEST(StridedSliceTest, OneDimensionalClampingAndNegativeStrides) {
  Tensor v = V({0, 1, 2, 3, 4}, Shape{5});
  auto all = SS(v, {-100}, {100}, {1}, {});  // v[-100:100]
  ASSERT_TRUE(all.ok());
  ExpectTensorEq(all->at(0), V({0, 1, 2, 3, 4}, Shape{5}));
  auto empty = SS(v, {10}, {0}, {1}, {.end = 1});  // v[10:]
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->at(0).shape(), (Shape{0}));
  auto rev2 = SS(v, {0}, {0}, {-2}, {.begin = 1, .end = 1});  // v[::-2]
  ASSERT_TRUE(rev2.ok());
  ExpectTensorEq(rev2->at(0), V({4, 2, 0}, Shape{3}));
  auto down = SS(v, {3}, {0}, {-1}, {});  // v[3:0:-1]
  ASSERT_TRUE(down.ok());
  ExpectTensorEq(down->at(0), V({3, 2, 1}, Shape{3}));
  auto last = SS(v, {-1}, {0}, {1}, {.shrink = 1});  // v[-1]
  ASSERT_TRUE(last.ok());
  ExpectTensorEq(last->at(0), Tensor::Scalar<int32_t>(4));
  auto stride3 = SS(v, {1}, {5}, {3}, {});  // v[1:5:3]
  ASSERT_TRUE(stride3.ok());
  ExpectTensorEq(stride3->at(0), V({1, 4}, Shape{2}));
  auto degenerate = SS(v, {3}, {1}, {1}, {});  // v[3:1]
  ASSERT_TRUE(degenerate.ok());
  EXPECT_EQ(degenerate->at(0).shape(), (Shape{0}));
}

TEST(StridedSliceTest, BatchSizeFromShapeInt64Indices) {  // tf.shape(x)[0]
  auto out = KernelTester("StridedSlice").Attr("shrink_axis_mask", 1)
                 .Input(V({7, 3}, Shape{2})).Input(Tensor::FromVector<int64_t>({0}))
                 .Input(Tensor::FromVector<int64_t>({1})).Input(Tensor::FromVector<int64_t>({1})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::Scalar<int32_t>(7));
}

TEST(StridedSliceTest, Errors) {
  Tensor v = V({0, 1, 2, 3, 4}, Shape{5});
  EXPECT_FALSE(SS(v, {5}, {6}, {1}, {.shrink = 1}).ok());   // v[5]
  EXPECT_FALSE(SS(v, {-6}, {0}, {1}, {.shrink = 1}).ok());  // v[-6]
  EXPECT_FALSE(SS(v, {0}, {5}, {0}, {}).ok());              // zero stride
  EXPECT_FALSE(SS(v, {0, 0}, {1, 1}, {1, 1}, {}).ok());     // too many indices
  auto bad_shapes = KernelTester("StridedSlice").Input(v).Input(Idx({0})).Input(Idx({1, 2})).Input(Idx({1})).Run();
  EXPECT_FALSE(bad_shapes.ok());
}

}  // namespace
}  // namespace stfs::kernels
