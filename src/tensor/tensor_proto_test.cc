#include "tensor/tensor_proto.h"

#include <gtest/gtest.h>
#include <google/protobuf/text_format.h>

#include <cstring>

namespace stfs {
namespace {

tensorflow::TensorProto Parse(const std::string& text) {
  tensorflow::TensorProto p;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &p)) << text;
  return p;
}

StatusOr<Tensor> FromText(const std::string& text) { return TensorFromProto(Parse(text)); }

TEST(TensorFromProtoTest, FloatValsExact) {
  auto t = FromText("dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 2 } } "
                    "float_val: 1 float_val: 2.5 float_val: -3 float_val: 4");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->dtype(), DType::kFloat);
  EXPECT_EQ(t->shape(), Shape({2, 2}));
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<float>({1, 2.5f, -3, 4}, Shape{2, 2})));
}

TEST(TensorFromProtoTest, FewerValuesRepeatLast) {
  auto t = FromText("dtype: DT_INT32 tensor_shape { dim { size: 5 } } int_val: 7 int_val: 9");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<int32_t>({7, 9, 9, 9, 9})));
  // The common case: Const [1000] holding a single value.
  auto z = FromText("dtype: DT_FLOAT tensor_shape { dim { size: 1000 } } float_val: 0.5");
  ASSERT_TRUE(z.ok());
  for (float v : z->flat<float>()) ASSERT_EQ(v, 0.5f);
}

TEST(TensorFromProtoTest, NoValuesGiveZerosAndEmptyStrings) {
  auto t = FromText("dtype: DT_DOUBLE tensor_shape { dim { size: 3 } }");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<double>({0, 0, 0})));
  auto s = FromText("dtype: DT_STRING tensor_shape { dim { size: 2 } }");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->flat<std::string>()[0], "");
  EXPECT_EQ(s->flat<std::string>()[1], "");
  // ParseExample/Const: shape [0], no values: legitimately empty.
  auto e = FromText("dtype: DT_FLOAT tensor_shape { dim { size: 0 } }");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->NumElements(), 0);
}

TEST(TensorFromProtoTest, ScalarWhenNoDims) {
  auto t = FromText("dtype: DT_INT64 tensor_shape { } int64_val: -5000000000");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rank(), 0);
  EXPECT_EQ(t->scalar<int64_t>(), -5000000000LL);
}

TEST(TensorFromProtoTest, TooManyValuesIsError) {
  auto t = FromText("dtype: DT_FLOAT tensor_shape { dim { size: 2 } } float_val: 1 float_val: 2 float_val: 3");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Code::kInvalidArgument);
  EXPECT_NE(t.status().message().find("float_val holds 3 values"), std::string::npos) << t.status().message();
  EXPECT_FALSE(FromText("dtype: DT_FLOAT tensor_shape { dim { size: 0 } } float_val: 1").ok());
}

TEST(TensorFromProtoTest, TensorContentLittleEndian) {
  tensorflow::TensorProto p = Parse("dtype: DT_INT32 tensor_shape { dim { size: 2 } }");
  const char bytes[] = {0x01, 0x00, 0x00, 0x00, static_cast<char>(0xfe), static_cast<char>(0xff),
                        static_cast<char>(0xff), static_cast<char>(0xff)};
  p.set_tensor_content(std::string(bytes, 8));
  auto t = TensorFromProto(p);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<int32_t>({1, -2})));
  // Content wins over typed values, as in TensorFlow.
  p.add_int_val(99);
  t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<int32_t>()[0], 1);
}

TEST(TensorFromProtoTest, TensorContentSizeMustMatch) {
  tensorflow::TensorProto p = Parse("dtype: DT_FLOAT tensor_shape { dim { size: 3 } }");
  p.set_tensor_content(std::string(8, '\0'));
  auto t = TensorFromProto(p);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("tensor_content has 8 bytes, expected 12"), std::string::npos)
      << t.status().message();
  p.set_tensor_content(std::string(16, '\0'));
  EXPECT_FALSE(TensorFromProto(p).ok());
}

TEST(TensorFromProtoTest, BoolContentNormalised) {
  tensorflow::TensorProto p = Parse("dtype: DT_BOOL tensor_shape { dim { size: 3 } }");
  p.set_tensor_content(std::string("\x00\x01\x05", 3));
  auto t = TensorFromProto(p);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<bool>({false, true, true})));
  auto b = FromText("dtype: DT_BOOL tensor_shape { dim { size: 3 } } bool_val: true");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(TensorEquals(*b, Tensor::FromVector<bool>({true, true, true})));
}

TEST(TensorFromProtoTest, SmallIntegerTypesUseIntVal) {
  auto i8 = FromText("dtype: DT_INT8 tensor_shape { dim { size: 2 } } int_val: -128 int_val: 127");
  ASSERT_TRUE(i8.ok());
  EXPECT_TRUE(TensorEquals(*i8, Tensor::FromVector<int8_t>({-128, 127})));
  auto u8 = FromText("dtype: DT_UINT8 tensor_shape { dim { size: 1 } } int_val: 255");
  ASSERT_TRUE(u8.ok());
  EXPECT_EQ(u8->flat<uint8_t>()[0], 255);
  auto i16 = FromText("dtype: DT_INT16 tensor_shape { } int_val: -300");
  ASSERT_TRUE(i16.ok());
  EXPECT_EQ(i16->scalar<int16_t>(), -300);
  auto u16 = FromText("dtype: DT_UINT16 tensor_shape { } int_val: 65535");
  ASSERT_TRUE(u16.ok());
  EXPECT_EQ(u16->scalar<uint16_t>(), 65535);
  auto q = FromText("dtype: DT_QUINT8 tensor_shape { dim { size: 2 } } int_val: 200");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->dtype(), DType::kQUInt8);
  EXPECT_EQ(q->data<uint8_t>()[1], 200);
  auto u32 = FromText("dtype: DT_UINT32 tensor_shape { } uint32_val: 4294967295");
  ASSERT_TRUE(u32.ok());
  EXPECT_EQ(u32->scalar<uint32_t>(), 4294967295u);
  auto u64 = FromText("dtype: DT_UINT64 tensor_shape { } uint64_val: 18446744073709551615");
  ASSERT_TRUE(u64.ok());
  EXPECT_EQ(u64->scalar<uint64_t>(), UINT64_MAX);
}

TEST(TensorFromProtoTest, HalfAndBfloat16Bits) {
  // 1.0 in half = 0x3c00 = 15360; -2.0 = 0xc000 = 49152. 1.0 in bfloat16 = 0x3f80 = 16256.
  auto h = FromText("dtype: DT_HALF tensor_shape { dim { size: 2 } } half_val: 15360 half_val: 49152");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->data<Half>()[0].bits, 0x3c00);
  EXPECT_EQ(static_cast<float>(h->data<Half>()[1]), -2.0f);
  auto b = FromText("dtype: DT_BFLOAT16 tensor_shape { } half_val: 16256");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(static_cast<float>(b->scalar<BFloat16>()), 1.0f);
}

TEST(TensorFromProtoTest, ComplexPairs) {
  auto c = FromText("dtype: DT_COMPLEX64 tensor_shape { dim { size: 3 } } scomplex_val: 1 scomplex_val: 2 "
                    "scomplex_val: 3 scomplex_val: 4");
  ASSERT_TRUE(c.ok());
  auto f = c->flat<std::complex<float>>();
  EXPECT_EQ(f[0], std::complex<float>(1, 2));
  EXPECT_EQ(f[1], std::complex<float>(3, 4));
  EXPECT_EQ(f[2], std::complex<float>(3, 4));  // repeat last pair
  auto d = FromText("dtype: DT_COMPLEX128 tensor_shape { } dcomplex_val: -1 dcomplex_val: 0.5");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->scalar<std::complex<double>>(), std::complex<double>(-1, 0.5));
  EXPECT_FALSE(FromText("dtype: DT_COMPLEX64 tensor_shape { } scomplex_val: 1").ok());
}

TEST(TensorFromProtoTest, StringsAndStringContent) {
  auto s = FromText("dtype: DT_STRING tensor_shape { dim { size: 3 } } string_val: 'a\\000b' string_val: 'xyz'");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->flat<std::string>()[0], std::string("a\0b", 3));
  EXPECT_EQ(s->flat<std::string>()[2], "xyz");
  // Encoded string list: varint32 lengths 2, 0, 3 then "hi" "" "abc".
  tensorflow::TensorProto p = Parse("dtype: DT_STRING tensor_shape { dim { size: 3 } }");
  p.set_tensor_content(std::string("\x02\x00\x03hiabc", 8));
  auto c = TensorFromProto(p);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->flat<std::string>()[0], "hi");
  EXPECT_EQ(c->flat<std::string>()[1], "");
  EXPECT_EQ(c->flat<std::string>()[2], "abc");
  p.set_tensor_content(std::string("\x02\x00\x03hiab", 7));
  EXPECT_FALSE(TensorFromProto(p).ok());
}

TEST(TensorFromProtoTest, ResourceHandles) {
  auto r = FromText("dtype: DT_RESOURCE tensor_shape { } resource_handle_val { container: 'c' name: 'v' "
                    "device: '/cpu:0' maybe_type_name: 'Var' }");
  ASSERT_TRUE(r.ok());
  const ResourceHandle& h = r->scalar<ResourceHandle>();
  EXPECT_EQ(h.container, "c");
  EXPECT_EQ(h.name, "v");
  EXPECT_EQ(h.maybe_type_name, "Var");
}

TEST(TensorFromProtoTest, BadShapesRejectedBeforeAllocation) {
  auto neg = FromText("dtype: DT_FLOAT tensor_shape { dim { size: -1 } } float_val: 1");
  ASSERT_FALSE(neg.ok());
  EXPECT_NE(neg.status().message().find("DT_FLOAT"), std::string::npos) << neg.status().message();
  EXPECT_FALSE(FromText("dtype: DT_FLOAT tensor_shape { dim { size: -7 } }").ok());
  EXPECT_FALSE(FromText("dtype: DT_FLOAT tensor_shape { unknown_rank: true }").ok());
  // 2^62 elements: the product overflows the element limit.
  EXPECT_FALSE(FromText("dtype: DT_FLOAT tensor_shape { dim { size: 4611686018427387904 } }").ok());
  EXPECT_FALSE(FromText("dtype: DT_FLOAT tensor_shape { dim { size: 2147483648 } dim { size: 2147483648 } "
                        "dim { size: 4 } }").ok());
  // 2^36 floats = 256 GiB: within the element limit but over the byte limit.
  auto big = FromText("dtype: DT_FLOAT tensor_shape { dim { size: 68719476736 } } float_val: 1");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("limit"), std::string::npos) << big.status().message();
  // A long string repeated 2^30 times.
  tensorflow::TensorProto p = Parse("dtype: DT_STRING tensor_shape { dim { size: 100000000 } }");
  p.add_string_val(std::string(1000, 'x'));
  EXPECT_FALSE(TensorFromProto(p).ok());
}

TEST(TensorFromProtoTest, BadDtypes) {
  EXPECT_FALSE(FromText("tensor_shape { }").ok());  // DT_INVALID
  auto ref = TensorFromProto(Parse("dtype: DT_FLOAT_REF tensor_shape { } float_val: 1"));
  ASSERT_FALSE(ref.ok());
  EXPECT_NE(ref.status().message().find("DT_FLOAT_REF"), std::string::npos) << ref.status().message();
  EXPECT_FALSE(FromText("dtype: DT_VARIANT tensor_shape { } variant_val { type_name: 'x' }").ok());
}

TEST(TensorToProtoTest, RoundTripsTypedAndContent) {
  std::vector<Tensor> tensors = {
      Tensor::FromVector<float>({1.5f, -2, 3}),
      Tensor::FromVector<int8_t>({-1, 2}),
      Tensor::FromVector<uint16_t>({65535, 1}),
      Tensor::FromVector<int64_t>({INT64_MIN, 3}, Shape{2, 1}),
      Tensor::FromVector<bool>({true, false}),
      Tensor::FromVector<std::string>({"a", std::string("\0\xff", 2)}),
      Tensor::FromVector<std::complex<double>>({{1, 2}}),
      Tensor::FromVector<uint64_t>({UINT64_MAX}),
      Tensor::Scalar<double>(0.25),
  };
  for (const Tensor& t : tensors) {
    for (bool content : {false, true}) {
      tensorflow::TensorProto p;
      ASSERT_TRUE(TensorToProto(t, &p, content).ok());
      auto back = TensorFromProto(p);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_TRUE(TensorEquals(t, *back)) << t.DebugString() << " vs " << back->DebugString();
    }
  }
}

TEST(TensorToProtoTest, FieldsMatchTensorFlowLayout) {
  tensorflow::TensorProto p;
  ASSERT_TRUE(TensorToProto(Tensor::FromVector<int32_t>({1, 2}), &p, true).ok());
  EXPECT_EQ(p.dtype(), tensorflow::DT_INT32);
  ASSERT_EQ(p.tensor_shape().dim_size(), 1);
  EXPECT_EQ(p.tensor_shape().dim(0).size(), 2);
  EXPECT_EQ(p.tensor_content(), std::string("\x01\0\0\0\x02\0\0\0", 8));
  ASSERT_TRUE(TensorToProto(Tensor::FromVector<uint8_t>({200}), &p).ok());
  ASSERT_EQ(p.int_val_size(), 1);
  EXPECT_EQ(p.int_val(0), 200);
  EXPECT_TRUE(p.tensor_content().empty());
  Tensor h(DType::kHalf, Shape{1});
  h.data<Half>()[0].bits = 0x3c00;
  ASSERT_TRUE(TensorToProto(h, &p).ok());
  ASSERT_EQ(p.half_val_size(), 1);
  EXPECT_EQ(p.half_val(0), 0x3c00);
}

TEST(ShapeProtoTest, PartialAndFull) {
  tensorflow::TensorShapeProto sp;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString("dim { size: -1 } dim { size: 3 }", &sp));
  auto ps = PartialShapeFromProto(sp);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->ToString(), "[?,3]");
  EXPECT_FALSE(ShapeFromProto(sp).ok());
  sp.Clear();
  sp.set_unknown_rank(true);
  ps = PartialShapeFromProto(sp);
  ASSERT_TRUE(ps.ok());
  EXPECT_TRUE(ps->unknown_rank());
  sp.add_dim()->set_size(2);
  EXPECT_FALSE(PartialShapeFromProto(sp).ok());  // unknown rank with dims
  sp.Clear();
  sp.add_dim()->set_size(-2);
  EXPECT_FALSE(PartialShapeFromProto(sp).ok());
  sp.Clear();
  auto scalar = ShapeFromProto(sp);
  ASSERT_TRUE(scalar.ok());
  EXPECT_TRUE(scalar->IsScalar());
  sp.Clear();
  for (int i = 0; i < 255; ++i) sp.add_dim()->set_size(1);
  EXPECT_FALSE(PartialShapeFromProto(sp).ok());
}

TEST(ShapeProtoTest, ToProto) {
  tensorflow::TensorShapeProto sp;
  ShapeToProto(PartialShape({-1, 4}), &sp);
  ASSERT_EQ(sp.dim_size(), 2);
  EXPECT_EQ(sp.dim(0).size(), -1);
  EXPECT_EQ(sp.dim(1).size(), 4);
  EXPECT_FALSE(sp.unknown_rank());
  ShapeToProto(PartialShape(), &sp);
  EXPECT_TRUE(sp.unknown_rank());
  EXPECT_EQ(sp.dim_size(), 0);
  ShapeToProto(Shape{5}, &sp);
  ASSERT_EQ(sp.dim_size(), 1);
  EXPECT_EQ(sp.dim(0).size(), 5);
}

}  // namespace
}  // namespace stfs
