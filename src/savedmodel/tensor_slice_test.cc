#include "savedmodel/tensor_slice.h"

#include <gtest/gtest.h>

namespace stfs {
namespace {

using namespace ordered_code;

std::string Num(uint64_t v) { std::string s; WriteNumIncreasing(&s, v); return s; }
std::string Signed(int64_t v) { std::string s; WriteSignedNumIncreasing(&s, v); return s; }

TEST(OrderedCodeTest, UnsignedHandDerived) {
  EXPECT_EQ(Num(0), std::string("\x00", 1));
  EXPECT_EQ(Num(1), std::string("\x01\x01", 2));
  EXPECT_EQ(Num(256), std::string("\x02\x01\x00", 3));
  EXPECT_EQ(Num(UINT64_MAX), std::string("\x08") + std::string(8, '\xff'));
}

TEST(OrderedCodeTest, SignedHandDerived) {
  EXPECT_EQ(Signed(0), "\x80");
  EXPECT_EQ(Signed(-1), "\x7f");
  EXPECT_EQ(Signed(63), "\xbf");
  EXPECT_EQ(Signed(-64), "\x40");
  EXPECT_EQ(Signed(64), std::string("\xc0\x40", 2));
  EXPECT_EQ(Signed(-65), std::string("\x3f\xbf", 2));
  // The two examples in OrderedCode's format description.
  EXPECT_EQ(Signed(0x424242), std::string("\xf0\x42\x42\x42", 4));
  EXPECT_EQ(Signed(-0x800), std::string("\x38\x00", 2));
  EXPECT_EQ(Signed(INT64_MAX).size(), 10u);
  EXPECT_EQ(Signed(INT64_MIN).size(), 10u);
}

TEST(OrderedCodeTest, RoundTripAndOrder) {
  std::vector<int64_t> vals = {INT64_MIN, -(int64_t{1} << 55), -1000000, -65, -64, -1, 0, 1, 63, 64,
                               8191, 8192, int64_t{1} << 40, INT64_MAX};
  std::string prev;
  for (int64_t v : vals) {
    std::string enc = Signed(v);
    EXPECT_LT(prev, enc) << v;  // byte order follows numeric order
    prev = enc;
    std::string_view sv = enc;
    int64_t back;
    ASSERT_TRUE(ReadSignedNumIncreasing(&sv, &back)) << v;
    EXPECT_EQ(back, v);
    EXPECT_TRUE(sv.empty());
  }
  for (uint64_t v : {uint64_t{0}, uint64_t{5}, uint64_t{70000}, UINT64_MAX}) {
    std::string enc = Num(v);
    std::string_view sv = enc;
    uint64_t back;
    ASSERT_TRUE(ReadNumIncreasing(&sv, &back));
    EXPECT_EQ(back, v);
  }
  std::string s;
  WriteString(&s, std::string("a\0b\xff", 4));
  EXPECT_EQ(s, std::string("a\x00\xff" "b\xff\x00\x00\x01", 8));
  std::string_view sv = s;
  std::string back;
  ASSERT_TRUE(ReadString(&sv, &back));
  EXPECT_EQ(back, std::string("a\0b\xff", 4));
}

TEST(TensorSliceTest, EncodeTensorNameSliceHandDerived) {
  TensorSlice slice = {{0, 2}, {0, -1}};
  std::string key = EncodeTensorNameSlice("a", slice);
  // 0 | "a" sep | rank 2 | start 0, len 2 | full: start 0, len -1
  EXPECT_EQ(key, std::string("\x00" "a\x00\x01" "\x01\x02" "\x80\x82" "\x80\x7f", 10));
  std::string name;
  TensorSlice back;
  ASSERT_TRUE(DecodeTensorNameSlice(key, &name, &back).ok());
  EXPECT_EQ(name, "a");
  EXPECT_EQ(back, slice);
  EXPECT_FALSE(DecodeTensorNameSlice("abc", &name, &back).ok());
  EXPECT_FALSE(DecodeTensorNameSlice(key.substr(0, 8), &name, &back).ok());
}

TEST(TensorSliceTest, ParseSpecs) {
  Shape full;
  TensorSlice slice;
  ASSERT_TRUE(ParseShapeAndSlice("1000 1 0,1000:0,1", &full, &slice).ok());
  EXPECT_EQ(full, Shape({1000, 1}));
  EXPECT_EQ(slice, (TensorSlice{{0, 1000}, {0, 1}}));
  ASSERT_TRUE(ParseShapeAndSlice("4 6 -:2,3", &full, &slice).ok());
  EXPECT_EQ(SliceToString(slice), "-:2,3");
  auto shape = SliceShape(slice, full);
  ASSERT_TRUE(shape.ok());
  EXPECT_EQ(*shape, Shape({4, 3}));
  EXPECT_FALSE(ParseShapeAndSlice("4 6 -:5,3", &full, &slice).ok());  // out of bounds
  EXPECT_FALSE(ParseShapeAndSlice("4 6 -", &full, &slice).ok());      // rank mismatch
  EXPECT_FALSE(ParseShapeAndSlice("-", &full, &slice).ok());          // no shape
  EXPECT_FALSE(ParseShapeAndSlice("4 x -", &full, &slice).ok());
  EXPECT_FALSE(ParseShapeAndSlice("4 0,0", &full, &slice).ok());     // zero length
  EXPECT_FALSE(ParseSliceString("1,2,3").ok());
}

TEST(TensorSliceTest, CopyRegion2D) {
  // Full tensor 3x4 with value 10*r + c. src holds rows 1..2 (slice 1,2:-).
  Tensor src(DType::kInt32, Shape{2, 4});
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 4; ++c) src.data<int32_t>()[r * 4 + c] = 10 * (r + 1) + c;
  TensorSlice src_slice = {{1, 2}, {0, 4}};
  TensorSlice want = {{0, 3}, {1, 2}};  // all rows, columns 1..2
  Tensor dst(DType::kInt32, Shape{3, 2});
  TensorSlice region;
  ASSERT_TRUE(IntersectSlices(src_slice, want, &region));
  EXPECT_EQ(region, (TensorSlice{{1, 2}, {1, 2}}));
  ASSERT_TRUE(CopySliceRegion(src, src_slice, &dst, want, region).ok());
  EXPECT_TRUE(TensorEquals(dst, Tensor::FromVector<int32_t>({0, 0, 11, 12, 21, 22}, Shape{3, 2})));
  // Strings are copied element-wise.
  Tensor ss = Tensor::FromVector<std::string>({"a", "b", "c"});
  Tensor sd(DType::kString, Shape{2});
  ASSERT_TRUE(CopySliceRegion(ss, {{0, 3}}, &sd, {{1, 2}}, {{1, 2}}).ok());
  EXPECT_EQ(sd.flat<std::string>()[0], "b");
  EXPECT_EQ(sd.flat<std::string>()[1], "c");
  // Region outside the destination is rejected.
  EXPECT_FALSE(CopySliceRegion(ss, {{0, 3}}, &sd, {{1, 2}}, {{0, 3}}).ok());
}

}  // namespace
}  // namespace stfs
