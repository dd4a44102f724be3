#include "base/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace stfs {
namespace {

std::string WebSafeOk(std::string_view in) {
  auto r = DecodeBase64WebSafe(in);
  EXPECT_TRUE(r.ok()) << in << ": " << r.status().ToString();
  return r.ok() ? *r : std::string("<error>");
}

TEST(Base64, WebSafeDecodeBasics) {
  EXPECT_EQ(WebSafeOk(""), "");
  EXPECT_EQ(WebSafeOk("QQ"), "A");
  EXPECT_EQ(WebSafeOk("QQ=="), "A");
  EXPECT_EQ(WebSafeOk("QUI"), "AB");
  EXPECT_EQ(WebSafeOk("QUI="), "AB");
  EXPECT_EQ(WebSafeOk("QUJD"), "ABC");
  EXPECT_EQ(WebSafeOk("QUJDRA"), "ABCD");
  EXPECT_EQ(WebSafeOk("aGVsbG8gd29ybGQ"), "hello world");
  // '-' = 62, '_' = 63, '8' = 60 -> 111110 111111 111100 -> FB FF.
  EXPECT_EQ(WebSafeOk("-_8"), "\xFB\xFF");
  EXPECT_EQ(WebSafeOk("-_8="), "\xFB\xFF");
}

TEST(Base64, WebSafeDecodeErrorsLikeTF) {
  for (const char* bad : {"+/8=", "QQ=", "Q", "QUJDR", "Q===", "QQ=A", "QU JD", "QUJD\n",
                          "=QQQ", "QQ==QQ==", "\xC3\xA9\x41\x41"}) {
    auto r = DecodeBase64WebSafe(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  EXPECT_EQ(DecodeBase64WebSafe("Q").status().message(),
            "Base64 string length cannot be 1 modulo 4.");
  EXPECT_EQ(DecodeBase64WebSafe("ab+c").status().message(),
            "Invalid character found in base64.");
}

TEST(Base64, AnyAlphabet) {
  auto ok = [](std::string_view in) {
    auto r = DecodeBase64Any(in);
    EXPECT_TRUE(r.ok()) << in << ": " << r.status().ToString();
    return r.ok() ? *r : std::string("<error>");
  };
  EXPECT_EQ(ok("+/8="), "\xFB\xFF");
  EXPECT_EQ(ok("+/8"), "\xFB\xFF");
  EXPECT_EQ(ok("-_8"), "\xFB\xFF");
  EXPECT_EQ(ok("QU JD\r\nRA=="), "ABCD");
  EXPECT_EQ(ok(""), "");
  for (const char* bad : {"Q", "QQ=", "QQ===", "Q=Q=", "QQ==QQ", "QU*D", "QQ=\x00"}) {
    EXPECT_FALSE(DecodeBase64Any(bad).ok()) << bad;
  }
}

TEST(Base64, Encode) {
  EXPECT_EQ(EncodeBase64("", true, true), "");
  EXPECT_EQ(EncodeBase64("A", true, false), "QQ");
  EXPECT_EQ(EncodeBase64("A", true, true), "QQ==");
  EXPECT_EQ(EncodeBase64("AB", false, true), "QUI=");
  EXPECT_EQ(EncodeBase64("ABC", false, true), "QUJD");
  EXPECT_EQ(EncodeBase64("\xFB\xFF", true, false), "-_8");
  EXPECT_EQ(EncodeBase64("\xFB\xFF", true, true), "-_8=");
  EXPECT_EQ(EncodeBase64("\xFB\xFF", false, true), "+/8=");
}

TEST(Base64, RoundTripRandom) {
  std::mt19937 rng(42);
  for (int len = 0; len < 64; ++len) {
    std::string s(len, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    for (bool pad : {false, true}) {
      EXPECT_EQ(WebSafeOk(EncodeBase64(s, true, pad)), s);
      auto any = DecodeBase64Any(EncodeBase64(s, false, pad));
      ASSERT_TRUE(any.ok());
      EXPECT_EQ(*any, s);
    }
  }
}

}  // namespace
}  // namespace stfs
