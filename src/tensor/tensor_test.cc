#include "tensor/tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stfs {
namespace {

TEST(DTypeTest, NamesAndSizes) {
  EXPECT_EQ(DTypeName(DType::kFloat), "float");
  EXPECT_EQ(DTypeEnumName(DType::kInt64), "DT_INT64");
  EXPECT_EQ(DTypeFromName("DT_STRING"), DType::kString);
  EXPECT_EQ(DTypeFromName("float32"), DType::kFloat);
  EXPECT_EQ(DTypeFromName("nonsense"), DType::kInvalid);
  EXPECT_EQ(DTypeSize(DType::kComplex128), 16u);
  EXPECT_EQ(BaseDType(101), DType::kFloat);  // DT_FLOAT_REF
  EXPECT_EQ(BaseDType(99), DType::kInvalid);
  EXPECT_FALSE(IsValidProtoDType(0));
}

TEST(DTypeTest, HalfConversions) {
  // Values exactly representable in half round-trip; the bit patterns are the IEEE ones.
  EXPECT_EQ(Half(1.0f).bits, 0x3c00);
  EXPECT_EQ(Half(-2.0f).bits, 0xc000);
  EXPECT_EQ(Half(65504.0f).bits, 0x7bff);
  EXPECT_EQ(Half(1e6f).bits, 0x7c00);  // overflow -> inf
  EXPECT_EQ(Half(5.9604645e-8f).bits, 0x0001);  // smallest subnormal 2^-24
  EXPECT_FLOAT_EQ(static_cast<float>(Half(0.333251953125f)), 0.333251953125f);
  Half sub;
  sub.bits = 0x0200;  // 2^-15
  EXPECT_FLOAT_EQ(static_cast<float>(sub), std::ldexp(1.0f, -15));
  EXPECT_TRUE(std::isnan(static_cast<float>(Half(std::numeric_limits<float>::quiet_NaN()))));
  // 1 + 2^-11 is halfway between 1 and 1+2^-10: ties to even -> 1.0
  EXPECT_EQ(Half(1.0f + std::ldexp(1.0f, -11)).bits, 0x3c00);
}

TEST(DTypeTest, BFloat16Conversions) {
  EXPECT_EQ(BFloat16(1.0f).bits, 0x3f80);
  EXPECT_FLOAT_EQ(static_cast<float>(BFloat16(3.0f)), 3.0f);
  EXPECT_TRUE(std::isnan(static_cast<float>(BFloat16(std::nanf("")))));
}

TEST(ShapeTest, CreateValidates) {
  EXPECT_FALSE(Shape::Create({2, -1}).ok());
  EXPECT_FALSE(Shape::Create({1 << 30, 1 << 30, 1 << 30}).ok());
  auto s = Shape::Create({2, 3});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->num_elements(), 6);
  EXPECT_EQ(s->ToString(), "[2,3]");
  EXPECT_EQ(PartialShape({-1, 3}).ToString(), "[?,3]");
  EXPECT_TRUE(PartialShape({-1, 3}).IsCompatibleWith(Shape{5, 3}));
  EXPECT_FALSE(PartialShape({-1, 3}).IsCompatibleWith(Shape{5, 4}));
  EXPECT_TRUE(PartialShape().IsCompatibleWith(Shape{1, 2, 3}));
}

TEST(ShapeTest, InlineAndHeapRanksBehaveTheSame) {
  // Ranks up to 5 are stored inline, larger ones on the heap: every operation
  // must give the same results on both sides of the boundary.
  for (int rank = 0; rank <= 9; ++rank) {
    std::vector<int64_t> dims;
    for (int i = 0; i < rank; ++i) dims.push_back(i + 2);
    Shape s(dims);
    ASSERT_EQ(s.rank(), rank);
    EXPECT_EQ(s.dim_vector(), dims);
    Shape copy = s;
    EXPECT_EQ(copy, s);
    Shape moved = std::move(copy);
    EXPECT_EQ(moved, s);
    EXPECT_EQ(copy.rank(), 0);  // moved-from is a scalar
    Shape assigned{7};
    assigned = s;
    EXPECT_EQ(assigned, s);
    assigned = Shape{1, 2};
    EXPECT_EQ(assigned, (Shape{1, 2}));
    Shape grown = s;
    grown.AddDim(11);
    grown.InsertDim(0, 13);
    EXPECT_EQ(grown.rank(), rank + 2);
    EXPECT_EQ(grown.dim(0), 13);
    EXPECT_EQ(grown.dim(rank + 1), 11);
    grown.RemoveDim(0);
    grown.RemoveDim(rank);
    EXPECT_EQ(grown, s);
    if (rank > 0) {
      grown.set_dim(rank - 1, 99);
      EXPECT_NE(grown, s);
      EXPECT_EQ(s.dim(rank - 1), rank + 1);  // copies do not share storage
    }
  }
  EXPECT_EQ(Shape({1, 2, 3, 4, 5, 6, 7}).ToString(), "[1,2,3,4,5,6,7]");
  EXPECT_EQ(Shape({2, 3, 4, 5, 6, 7}).num_elements(), 5040);
}

TEST(TensorTest, SharingAndCopy) {
  Tensor a = Tensor::FromVector<float>({1, 2, 3, 4, 5, 6}, Shape{2, 3});
  Tensor b = a;
  EXPECT_TRUE(a.SharesBufferWith(b));
  EXPECT_FALSE(a.RefCountIsOne());
  Tensor c = a.DeepCopy();
  c.data<float>()[0] = 9;
  EXPECT_EQ(a.data<float>()[0], 1);
  auto r = a.Reshaped(Shape{3, 2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->shape(), (Shape{3, 2}));
  EXPECT_FALSE(a.Reshaped(Shape{4}).ok());
  Tensor row = a.SliceDim0(1, 2);
  EXPECT_EQ(row.shape(), (Shape{1, 3}));
  EXPECT_EQ(row.data<float>()[0], 4);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a.raw_data()) % 64, 0u);
}

TEST(TensorTest, BufferOwnershipFollowsCopiesMovesAndDestruction) {
  // Data is 64-byte aligned for every size, including tiny and empty tensors.
  for (int64_t n : {0, 1, 3, 17, 1000}) {
    Tensor t(DType::kFloat, Shape{n});
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw_data()) % 64, 0u) << n;
    for (int64_t i = 0; i < n; ++i) EXPECT_EQ(t.data<float>()[i], 0.0f);  // zero-filled
  }
  Tensor a = Tensor::FromVector<int32_t>({1, 2});
  EXPECT_TRUE(a.RefCountIsOne());
  {
    Tensor b = a;
    Tensor c;
    c = b;
    EXPECT_FALSE(a.RefCountIsOne());
    Tensor d = std::move(c);
    EXPECT_EQ(c.raw_data(), nullptr);  // the buffer moved out
    EXPECT_TRUE(d.SharesBufferWith(a));
  }
  EXPECT_TRUE(a.RefCountIsOne());  // b and d released their references
  Tensor moved = std::move(a);
  EXPECT_TRUE(moved.RefCountIsOne());
  a = moved;
  EXPECT_FALSE(moved.RefCountIsOne());
  a = Tensor();
  EXPECT_TRUE(moved.RefCountIsOne());
  moved = moved;  // self-assignment keeps the buffer
  EXPECT_EQ(moved.data<int32_t>()[1], 2);
  // Strings are constructed in the buffer and destroyed with its last owner.
  Tensor s(DType::kString, Shape{3});
  s.data<std::string>()[2] = std::string(100, 'x');  // heap-allocated string
  Tensor s2 = s;
  s = Tensor();
  EXPECT_EQ(s2.data<std::string>()[2].size(), 100u);
}

TEST(TensorTest, StringsAndDebug) {
  Tensor s = Tensor::FromVector<std::string>({"a", "bc"});
  Tensor copy = s.DeepCopy();
  EXPECT_TRUE(TensorEquals(s, copy));
  copy.data<std::string>()[1] = "x";
  EXPECT_FALSE(TensorEquals(s, copy));
  EXPECT_EQ(s.DebugString(), "string [2] values: \"a\" \"bc\"");
  EXPECT_EQ(Tensor::Scalar<int64_t>(7).DTypeShapeString(), "int64[]");
}

TEST(TensorTest, CreateRejectsHugeShapes) {
  auto t = Tensor::Create(DType::kFloat, Shape{int64_t{1} << 41});
  EXPECT_FALSE(t.ok());
  Tensor empty(DType::kFloat, Shape{0, 3});
  EXPECT_EQ(empty.NumElements(), 0);
}

}  // namespace
}  // namespace stfs
