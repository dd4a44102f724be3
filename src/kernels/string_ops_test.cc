#include "kernels/string_ops.h"

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::ExpectTensorNear;
using testing::KernelTester;

Tensor S(std::vector<std::string> v) { return Tensor::FromVector<std::string>(v); }
Tensor I64(std::vector<int64_t> v, Shape s) { return Tensor::FromVector<int64_t>(v, s); }

TEST(StringToHashBucketFastTest, GoldenFarmHashValues) {
  // Fingerprint64: a = 12917804110809363939, b = 11795596070477164822,
  // c = 11430444447143000872, d = 4470636696479570465 -> mod 10.
  auto out = KernelTester("StringToHashBucketFast").Attr("num_buckets", 10).Input(S({"a", "b", "c", "d"})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::FromVector<int64_t>({9, 2, 2, 5}));
  auto three = KernelTester("StringToHashBucketFast").Attr("num_buckets", 3)
                   .Input(S({"Hello", "TensorFlow", "2.x"})).Run();
  ASSERT_TRUE(three.ok());
  ExpectTensorEq(three->at(0), Tensor::FromVector<int64_t>({0, 2, 2}));
  EXPECT_FALSE(KernelTester("StringToHashBucketFast").Attr("num_buckets", 0).Input(S({"a"})).Run().ok());
}

TEST(AsStringTest, FloatFormats) {
  auto def = KernelTester("AsString").Input(Tensor::FromVector<float>({1.0f, -2.5f})).Run();
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  ExpectTensorEq(def->at(0), S({"1.000000", "-2.500000"}));
  auto shortest = KernelTester("AsString").Attr("shortest", true).Input(Tensor::FromVector<double>({0.5, 100.0})).Run();
  ASSERT_TRUE(shortest.ok());
  ExpectTensorEq(shortest->at(0), S({"0.5", "100"}));
  auto sci = KernelTester("AsString").Attr("scientific", true).Input(Tensor::FromVector<float>({1234.5f})).Run();
  ASSERT_TRUE(sci.ok());
  ExpectTensorEq(sci->at(0), S({"1.234500e+03"}));
  auto prec = KernelTester("AsString").Attr("precision", 2).Input(Tensor::FromVector<double>({3.14159})).Run();
  ASSERT_TRUE(prec.ok());
  ExpectTensorEq(prec->at(0), S({"3.14"}));
}

TEST(AsStringTest, IntegersBoolsWidthFill) {
  auto ints = KernelTester("AsString").Input(Tensor::FromVector<int64_t>({-7, 9000000000})).Run();
  ASSERT_TRUE(ints.ok());
  ExpectTensorEq(ints->at(0), S({"-7", "9000000000"}));
  auto zero_fill = KernelTester("AsString").Attr("width", 5).Attr("fill", "0").Input(Tensor::FromVector<int32_t>({42})).Run();
  ASSERT_TRUE(zero_fill.ok());
  ExpectTensorEq(zero_fill->at(0), S({"00042"}));
  auto space = KernelTester("AsString").Attr("width", 4).Input(Tensor::FromVector<int32_t>({7})).Run();
  ASSERT_TRUE(space.ok());
  ExpectTensorEq(space->at(0), S({"   7"}));
  auto bools = KernelTester("AsString").Input(Tensor::FromVector<bool>({true, false})).Run();
  ASSERT_TRUE(bools.ok());
  ExpectTensorEq(bools->at(0), S({"true", "false"}));
}

TEST(AsStringTest, BadAttrs) {
  EXPECT_FALSE(KernelTester("AsString").Attr("shortest", true).Attr("scientific", true)
                   .Input(Tensor::FromVector<float>({1})).Run().ok());
  EXPECT_FALSE(KernelTester("AsString").Attr("precision", 2).Input(Tensor::FromVector<int32_t>({1})).Run().ok());
  EXPECT_FALSE(KernelTester("AsString").Attr("fill", "ab").Input(Tensor::FromVector<int32_t>({1})).Run().ok());
  EXPECT_FALSE(KernelTester("AsString").Attr("fill", "x").Input(Tensor::FromVector<int32_t>({1})).Run().ok());
}

TEST(StringJoinTest, BroadcastsScalars) {
  auto out = KernelTester("StringJoin").Attr("separator", "/").Input(S({"a", "b"}))
                 .Input(Tensor::Scalar<std::string>("x")).Input(S({"1", "2"})).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), S({"a/x/1", "b/x/2"}));
  EXPECT_FALSE(KernelTester("StringJoin").Input(S({"a", "b"})).Input(S({"c"})).Run().ok());
}

TEST(SubstrTest, BytesAndNegativePos) {
  auto out = KernelTester("Substr").Input(S({"Hello", "World"})).Input(Tensor::Scalar<int32_t>(1))
                 .Input(Tensor::Scalar<int32_t>(3)).Run();
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), S({"ell", "orl"}));
  auto neg = KernelTester("Substr").Input(S({"Hello"})).Input(Tensor::FromVector<int32_t>({-2}))
                 .Input(Tensor::FromVector<int32_t>({10})).Run();
  ASSERT_TRUE(neg.ok());
  ExpectTensorEq(neg->at(0), S({"lo"}));
  EXPECT_FALSE(KernelTester("Substr").Input(S({"abc"})).Input(Tensor::Scalar<int32_t>(4))
                   .Input(Tensor::Scalar<int32_t>(1)).Run().ok());
}

TEST(StringSplitTest, CharSetDelimiterSkipsEmpty) {
  auto out = KernelTester("StringSplit").Input(S({"a b,c", "", "d"})).Input(Tensor::Scalar<std::string>(" ,")).Run(3);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I64({0, 0, 0, 1, 0, 2, 2, 0}, Shape{4, 2}));
  ExpectTensorEq(out->at(1), S({"a", "b", "c", "d"}));
  ExpectTensorEq(out->at(2), Tensor::FromVector<int64_t>({3, 3}));
}

TEST(StringSplitTest, V2SeparatorKeepsEmptyAndWhitespaceMode) {
  auto sep = KernelTester("StringSplitV2").Input(S({"1<>2<><>3"})).Input(Tensor::Scalar<std::string>("<>")).Run(3);
  ASSERT_TRUE(sep.ok()) << sep.status().ToString();
  ExpectTensorEq(sep->at(1), S({"1", "2", "", "3"}));
  ExpectTensorEq(sep->at(2), Tensor::FromVector<int64_t>({1, 4}));
  auto ws = KernelTester("StringSplitV2").Input(S({"  a  b c ", "x"})).Input(Tensor::Scalar<std::string>("")).Run(3);
  ASSERT_TRUE(ws.ok());
  ExpectTensorEq(ws->at(0), I64({0, 0, 0, 1, 0, 2, 1, 0}, Shape{4, 2}));
  ExpectTensorEq(ws->at(1), S({"a", "b", "c", "x"}));
  auto maxsplit = KernelTester("StringSplitV2").Attr("maxsplit", 1).Input(S({"a,b,c"}))
                      .Input(Tensor::Scalar<std::string>(",")).Run(3);
  ASSERT_TRUE(maxsplit.ok());
  ExpectTensorEq(maxsplit->at(1), S({"a", "b,c"}));
}

TEST(StringToNumberTest, ParsesAndRejects) {
  auto f = KernelTester("StringToNumber").Input(S({"1.5", "-2", " 3e2"})).Run();
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ExpectTensorNear(f->at(0), Tensor::FromVector<float>({1.5f, -2.0f, 300.0f}));
  auto i = KernelTester("StringToNumber").Attr("out_type", DType::kInt32).Input(S({"42", "-7"})).Run();
  ASSERT_TRUE(i.ok());
  ExpectTensorEq(i->at(0), Tensor::FromVector<int32_t>({42, -7}));
  auto bad = KernelTester("StringToNumber").Input(S({"1.5x"})).Run();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("1.5x"), std::string::npos);
  EXPECT_FALSE(KernelTester("StringToNumber").Attr("out_type", DType::kInt32).Input(S({"3000000000"})).Run().ok());
  EXPECT_FALSE(KernelTester("StringToNumber").Attr("out_type", DType::kInt64).Input(S({"1.5"})).Run().ok());
  EXPECT_FALSE(KernelTester("StringToNumber").Input(S({""})).Run().ok());
}

TEST(StringLengthTest, BytesAndUtf8) {
  auto b = KernelTester("StringLength").Input(S({"abc", "\xc3\xa9"})).Run();
  ASSERT_TRUE(b.ok());
  ExpectTensorEq(b->at(0), Tensor::FromVector<int32_t>({3, 2}));
  auto u = KernelTester("StringLength").Attr("unit", "UTF8_CHAR").Input(S({"abc", "\xc3\xa9"})).Run();
  ASSERT_TRUE(u.ok());
  ExpectTensorEq(u->at(0), Tensor::FromVector<int32_t>({3, 1}));
}

TEST(Base64Test, WebSafeDecodeAndEncode) {
  // "\xfb\xff" is "-_8" web-safe ("+/8=" standard).
  auto dec = KernelTester("DecodeBase64").Input(S({"aGk", "aGk=", "-_8"})).Run();
  ASSERT_TRUE(dec.ok()) << dec.status().ToString();
  ExpectTensorEq(dec->at(0), S({"hi", "hi", "\xfb\xff"}));
  EXPECT_FALSE(KernelTester("DecodeBase64").Input(S({"+/8="})).Run().ok());
  auto enc = KernelTester("EncodeBase64").Input(S({"hi", "\xfb\xff"})).Run();
  ASSERT_TRUE(enc.ok());
  ExpectTensorEq(enc->at(0), S({"aGk", "-_8"}));
  auto padded = KernelTester("EncodeBase64").Attr("pad", true).Input(S({"hi"})).Run();
  ASSERT_TRUE(padded.ok());
  ExpectTensorEq(padded->at(0), S({"aGk="}));
}

}  // namespace
}  // namespace stfs::kernels
