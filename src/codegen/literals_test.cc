#include "base/base64.h"
#include "codegen/literals.h"

#include <gtest/gtest.h>

#include "codegen/template_util.h"

namespace stfs::codegen_internal {
namespace {

TEST(JsonStringTest, PlainCharactersStay) {
  EXPECT_EQ(JsonString("serving_default"), "\"serving_default\"");
  EXPECT_EQ(JsonString("a b.c,d:e;f/g+h=i@j-k"), "\"a b.c,d:e;f/g+h=i@j-k\"");
}

TEST(JsonStringTest, EverythingElseIsUnicodeEscaped) {
  EXPECT_EQ(JsonString("a\"b"), "\"a\\u0022b\"");
  EXPECT_EQ(JsonString("\\"), "\"\\u005C\"");
  EXPECT_EQ(JsonString("'`$#)\n"), "\"\\u0027\\u0060\\u0024\\u0023\\u0029\\u000A\"");
  EXPECT_EQ(JsonString("\xC3\xA9"), "\"\\u00E9\"");                // é
  EXPECT_EQ(JsonString("\xF0\x9F\x98\x80"), "\"\\uD83D\\uDE00\"");  // U+1F600
  EXPECT_EQ(JsonString("\xFF"), "\"\\uFFFD\"");                      // invalid byte
  EXPECT_EQ(JsonString("\xC0\xAF"), "\"\\uFFFD\\uFFFD\"");           // overlong '/'
}

TEST(PercentEncodeTest, KeepsUnreserved) {
  EXPECT_EQ(PercentEncode("my-model_1.0~"), "my-model_1.0~");
  EXPECT_EQ(PercentEncode("a b/c:d"), "a%20b%2Fc%3Ad");
  EXPECT_EQ(PercentEncode("\xC3\xA9"), "%C3%A9");
}

TEST(Base64Test, RfcVectors) {
  EXPECT_EQ(EncodeStdBase64(""), "");
  EXPECT_EQ(EncodeStdBase64("f"), "Zg==");
  EXPECT_EQ(EncodeStdBase64("fo"), "Zm8=");
  EXPECT_EQ(EncodeStdBase64("foo"), "Zm9v");
  EXPECT_EQ(EncodeStdBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(EncodeStdBase64("admin:admin"), "YWRtaW46YWRtaW4=");
}

TEST(CommentSafeTest, NewlinesCannotEndTheComment) {
  EXPECT_EQ(CommentSafe("model\nimport os"), "model_import os");
  EXPECT_EQ(CommentSafe("a*/b?>"), "a_/b__");  // line comments only: "/" is harmless
}

TEST(QuoteLiteralTest, Shell) {
  EXPECT_EQ(QuoteLiteral("it's $HOME", LiteralStyle::kShell), "'it'\\''s $HOME'");
}

TEST(QuoteLiteralTest, SingleRaw) {
  EXPECT_EQ(QuoteLiteral("a'b\\c", LiteralStyle::kSingleRaw), "'a\\'b\\\\c'");
  EXPECT_EQ(QuoteLiteral("\xFF", LiteralStyle::kSingleRaw), "'\xEF\xBF\xBD'");
}

TEST(QuoteLiteralTest, PythonAndJavaScript) {
  EXPECT_EQ(QuoteLiteral("a'b\"c\\\n\x01", LiteralStyle::kPython), "'a\\'b\"c\\\\\\n\\x01'");
  EXPECT_EQ(QuoteLiteral("\xC3\xA9", LiteralStyle::kJavaScript), "'\xC3\xA9'");
  EXPECT_EQ(QuoteLiteral("\xFF", LiteralStyle::kPython), "'\\ufffd'");
}

TEST(QuoteLiteralTest, GoAndCpp) {
  EXPECT_EQ(QuoteLiteral("a\"b\x7f", LiteralStyle::kGo), "\"a\\\"b\\x7F\"");
  EXPECT_EQ(QuoteLiteral("\xFF", LiteralStyle::kGo), "\"\\xFF\"");
  EXPECT_EQ(QuoteLiteral("\x01" "7", LiteralStyle::kCpp), "\"\\0017\"");
  EXPECT_EQ(QuoteLiteral("\xFF", LiteralStyle::kCpp), "\"\\377\"");
}

TEST(QuoteLiteralTest, JavaEscapesNonAsciiAndNeverEmitsControlUnicodeEscapes) {
  // Java expands \uXXXX before lexing, so controls must use octal escapes.
  EXPECT_EQ(QuoteLiteral("\n\x01", LiteralStyle::kJava), "\"\\n\\001\"");
  EXPECT_EQ(QuoteLiteral("\xC3\xA9", LiteralStyle::kJava), "\"\\u00E9\"");
  // A JSON \u escape in the input keeps its backslash doubled (not an escape).
  EXPECT_EQ(QuoteLiteral("\\u0027", LiteralStyle::kJava), "\"\\\\u0027\"");
}

TEST(QuoteLiteralTest, CSharpAndRust) {
  EXPECT_EQ(QuoteLiteral("\x01\xC3\xA9", LiteralStyle::kCSharp), "\"\\u0001\\u00E9\"");
  EXPECT_EQ(QuoteLiteral("\x01\"", LiteralStyle::kRust), "\"\\u{01}\\\"\"");
}

TEST(FillTest, ReplacesKnownPlaceholdersOnly) {
  EXPECT_EQ(Fill("a @@X@@ b @@Y@@ @@X@@", {{"X", "1"}, {"Y", "@@X@@"}}), "a 1 b @@X@@ 1");
  EXPECT_EQ(Fill("keep @@UNKNOWN@@ and @@", {{"X", "1"}}), "keep @@UNKNOWN@@ and @@");
}

TEST(BodyHasLineTest, FindsIndentedMarkers) {
  EXPECT_TRUE(BodyHasLine("{\n  JSON\n}", "JSON"));
  EXPECT_FALSE(BodyHasLine("{\n  \"JSON\": 1\n}", "JSON"));
}

}  // namespace
}  // namespace stfs::codegen_internal
