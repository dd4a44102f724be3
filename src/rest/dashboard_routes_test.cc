// Dashboard assets and gen_json / gen_client through RestHandler.
#include "rest/dashboard_routes.h"

#include <gtest/gtest.h>

#include "rest/handler.h"
#include "repo/testing/fake_model.h"

namespace stfs::rest {
namespace {

using stfs::testing::FakeProvider;
using stfs::testing::MakeHalfPlusTwoModel;

const std::string* Header(const http::Response& r, std::string_view name) {
  for (const http::Header& h : r.headers) {
    if (http::EqualsIgnoreCase(h.name, name)) return &h.value;
  }
  return nullptr;
}

bool Contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

class DashboardRoutesTest : public ::testing::Test {
 protected:
  DashboardRoutesTest() {
    provider_.Add("default", 123, MakeHalfPlusTwoModel(2));
    provider_.AddLabel("default", "stable", 123);
    provider_.Add("two", 1, MakeHalfPlusTwoModel(2));
    provider_.Add("two", 2, MakeHalfPlusTwoModel(3));
    handler_ = std::make_unique<RestHandler>(&provider_, RestOptions{});
  }

  http::Response Call(std::string method, std::string target, std::vector<http::Header> headers = {}) {
    http::Request r;
    r.method = std::move(method);
    const size_t q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) r.query = target.substr(q + 1);
    r.target = target;
    r.headers = std::move(headers);
    return handler_->Handle(r);
  }

  FakeProvider provider_;
  std::unique_ptr<RestHandler> handler_;
};

TEST_F(DashboardRoutesTest, IndexWithEtagAndNoCache) {
  for (const char* path : {"/", "/index.html", "/dashboard", "/dashboard/"}) {
    auto r = Call("GET", path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_TRUE(Contains(r.body, "/dashboard/app.js")) << path;
    ASSERT_NE(Header(r, "ETag"), nullptr);
    EXPECT_EQ(*Header(r, "Cache-Control"), "no-cache");
    EXPECT_EQ(Header(r, "ETag")->front(), '"');
  }
}

TEST_F(DashboardRoutesTest, ConditionalGetAnswers304) {
  auto r = Call("GET", "/dashboard/app.js");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(Contains(r.content_type, "javascript")) << r.content_type;
  EXPECT_TRUE(Contains(r.body, "hashchange"));
  const std::string etag = *Header(r, "ETag");
  auto again = Call("GET", "/dashboard/app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(*Header(again, "ETag"), etag);
  // A different file's validator does not match.
  auto css = Call("GET", "/dashboard/app.css", {{"If-None-Match", etag}});
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type.rfind("text/css", 0), 0u);
  // A stale validator gets the full body.
  EXPECT_EQ(Call("GET", "/dashboard/app.js", {{"If-None-Match", "\"stale\""}}).status, 200);
  EXPECT_EQ(Call("GET", "/", {{"If-None-Match", *Header(Call("GET", "/"), "ETag")}}).status, 304);
}

TEST_F(DashboardRoutesTest, UnknownAssetsAndMethods) {
  EXPECT_EQ(Call("GET", "/dashboard/nope.js").status, 404);
  EXPECT_EQ(Call("GET", "/dashboard/../CMakeLists.txt").status, 404);
  EXPECT_EQ(Call("DELETE", "/dashboard/app.js").status, 404);
  EXPECT_EQ(Call("GET", "/index.htm").status, 404);
}

TEST_F(DashboardRoutesTest, GenJsonFlavors) {
  auto r = Call("GET", "/v1/models/default/gen_json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  // x is float[-1, 1]: the unknown batch dim becomes 1.
  EXPECT_EQ(r.body, "{\n  \"signature_name\": \"serving_default\",\n  \"inputs\": {\n"
                    "    \"x\": [[1.0]]\n  }\n}");
  r = Call("GET", "/v1/models/two/gen_json?flavor=original&version=1&signature_name=multi");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "\"model_name\": \"two\"")) << r.body;
  EXPECT_TRUE(Contains(r.body, "\"model_version\": \"1\"")) << r.body;
  EXPECT_TRUE(Contains(r.body, "\"signature_name\": \"multi\"")) << r.body;
  EXPECT_TRUE(Contains(r.body, "\"a\": [[1,1]]")) << r.body;  // int32[-1, 2]
  EXPECT_TRUE(Contains(r.body, "\"data\": {")) << r.body;
  r = Call("GET", "/v1/models/default/gen_json?version=stable");
  EXPECT_EQ(r.status, 200) << r.body;

  EXPECT_EQ(Call("GET", "/v1/models/two/gen_json?version=7").status, 404);
  EXPECT_EQ(Call("GET", "/v1/models/two/gen_json?version=99999999999999999999").status, 400);
  EXPECT_EQ(Call("GET", "/v1/models/nope/gen_json").status, 404);
  EXPECT_EQ(Call("GET", "/v1/models/two/gen_json?flavor=soap").status, 400);
  EXPECT_EQ(Call("GET", "/v1/models/two/gen_json?signature_name=nope").status, 404);  // NOT_FOUND
}

TEST_F(DashboardRoutesTest, GenClientUsesHostAndScheme) {
  auto r = Call("GET", "/v1/models/default/gen_client?language=python",
                {{"Host", "10.1.2.3:9999"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  ASSERT_NE(Header(r, "Content-Disposition"), nullptr);
  EXPECT_EQ(*Header(r, "Content-Disposition"), "attachment; filename=\"client.py\"");
  EXPECT_TRUE(Contains(r.body, "http://10.1.2.3:9999/v1/models/default:predict")) << r.body;

  r = Call("GET", "/v1/models/two/gen_client?language=bash&version=2",
           {{"Host", "example.test"}, {"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*Header(r, "Content-Disposition"), "attachment; filename=\"client.sh\"");
  EXPECT_TRUE(Contains(r.body, "https://example.test/v1/models/two/versions/2:predict")) << r.body;

  r = Call("GET", "/v1/models/default/gen_client?language=go&version=stable&flavor=original");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*Header(r, "Content-Disposition"), "attachment; filename=\"main.go\"");
  // No Host header: the configured public URL.
  EXPECT_TRUE(Contains(r.body, "http://127.0.0.1:8500/")) << r.body;

  EXPECT_EQ(Call("GET", "/v1/models/default/gen_client?language=cobol").status, 400);
  EXPECT_EQ(Call("GET", "/v1/models/nope/gen_client?language=go").status, 404);
}

TEST_F(DashboardRoutesTest, GenClientRejectsHostileHost) {
  auto r = Call("GET", "/v1/models/default/gen_client?language=python",
                {{"Host", "evil\"; import os; os.system('x') #"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Contains(r.body, "import os")) << r.body;
  EXPECT_TRUE(Contains(r.body, "http://127.0.0.1:8500/v1/models/default:predict")) << r.body;
}

TEST_F(DashboardRoutesTest, GenClientCarriesBasicAuth) {
  // "alice:s3cret" in base64.
  auto r = Call("GET", "/v1/models/default/gen_client?language=curl",
                {{"Authorization", "Basic YWxpY2U6czNjcmV0"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Contains(r.body, "alice")) << r.body;
  EXPECT_TRUE(Contains(r.body, "s3cret")) << r.body;
  r = Call("GET", "/v1/models/default/gen_client?language=curl");
  EXPECT_FALSE(Contains(r.body, "alice"));
}

TEST(RequestBaseUrlTest, SchemeAndHost) {
  http::Request req;
  EXPECT_EQ(RequestBaseUrl(req, "https://h:1/x"), "https://h:1");
  req.headers = {{"Host", "[::1]:8080"}};
  EXPECT_EQ(RequestBaseUrl(req, "http://127.0.0.1:8500"), "http://[::1]:8080");
  req.headers.push_back({"X-Forwarded-Proto", "gopher"});
  EXPECT_EQ(RequestBaseUrl(req, "https://127.0.0.1:8500"), "https://[::1]:8080");
}

}  // namespace
}  // namespace stfs::rest
