// Multipart, URL, JSON-error, status and base64 helpers.
#include <gtest/gtest.h>

#include "base/base64.h"
#include "http/auth.h"
#include "http/multipart.h"
#include "http/server.h"
#include "http/util.h"

namespace stfs::http {
namespace {

constexpr std::string_view kCt = "multipart/form-data; boundary=XyZ";

TEST(MultipartTest, TwoFilesAndFields) {
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"model_version\"\r\n\r\n"
      "1\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"images\"; filename=\"a.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n"
      "JPEGDATA1\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=\"images\"; filename=\"b c.png\"\r\n"
      "CONTENT-TYPE: image/png\r\n\r\n"
      "PNG\r\nDATA\r\n\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"signature_name\"\r\n\r\n"
      "\r\n"
      "--XyZ--\r\n";
  auto parts = ParseMultipartFormData(kCt, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 4u);
  EXPECT_EQ((*parts)[0].name, "model_version");
  EXPECT_EQ((*parts)[0].data, "1");
  EXPECT_FALSE((*parts)[0].has_filename);
  EXPECT_EQ((*parts)[1].name, "images");
  EXPECT_EQ((*parts)[1].filename, "a.jpg");
  EXPECT_EQ((*parts)[1].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[1].data, "JPEGDATA1");
  EXPECT_EQ((*parts)[2].filename, "b c.png");
  EXPECT_EQ((*parts)[2].content_type, "image/png");
  EXPECT_EQ((*parts)[2].data, "PNG\r\nDATA\r\n");  // CRLFs inside data are kept
  EXPECT_EQ((*parts)[3].name, "signature_name");
  EXPECT_EQ((*parts)[3].data, "");
}

TEST(MultipartTest, QuotedBoundaryPreambleAndPadding) {
  std::string body =
      "this is a preamble\r\n"
      "--a:b c\t \r\n"
      "Content-Disposition: form-data; name=\"f\"; filename=\"x\\\"y.bin\"\r\n\r\n"
      "v\r\n"
      "--a:b c--";  // no trailing CRLF, no epilogue
  auto parts = ParseMultipartFormData("Multipart/Form-Data; charset=utf-8; boundary=\"a:b c\"", body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].filename, "x\"y.bin");
  EXPECT_EQ((*parts)[0].data, "v");
}

TEST(MultipartTest, BinaryDataWithNulsAndLookalikeBoundary) {
  std::string payload("\0\x01\xff\r\n--XyZabc\r\n--Xy\0", 18);
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"b\"\r\n\r\n" +
                     payload + "\r\n--XyZ--\r\n";
  auto parts = ParseMultipartFormData(kCt, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, payload);
  EXPECT_EQ((*parts)[0].data.data(), body.data() + body.find(payload));  // a view, not a copy
}

TEST(MultipartTest, ExtendedFilename) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"fallback.txt\"; "
      "filename*=UTF-8''na%C3%AFve.txt\r\n\r\nx\r\n--XyZ--";
  auto parts = ParseMultipartFormData(kCt, body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ((*parts)[0].filename, "na\xC3\xAFve.txt");
}

TEST(MultipartTest, Errors) {
  auto err = [](std::string_view ct, std::string_view body) {
    auto r = ParseMultipartFormData(ct, body);
    EXPECT_FALSE(r.ok());
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_NE(err("multipart/form-data", "--x\r\n").find("missing boundary"), std::string::npos);
  EXPECT_NE(err("application/json", "{}").find("expected Content-Type multipart/form-data"),
            std::string::npos);
  EXPECT_NE(err("multipart/form-data; boundary=\"unterminated", "").find("unterminated"),
            std::string::npos);
  EXPECT_NE(err(kCt, "no boundary here").find("does not contain the boundary"), std::string::npos);
  // Missing closing boundary.
  std::string unterminated = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  std::string msg = err(kCt, unterminated);
  EXPECT_NE(msg.find("part 1 (name \"a\") is not terminated"), std::string::npos) << msg;
  EXPECT_NE(err(kCt, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ")
                .find("closing boundary"),
            std::string::npos);
  EXPECT_NE(err(kCt, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ\r\n")
                .find("closing boundary"),
            std::string::npos);
  // Headers never end.
  EXPECT_NE(err(kCt, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n").find("headers"),
            std::string::npos);
  // Bad header line, missing disposition, missing name.
  EXPECT_NE(err(kCt, "--XyZ\r\nno colon here\r\n\r\nv\r\n--XyZ--").find("malformed header line"),
            std::string::npos);
  EXPECT_NE(err(kCt, "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--")
                .find("no Content-Disposition"),
            std::string::npos);
  EXPECT_NE(err(kCt, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--").find("no name"),
            std::string::npos);
  EXPECT_NE(err(kCt, "--XyZjunk").find("not followed by CRLF"), std::string::npos);
}

TEST(MultipartTest, EmptyFormIsOk) {
  auto parts = ParseMultipartFormData(kCt, "--XyZ--\r\n");
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts->empty());
}

TEST(UrlTest, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b+c");
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%e2%82%AC"), "\xE2\x82\xAC");
  EXPECT_EQ(PercentDecode("%00x"), std::string("\0x", 2));
  EXPECT_EQ(PercentDecode("100%"), "100%");
}

TEST(UrlTest, ParseUrlEncodedForm) {
  auto f = ParseUrlEncodedForm("a=1&b=x+y%21&&c&d=&e%3D=%3d");
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(f[1], (std::pair<std::string, std::string>{"b", "x y!"}));
  EXPECT_EQ(f[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(f[3], (std::pair<std::string, std::string>{"d", ""}));
  EXPECT_EQ(f[4], (std::pair<std::string, std::string>{"e=", "="}));
  EXPECT_TRUE(ParseUrlEncodedForm("").empty());
}

TEST(UrlTest, QueryParam) {
  Request r;
  r.query = "model_name=my+model&v=2&my%20key=z";
  EXPECT_EQ(r.QueryParam("model_name"), "my model");
  EXPECT_EQ(r.QueryParam("v"), "2");
  EXPECT_EQ(r.QueryParam("my key"), "z");
  EXPECT_EQ(r.QueryParam("missing"), std::nullopt);
  r.headers = {{"Content-Type", "a"}, {"X", "b"}};
  ASSERT_NE(r.FindHeader("content-type"), nullptr);
  EXPECT_EQ(*r.FindHeader("CONTENT-TYPE"), "a");
  EXPECT_EQ(r.FindHeader("nope"), nullptr);
}

TEST(JsonErrorTest, Escaping) {
  EXPECT_EQ(JsonErrorBody("plain"), "{\"error\": \"plain\"}");
  EXPECT_EQ(JsonErrorBody("q\"b\\n\nt\tc\x01"), "{\"error\": \"q\\\"b\\\\n\\nt\\tc\\u0001\"}");
  EXPECT_EQ(JsonErrorBody("caf\xC3\xA9"), "{\"error\": \"caf\xC3\xA9\"}");
  EXPECT_EQ(JsonErrorBody("bad\xFF\xC3"), "{\"error\": \"bad\xEF\xBF\xBD\xEF\xBF\xBD\"}");
  Response r = Response::Error(404, "Could not find any versions of model m");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "{\"error\": \"Could not find any versions of model m\"}");
}

TEST(StatusMapTest, Codes) {
  EXPECT_EQ(HttpStatusForCode(Code::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusForCode(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatusForCode(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatusForCode(Code::kCancelled), 499);
  EXPECT_EQ(HttpStatusForCode(Code::kResourceExhausted), 429);
  EXPECT_EQ(Response::FromStatus(NotFound("x")).status, 404);
  EXPECT_EQ(Response::FromStatus(Status::OK()).status, 200);
  EXPECT_EQ(StatusReason(413), "Payload Too Large");
}

TEST(AuthTest, Base64AndCompare) {
  EXPECT_EQ(Base64DecodeForAuth("YWRtaW46YWRtaW4="), "admin:admin");
  EXPECT_EQ(Base64DecodeForAuth("YWRtaW46YWRtaW4"), "admin:admin");
  EXPECT_EQ(Base64DecodeForAuth(""), "");
  EXPECT_EQ(Base64DecodeForAuth("YQ=="), "a");
  EXPECT_FALSE(Base64DecodeForAuth("Y"));
  EXPECT_FALSE(Base64DecodeForAuth("YW Rt"));
  EXPECT_FALSE(Base64DecodeForAuth("YQ==YQ=="));
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x10"}) {
    EXPECT_EQ(Base64DecodeForAuth(EncodeStdBase64(s)), s);
  }
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("ab", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abcd", "abc"));

  BasicAuth auth("u", "p", "r\"x", {"/health"});
  EXPECT_EQ(auth.challenge(), "Basic realm=\"r\\\"x\", charset=\"UTF-8\"");
  std::string good = "Basic dTpw";
  EXPECT_EQ(auth.Check(&good), "");
  std::string spaced = "  basic   dTpw  ";
  EXPECT_EQ(auth.Check(&spaced), "");
  EXPECT_TRUE(auth.IsExempt("GET", "/health"));
  EXPECT_TRUE(auth.IsExempt("HEAD", "/health"));
  EXPECT_FALSE(auth.IsExempt("POST", "/health"));
}

}  // namespace
}  // namespace stfs::http
