#include "rest/routes.h"

#include <gtest/gtest.h>

namespace stfs::rest {
namespace {

constexpr std::string_view kMetrics = "/monitoring/prometheus/metrics";

Route M(std::string_view method, std::string_view path) { return MatchRoute(method, path, kMetrics); }

TEST(RoutesTest, TfServingPredictForms) {
  Route r = M("POST", "/v1/models/half:predict");
  EXPECT_EQ(r.kind, RouteKind::kPredict);
  EXPECT_EQ(r.model, "half");
  EXPECT_FALSE(r.version);
  EXPECT_FALSE(r.label);
  r = M("POST", "/v1/models/half/versions/123:classify");
  EXPECT_EQ(r.kind, RouteKind::kClassify);
  EXPECT_EQ(*r.version, 123);
  r = M("POST", "/v1/models/half/labels/Version_Label:REGRESS");
  EXPECT_EQ(r.kind, RouteKind::kRegress);
  EXPECT_EQ(*r.label, "Version_Label");
  r = M("POST", "/V1/MODELS/half/VERSIONS/00000123:Predict");
  EXPECT_EQ(r.kind, RouteKind::kPredict);
  EXPECT_EQ(*r.version, 123);
}

TEST(RoutesTest, TfServingGetForms) {
  Route r = M("GET", "/v1/models/half");
  EXPECT_EQ(r.kind, RouteKind::kModelStatus);
  EXPECT_EQ(r.model, "half");
  r = M("GET", "/v1/models/half/versions/7");
  EXPECT_EQ(r.kind, RouteKind::kModelStatus);
  EXPECT_EQ(*r.version, 7);
  r = M("GET", "/v1/models/half/labels/stable/metadata");
  EXPECT_EQ(r.kind, RouteKind::kModelMetadata);
  EXPECT_EQ(*r.label, "stable");
  EXPECT_EQ(M("GET", "/v1/models/half/metadata").kind, RouteKind::kModelMetadata);
  EXPECT_EQ(M("HEAD", "/v1/models/half").kind, RouteKind::kModelStatus);
}

TEST(RoutesTest, MalformedLikeTfServing) {
  // Cases listed in tfserving-api.md 2.1.
  for (auto [method, path] : std::vector<std::pair<std::string_view, std::string_view>>{
           {"GET", "/v1/foo"},
           {"POST", "/v1/models"},
           {"GET", "/v1/models/half:predict"},
           {"POST", "/v1/models/half/version/50:predict"},
           {"POST", "/v1/models/half/label/x:predict"},
           {"POST", "/v1/models/half/versions/1/labels/x:predict"},
           {"POST", "/v1/models/half/metadata"},
           {"POST", "/v1/models/half:explain"},
           {"POST", "/v1/models/half/versions/abc:predict"},
           {"POST", "/v1/models/half/labels/bad-label:predict"},
           {"GET", "/v1/models/half/metadata/extra"},
       }) {
    Route r = M(method, path);
    EXPECT_EQ(r.kind, RouteKind::kMalformed) << method << " " << path;
    EXPECT_EQ(r.error, "Malformed request: " + std::string(method) + " " + std::string(path));
  }
  Route big = M("POST", "/v1/models/half/versions/99999999999999999999:predict");
  EXPECT_EQ(big.kind, RouteKind::kMalformed);
  EXPECT_NE(big.error.find("Failed to convert version"), std::string::npos);
}

TEST(RoutesTest, OriginalApiAndServerRoutes) {
  EXPECT_EQ(M("POST", "/").kind, RouteKind::kStfsPredict);
  EXPECT_EQ(M("GET", "/").kind, RouteKind::kIndex);
  EXPECT_EQ(M("GET", "/health").kind, RouteKind::kHealth);
  EXPECT_EQ(M("GET", "/v1/models").kind, RouteKind::kListModels);
  EXPECT_EQ(M("GET", "/v1/models/").kind, RouteKind::kListModels);
  Route g = M("GET", "/v1/models/default/gen_json");
  EXPECT_EQ(g.kind, RouteKind::kGenJson);
  EXPECT_EQ(g.model, "default");
  EXPECT_EQ(M("GET", "/v1/models/default/gen_client").kind, RouteKind::kGenClient);
  EXPECT_EQ(M("GET", kMetrics).kind, RouteKind::kMetrics);
  EXPECT_EQ(M("GET", "/nope").kind, RouteKind::kNotFound);
  EXPECT_EQ(M("DELETE", "/health").kind, RouteKind::kNotFound);
  EXPECT_EQ(MatchRoute("GET", kMetrics, "").kind, RouteKind::kNotFound);
}

}  // namespace
}  // namespace stfs::rest
