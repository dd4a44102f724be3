#include "kernels/parse_example.h"

#include <cstring>

#include "kernels/kernel_tester.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::KernelTester;

// ---- a tiny tf.Example encoder (protobuf wire format, written by hand) ----
std::string Varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
  return s;
}
std::string Tag(int field, int wire_type) { return Varint((field << 3) | wire_type); }
std::string Len(int field, const std::string& payload) { return Tag(field, 2) + Varint(payload.size()) + payload; }
std::string Fixed32(float f) {
  std::string s(4, '\0');
  std::memcpy(s.data(), &f, 4);
  return s;
}
// Feature kinds: bytes_list = 1, float_list = 2, int64_list = 3.
std::string FloatsPacked(std::vector<float> v) {
  std::string raw;
  for (float f : v) raw += Fixed32(f);
  return Len(2, Len(1, raw));
}
std::string FloatsUnpacked(std::vector<float> v) {
  std::string list;
  for (float f : v) list += Tag(1, 5) + Fixed32(f);
  return Len(2, list);
}
std::string Int64sPacked(std::vector<int64_t> v) {
  std::string raw;
  for (int64_t x : v) raw += Varint(static_cast<uint64_t>(x));
  return Len(3, Len(1, raw));
}
std::string Int64sUnpacked(std::vector<int64_t> v) {
  std::string list;
  for (int64_t x : v) list += Tag(1, 0) + Varint(static_cast<uint64_t>(x));
  return Len(3, list);
}
std::string BytesFeature(std::vector<std::string> v) {
  std::string list;
  for (const auto& s : v) list += Len(1, s);
  return Len(1, list);
}
std::string Example(std::vector<std::pair<std::string, std::string>> features) {
  std::string map;
  for (const auto& [key, feature] : features) map += Len(1, Len(1, key) + Len(2, feature));
  return Len(1, map);
}

Tensor Strings(std::vector<std::string> v) { return Tensor::FromVector<std::string>(v); }
Tensor F(std::vector<float> v, Shape s) { return Tensor::FromVector<float>(v, s); }
Tensor I64(std::vector<int64_t> v, Shape s) { return Tensor::FromVector<int64_t>(v, s); }

// ParseExample v1 with dense float features x (required) and x2 (default 0), shape [1].
StatusOr<std::vector<Tensor>> HalfPlusTwo(std::vector<std::string> serialized) {
  KernelTester t("ParseExample");
  t.Attr("Nsparse", 0).Attr("Ndense", 2).Attr("sparse_types", std::vector<DType>{})
      .Attr("Tdense", std::vector<DType>{DType::kFloat, DType::kFloat})
      .Attr("dense_shapes", std::vector<PartialShape>{PartialShape({1}), PartialShape({1})})
      .Input(Strings(serialized)).Input(Tensor(DType::kString, Shape{0}))
      .Input(Tensor::Scalar<std::string>("x")).Input(Tensor::Scalar<std::string>("x2"))
      .Input(Tensor(DType::kFloat, Shape{0})).Input(F({0}, Shape{1}));
  return t.Run(2);
}

TEST(ParseExampleTest, HalfPlusTwoDenseWithDefault) {
  auto out = HalfPlusTwo({Example({{"x", FloatsPacked({2.0f})}}),
                          Example({{"x2", FloatsUnpacked({5.0f})}, {"x", FloatsUnpacked({3.0f})}})})
                 ;
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({2, 3}, Shape{2, 1}));
  ExpectTensorEq(out->at(1), F({0, 5}, Shape{2, 1}));
}

TEST(ParseExampleTest, RequiredFeatureMissing) {
  auto out = HalfPlusTwo({Example({{"x", FloatsPacked({2.0f})}}), Example({{"x2", FloatsPacked({1.0f})}})});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), Code::kInvalidArgument);
  EXPECT_NE(out.status().message().find("Feature: x (data type: float) is required"), std::string::npos)
      << out.status().ToString();
  EXPECT_NE(out.status().message().find("example index 1"), std::string::npos);
}

TEST(ParseExampleTest, EmptyFeatureCountsAsMissing) {
  auto out = HalfPlusTwo({Example({{"x", FloatsPacked({1.0f})}, {"x2", ""}})});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(1), F({0}, Shape{1, 1}));
}

TEST(ParseExampleTest, WrongFeatureKind) {
  auto out = HalfPlusTwo({Example({{"x", Int64sPacked({2})}})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("feature 'x' has int64_list but float was expected"), std::string::npos)
      << out.status().ToString();
}

TEST(ParseExampleTest, WrongValueCount) {
  auto out = HalfPlusTwo({Example({{"x", FloatsPacked({1.0f, 2.0f})}})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("Values size: 2"), std::string::npos) << out.status().ToString();
}

TEST(ParseExampleTest, MalformedInput) {
  auto truncated = HalfPlusTwo({Example({{"x", FloatsPacked({1.0f})}}).substr(0, 7)});
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("Could not parse example input"), std::string::npos);
  auto garbage = HalfPlusTwo({std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)});
  EXPECT_FALSE(garbage.ok());
  // A packed float list whose length is not a multiple of 4.
  auto odd = HalfPlusTwo({Example({{"x", Len(2, Len(1, "abc"))}})});
  EXPECT_FALSE(odd.ok());
}

TEST(ParseExampleTest, UnknownFieldsAndDuplicateKeys) {
  // Unknown varint field 5 in Example, duplicate key: the first occurrence wins.
  std::string ex = Tag(5, 0) + Varint(42) +
                   Example({{"x", FloatsPacked({7.0f})}, {"x", FloatsPacked({8.0f})}});
  auto out = HalfPlusTwo({ex});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({7}, Shape{1, 1}));
}

TEST(ParseExampleTest, SparseAndStringAndVarLenDense) {
  std::vector<std::string> batch = {
      Example({{"s", Int64sPacked({1, 2, 3})}, {"w", BytesFeature({"p", "q"})}, {"v", Int64sPacked({1, 2})}}),
      Example({{"v", Int64sUnpacked({-3})}}),
      Example({{"s", Int64sUnpacked({7})}, {"w", BytesFeature({"r", "s"})}}),
  };
  auto out = KernelTester("ParseExample")
                 .Attr("Nsparse", 1).Attr("Ndense", 2).Attr("sparse_types", std::vector<DType>{DType::kInt64})
                 .Attr("Tdense", std::vector<DType>{DType::kString, DType::kInt64})
                 .Attr("dense_shapes", std::vector<PartialShape>{PartialShape({2}), PartialShape({-1})})
                 .Input(Strings(batch)).Input(Tensor(DType::kString, Shape{0}))
                 .Input(Tensor::Scalar<std::string>("s"))
                 .Input(Tensor::Scalar<std::string>("w")).Input(Tensor::Scalar<std::string>("v"))
                 .Input(Strings({"a", "b"})).Input(Tensor::Scalar<int64_t>(-1))
                 .Run(5);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I64({0, 0, 0, 1, 0, 2, 2, 0}, Shape{4, 2}));
  ExpectTensorEq(out->at(1), I64({1, 2, 3, 7}, Shape{4}));
  ExpectTensorEq(out->at(2), I64({3, 3}, Shape{2}));
  ExpectTensorEq(out->at(3), Tensor::FromVector<std::string>({"p", "q", "a", "b", "r", "s"}, Shape{3, 2}));
  ExpectTensorEq(out->at(4), I64({1, 2, -3, -1, -1, -1}, Shape{3, 2}));
}

StatusOr<std::vector<Tensor>> V2(Tensor serialized) {
  KernelTester t("ParseExampleV2");
  t.Attr("num_sparse", 1).Attr("sparse_types", std::vector<DType>{DType::kString})
      .Attr("Tdense", std::vector<DType>{DType::kFloat})
      .Attr("dense_shapes", std::vector<PartialShape>{PartialShape({1})})
      .Attr("ragged_value_types", std::vector<DType>{DType::kFloat})
      .Attr("ragged_split_types", std::vector<DType>{DType::kInt32})
      .Input(std::move(serialized)).Input(Tensor(DType::kString, Shape{0}))
      .Input(Strings({"tags"})).Input(Strings({"x"})).Input(Strings({"r"}))
      .Input(F({-1}, Shape{1}));
  return t.Run(6);
}

TEST(ParseExampleV2Test, BatchWithSparseDenseRagged) {
  Tensor batch = Strings({Example({{"x", FloatsPacked({2.0f})}, {"r", FloatsPacked({1.5f, 2.5f})},
                                   {"tags", BytesFeature({"a"})}}),
                          Example({{"tags", BytesFeature({"b", "c"})}})});
  auto out = V2(batch);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I64({0, 0, 1, 0, 1, 1}, Shape{3, 2}));
  ExpectTensorEq(out->at(1), Strings({"a", "b", "c"}));
  ExpectTensorEq(out->at(2), I64({2, 2}, Shape{2}));
  ExpectTensorEq(out->at(3), F({2, -1}, Shape{2, 1}));
  ExpectTensorEq(out->at(4), F({1.5f, 2.5f}, Shape{2}));
  ExpectTensorEq(out->at(5), Tensor::FromVector<int32_t>({0, 2, 2}));
}

TEST(ParseExampleV2Test, ScalarInputDropsBatchDim) {
  auto out = V2(Tensor::Scalar<std::string>(Example({{"tags", BytesFeature({"a", "b"})}})));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), I64({0, 1}, Shape{2, 1}));
  ExpectTensorEq(out->at(2), I64({2}, Shape{1}));
  ExpectTensorEq(out->at(3), F({-1}, Shape{1}));
}

TEST(ParseSingleExampleTest, KeysFromAttrs) {
  auto out = KernelTester("ParseSingleExample")
                 .Attr("num_sparse", 0).Attr("sparse_keys", std::vector<std::string>{})
                 .Attr("dense_keys", std::vector<std::string>{"age"}).Attr("sparse_types", std::vector<DType>{})
                 .Attr("Tdense", std::vector<DType>{DType::kInt64})
                 .Attr("dense_shapes", std::vector<PartialShape>{PartialShape::Scalar()})
                 .Input(Tensor::Scalar<std::string>(Example({{"age", Int64sPacked({-5})}})))
                 .Input(Tensor(DType::kInt64, Shape{0}))
                 .Run(1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), Tensor::Scalar<int64_t>(-5));
}

TEST(ParseExampleV2Test, ManyKeysUseHashLookup) {
  KernelTester t("ParseExampleV2");
  std::vector<std::string> keys;
  for (int i = 0; i < 10; ++i) keys.push_back("k" + std::to_string(i));
  t.Attr("num_sparse", 0).Attr("sparse_types", std::vector<DType>{})
      .Attr("Tdense", std::vector<DType>(10, DType::kFloat))
      .Attr("dense_shapes", std::vector<PartialShape>(10, PartialShape::Scalar()))
      .Attr("ragged_value_types", std::vector<DType>{}).Attr("ragged_split_types", std::vector<DType>{})
      .Input(Strings({Example({{"k7", FloatsPacked({7})}, {"zz", FloatsPacked({1})}, {"k9", FloatsPacked({9})}})}))
      .Input(Tensor(DType::kString, Shape{0})).Input(Tensor(DType::kString, Shape{0})).Input(Strings(keys))
      .Input(Tensor(DType::kString, Shape{0}));
  for (int i = 0; i < 10; ++i) t.Input(Tensor::Scalar<float>(-1));
  auto out = t.Run(10);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ExpectTensorEq(out->at(0), F({-1}, Shape{1}));
  ExpectTensorEq(out->at(7), F({7}, Shape{1}));
  ExpectTensorEq(out->at(9), F({9}, Shape{1}));
}

TEST(ParseExampleTest, BadConfig) {
  // Variable-length dense needs a single padding element.
  auto out = KernelTester("ParseExample")
                 .Attr("Nsparse", 0).Attr("Ndense", 1).Attr("sparse_types", std::vector<DType>{})
                 .Attr("Tdense", std::vector<DType>{DType::kFloat})
                 .Attr("dense_shapes", std::vector<PartialShape>{PartialShape({-1})})
                 .Input(Strings({Example({})})).Input(Tensor(DType::kString, Shape{0}))
                 .Input(Tensor::Scalar<std::string>("x")).Input(Tensor(DType::kFloat, Shape{0}))
                 .Run(1);
  EXPECT_FALSE(out.ok());
}

}  // namespace
}  // namespace stfs::kernels
