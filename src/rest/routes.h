// Route table of the HTTP front end, matched without regular expressions.
//
// TF Serving REST (tfserving-api.md 2.1; keywords case-insensitive):
//   GET  /v1/models/<m>[/versions/<v>|/labels/<l>]            model status
//   GET  /v1/models/<m>[/versions/<v>|/labels/<l>]/metadata   metadata
//   POST /v1/models/<m>[/versions/<v>|/labels/<l>]:predict|:classify|:regress
// Original simple_tensorflow_serving API:
//   POST /            inference (JSON or multipart)      GET /health
//   GET  /            dashboard (also /index.html, /dashboard/...)   GET /v1/models (all models)
//   GET  /v1/models/<m>/gen_json, /v1/models/<m>/gen_client?language=...
// Anything else under /v1/ is TF Serving's 400 "Malformed request: <METHOD> <path>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stfs::rest {

enum class RouteKind {
  kNotFound,        // 404
  kMalformed,       // 400 with `error`
  kHealth,
  kIndex,           // GET /, /index.html, /dashboard[/...]: dashboard assets
  kStfsPredict,     // POST /
  kListModels,      // GET /v1/models
  kModelStatus,
  kModelMetadata,
  kPredict,
  kClassify,
  kRegress,
  kGenJson,
  kGenClient,
  kMetrics,
};

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  std::string_view model;               // views into the matched path
  std::optional<int64_t> version;
  std::optional<std::string_view> label;
  std::string error;                    // for kMalformed
};

// `path` is the percent-decoded path without query. HEAD matches like GET.
Route MatchRoute(std::string_view method, std::string_view path, std::string_view metrics_path);

}  // namespace stfs::rest
