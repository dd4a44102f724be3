#include "dashboard/assets.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace stfs {
namespace {

TEST(AssetsTest, RootServesIndexHtml) {
  const Asset* index = FindAsset("/");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(index->body.starts_with("<!doctype html>"));
  EXPECT_NE(index->body.find("/dashboard/app.js"), std::string_view::npos);
  EXPECT_EQ(index->path, "/");
  for (const char* alias : {"/index.html", "/dashboard", "/dashboard/", "/?x=1", "/#/json"}) {
    EXPECT_EQ(FindAsset(alias), index) << alias;
  }
}

TEST(AssetsTest, ScriptsAndStylesHaveTheirTypes) {
  const Asset* js = FindAsset("/dashboard/app.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js->body.find("hashchange"), std::string_view::npos);
  const Asset* api = FindAsset("/dashboard/api.js?v=2");
  ASSERT_NE(api, nullptr);
  EXPECT_NE(api->body.find("/v1/models"), std::string_view::npos);
  const Asset* css = FindAsset("/dashboard/app.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  const Asset* icon = FindAsset("/dashboard/favicon.svg");
  ASSERT_NE(icon, nullptr);
  EXPECT_EQ(icon->content_type, "image/svg+xml");
}

TEST(AssetsTest, EveryScriptTheIndexLoadsExists) {
  const std::string_view html = FindAsset("/")->body;
  size_t pos = 0;
  int found = 0;
  while ((pos = html.find("src=\"/dashboard/", pos)) != std::string_view::npos) {
    pos += 5;
    const size_t end = html.find('"', pos);
    const std::string path(html.substr(pos, end - pos));
    EXPECT_NE(FindAsset(path), nullptr) << path;
    ++found;
  }
  EXPECT_GE(found, 5);
}

TEST(AssetsTest, UnknownPathsAreNull) {
  EXPECT_EQ(FindAsset("/dashboard/missing.js"), nullptr);
  EXPECT_EQ(FindAsset("/app.js"), nullptr);
  EXPECT_EQ(FindAsset("/dashboard/../CMakeLists.txt"), nullptr);
  EXPECT_EQ(FindAsset(""), nullptr);
  EXPECT_EQ(FindAsset("/v1/models"), nullptr);
}

TEST(AssetsTest, EtagsAreQuotedAndDistinct) {
  std::set<std::string_view> etags;
  for (const Asset& a : AllAssets()) {
    ASSERT_GE(a.etag.size(), 3u) << a.path;
    EXPECT_EQ(a.etag.front(), '"');
    EXPECT_EQ(a.etag.back(), '"');
    EXPECT_FALSE(a.body.empty()) << a.path;
    EXPECT_EQ(FindAsset(a.path), &a);
    etags.insert(a.etag);
  }
  EXPECT_EQ(etags.size(), AllAssets().size());
}

TEST(AssetsTest, NoThirdPartyOrRemoteResources) {
  for (const Asset& a : AllAssets()) {
    // Only same-origin references (an SVG namespace URI is not a fetch).
    for (const char* remote : {"src=\"http", "href=\"http", "src=\"//", "href=\"//", "url(http",
                               "url(//", "fetch('http", "jquery", "bootstrap"}) {
      EXPECT_EQ(a.body.find(remote), std::string_view::npos) << a.path << ": " << remote;
    }
  }
}

}  // namespace
}  // namespace stfs
