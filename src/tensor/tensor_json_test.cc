#include "base/base64.h"
#include "tensor/tensor_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace stfs {
namespace {

StatusOr<Tensor> Parse(std::string_view json, DType dtype) {
  JsonDocument doc;
  RETURN_IF_ERROR(doc.Parse(json));
  return JsonToTensor(doc.root(), dtype, doc.read_options());
}

std::string Write(const Tensor& t, bool b64 = false) {
  std::string out;
  AppendTensorJson(t, b64, &out);
  return out;
}

TEST(JsonDocumentTest, EmptyAndInvalidUseTfServingWording) {
  JsonDocument doc;
  Status s = doc.Parse("  \n");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("JSON Parse error: The document is empty"), std::string::npos);
  s = doc.Parse("instances = [1, 2]");
  EXPECT_NE(s.message().find("JSON Parse error: Invalid value"), std::string::npos);
  s = doc.Parse("[1, 2");
  EXPECT_NE(s.message().find("JSON Parse error"), std::string::npos);
}

TEST(JsonToTensorTest, NestedListsGiveShapeAndValues) {
  auto t = Parse("[[1, 2.5, -3], [4e1, 5, 6]]", DType::kFloat);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->shape(), Shape({2, 3}));
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<float>({1, 2.5f, -3, 40, 5, 6}, Shape{2, 3})));
}

TEST(JsonToTensorTest, ScalarGivesRankZero) {
  auto t = Parse("7", DType::kInt64);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rank(), 0);
  EXPECT_EQ(t->scalar<int64_t>(), 7);
}

TEST(JsonToTensorTest, EmptyListsKeepTheirDims) {
  auto t = Parse("[]", DType::kFloat);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->shape(), Shape({0}));
  t = Parse("[[], []]", DType::kInt32);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->shape(), Shape({2, 0}));
}

TEST(JsonToTensorTest, RaggedListsNameTheLocation) {
  auto t = Parse("[[1, 2, 3], [4, 5, 6], [7, 8]]", DType::kFloat);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "ragged list at [2]: expected 3 elements, got 2");
  t = Parse("[[1, 2], [3, [4]]]", DType::kFloat);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("ragged list at [1][1]"), std::string::npos);
  t = Parse("[[1, 2], 3]", DType::kFloat);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("ragged list at [1]: expected 2 elements, got integer"),
            std::string::npos);
}

TEST(JsonToTensorTest, RaggedCheckedBeforeAllocating) {
  // First element claims 3x3000; siblings are empty: must fail, not allocate 9000 * big.
  std::string json = "[[";
  for (int i = 0; i < 3000; ++i) json += i ? ",0" : "0";
  json += "], [], []]";
  auto t = Parse(json, DType::kFloat);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("ragged list at [1]: expected 3000 elements, got 0"),
            std::string::npos);
}

TEST(JsonToTensorTest, FloatAcceptsIntegersAndRoundsLikeTfServing) {
  // TF Serving's json_tensor_test: 1435774380 becomes float 1435774336.
  auto t = Parse("[1435774380]", DType::kFloat);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<float>()[0], 1435774336.0f);
  // Overflow goes to infinity, underflow to zero.
  t = Parse("[1e39, -1e39, 1e-50]", DType::kFloat);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->flat<float>()[0], std::numeric_limits<float>::infinity());
  EXPECT_EQ(t->flat<float>()[1], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(t->flat<float>()[2], 0.0f);
}

TEST(JsonToTensorTest, NonFiniteTokens) {
  auto t = Parse("[NaN, Infinity, -Infinity, 1.5]", DType::kFloat);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(std::isnan(t->flat<float>()[0]));
  EXPECT_EQ(t->flat<float>()[1], std::numeric_limits<float>::infinity());
  EXPECT_EQ(t->flat<float>()[2], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(t->flat<float>()[3], 1.5f);
  // Inside strings the tokens are text, and they are no strings themselves.
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(R"({"a": ["NaN", "x Infinity"], "b": NaN})").ok());
  auto s = JsonToTensor(doc.root()["a"], DType::kString, doc.read_options());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->flat<std::string>()[0], "NaN");
  EXPECT_EQ(s->flat<std::string>()[1], "x Infinity");
  auto bad = JsonToTensor(doc.root()["b"], DType::kString, doc.read_options());
  EXPECT_FALSE(bad.ok());
  auto i = JsonToTensor(doc.root()["b"], DType::kInt32, doc.read_options());
  EXPECT_FALSE(i.ok());
}

TEST(JsonToTensorTest, IntegerRangesAndIntegrality) {
  auto t = Parse("[2147483647, -2147483648, 3.0]", DType::kInt32);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->flat<int32_t>()[0], 2147483647);
  EXPECT_EQ(t->flat<int32_t>()[1], -2147483647 - 1);
  EXPECT_EQ(t->flat<int32_t>()[2], 3);
  EXPECT_FALSE(Parse("[2147483648]", DType::kInt32).ok());
  EXPECT_FALSE(Parse("[2.5]", DType::kInt32).ok());
  EXPECT_FALSE(Parse("[256]", DType::kUInt8).ok());
  EXPECT_FALSE(Parse("[-1]", DType::kUInt32).ok());
  EXPECT_FALSE(Parse("[9223372036854775808]", DType::kInt64).ok());
  auto u = Parse("[18446744073709551615]", DType::kUInt64);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->flat<uint64_t>()[0], 18446744073709551615ull);
  auto msg = Parse("[\"x\", \"y\"]", DType::kFloat).status().message();
  EXPECT_NE(msg.find("not of expected type: float"), std::string::npos) << msg;
}

TEST(JsonToTensorTest, BoolAndStrings) {
  auto b = Parse("[true, false]", DType::kBool);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->flat<bool>()[0]);
  EXPECT_FALSE(b->flat<bool>()[1]);
  EXPECT_FALSE(Parse("[1]", DType::kBool).ok());
  // "aGVsbG8=" is base64 of "hello"; "-_8" is URL-safe for bytes FB FF.
  auto s = Parse(R"(["h\u00e9", {"b64": "aGVsbG8="}, {"b64": "-_8"}, {"b64": "+/8"}])",
                 DType::kString);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->flat<std::string>()[0], "h\xC3\xA9");
  EXPECT_EQ(s->flat<std::string>()[1], "hello");
  EXPECT_EQ(s->flat<std::string>()[2], "\xFB\xFF");
  EXPECT_EQ(s->flat<std::string>()[3], "\xFB\xFF");
  EXPECT_FALSE(Parse(R"([{"b64": "a"}])", DType::kString).ok());
  EXPECT_FALSE(Parse(R"([{"b64": "aGVs", "x": 1}])", DType::kString).ok());
  EXPECT_FALSE(Parse("[1]", DType::kString).ok());
}

TEST(JsonToTensorTest, UnsupportedDtypeIsUnimplemented) {
  auto t = Parse("[1]", DType::kComplex64);
  EXPECT_EQ(t.status().code(), Code::kUnimplemented);
}

TEST(JsonRowsToTensorTest, StacksRows) {
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse("[[1, 2], [3, 4], [5, 6]]").ok());
  std::vector<simdjson::dom::element> rows;
  for (auto e : simdjson::dom::array(doc.root())) rows.push_back(e);
  auto t = JsonRowsToTensor(rows, DType::kInt32);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(TensorEquals(*t, Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, Shape{3, 2})));
  rows.clear();
  ASSERT_TRUE(doc.Parse("[[1, 2], [3]]").ok());
  for (auto e : simdjson::dom::array(doc.root())) rows.push_back(e);
  auto bad = JsonRowsToTensor(rows, DType::kInt32);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "ragged list at [1]: expected 2 elements, got 1");
}

TEST(TensorToJsonTest, TfServingFloatFormatting) {
  // Test vector from TF Serving's json_tensor_test.
  Tensor t = Tensor::FromVector<float>({9000000, 999999, 0.5, 0.0003, 0.00003, 555557.5},
                                       Shape{2, 3});
  EXPECT_EQ(Write(t), "[[9e+06, 999999.0, 0.5], [0.0003, 3e-05, 555557.5]]");
}

TEST(TensorToJsonTest, FloatsAreShortestAsFloat) {
  std::string out;
  AppendJsonFloat(0.1f, &out);  // not widened: 0.100000001490116
  EXPECT_EQ(out, "0.1");
  out.clear();
  AppendJsonFloat(3.0f, &out);
  EXPECT_EQ(out, "3.0");
  out.clear();
  AppendJsonFloat(-2.5f, &out);
  EXPECT_EQ(out, "-2.5");
  out.clear();
  // Float spacing near 0.6 is 2^-24 (6e-8): 0.615545 already names the same
  // float as 0.61554497, so the shortest form has 6 digits.
  AppendJsonFloat(0.61554497f, &out);
  EXPECT_EQ(out, "0.615545");
  out.clear();
  AppendJsonFloat(0.1234567f, &out);  // needs 7 digits: %g layout with 9-digit precision
  EXPECT_EQ(out, "0.1234567");
  out.clear();
  AppendJsonFloat(1234567.0f, &out);
  EXPECT_EQ(out, "1234567.0");
  out.clear();
  AppendJsonDouble(0.1, &out);
  EXPECT_EQ(out, "0.1");
  out.clear();
  AppendJsonDouble(1e100, &out);
  EXPECT_EQ(out, "1e+100");
  out.clear();
  AppendJsonFloat(std::nanf(""), &out);
  out += ",";
  AppendJsonFloat(-std::numeric_limits<float>::infinity(), &out);
  out += ",";
  AppendJsonDouble(std::numeric_limits<double>::infinity(), &out);
  EXPECT_EQ(out, "NaN,-Infinity,Infinity");
}

TEST(TensorToJsonTest, IntsBoolsAndScalars) {
  EXPECT_EQ(Write(Tensor::FromVector<int64_t>({-9223372036854775807 - 1, 5})),
            "[-9223372036854775808, 5]");
  EXPECT_EQ(Write(Tensor::FromVector<bool>({true, false})), "[true, false]");
  EXPECT_EQ(Write(Tensor::Scalar<double>(8.0)), "8.0");
  EXPECT_EQ(Write(Tensor::FromVector<uint8_t>({255, 0})), "[255, 0]");
  EXPECT_EQ(Write(Tensor(DType::kFloat, Shape{2, 0})), "[[], []]");
  EXPECT_EQ(Write(Tensor(DType::kFloat, Shape{0, 3})), "[]");
}

TEST(TensorToJsonTest, StringsUtf8OrB64) {
  Tensor t = Tensor::FromVector<std::string>({"foo", "a\"b\n", std::string("\xFF\x00", 2)});
  EXPECT_EQ(Write(t), R"(["foo", "a\"b\n", {"b64": "/wA="}])");
  // *_bytes aliases: always b64 ("hello" -> aGVsbG8=, "world" -> d29ybGQ=).
  Tensor b = Tensor::FromVector<std::string>({"hello", "world"});
  EXPECT_EQ(Write(b, true), R"([{"b64": "aGVsbG8="}, {"b64": "d29ybGQ="}])");
}

TEST(TensorToJsonTest, RowsOfATensor) {
  Tensor t = Tensor::FromVector<int32_t>({1, 2, 3, 4, 5, 6}, Shape{3, 2});
  std::string out;
  AppendTensorRowJson(t, 1, false, &out);
  EXPECT_EQ(out, "[3, 4]");
  out.clear();
  AppendTensorRowJson(Tensor::FromVector<float>({1.5f, 2}), 1, false, &out);
  EXPECT_EQ(out, "2.0");
}

TEST(Utf8Test, Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
}

TEST(Base64Test, RoundTripsAndAlphabets) {
  EXPECT_EQ(EncodeStdBase64(""), "");
  EXPECT_EQ(EncodeStdBase64("f"), "Zg==");
  EXPECT_EQ(EncodeStdBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeStdBase64("foo"), "Zm9v");
  EXPECT_EQ(*Base64DecodeLenient("Zg=="), "f");
  EXPECT_EQ(*Base64DecodeLenient("Zg"), "f");
  EXPECT_EQ(*Base64DecodeLenient("Zm9vYg"), "foob");
  EXPECT_FALSE(Base64DecodeLenient("Zg=").ok());
  EXPECT_FALSE(Base64DecodeLenient("Z").ok());
  EXPECT_FALSE(Base64DecodeLenient("Zm9v!").ok());
}

}  // namespace
}  // namespace stfs
