#include "rest/routes.h"

#include <charconv>

#include "base/strcat.h"
#include "http/util.h"

namespace stfs::rest {
namespace {

// Next token up to '/' or ':' (or the end).
std::string_view Token(std::string_view s, size_t* pos) {
  size_t start = *pos;
  while (*pos < s.size() && s[*pos] != '/' && s[*pos] != ':') ++*pos;
  return s.substr(start, *pos - start);
}

bool IsLabel(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

Route Malformed(std::string_view method, std::string_view path) {
  Route r;
  r.kind = RouteKind::kMalformed;
  r.error = StrCat("Malformed request: ", method, " ", path);
  return r;
}

}  // namespace

Route MatchRoute(std::string_view method, std::string_view path, std::string_view metrics_path) {
  const bool get = method == "GET" || method == "HEAD";
  const bool post = method == "POST";
  Route r;
  if (path == "/") {
    if (get) r.kind = RouteKind::kIndex;
    if (post) r.kind = RouteKind::kStfsPredict;
    return r;
  }
  if (path == "/index.html" || path == "/dashboard" || path.starts_with("/dashboard/")) {
    if (get) r.kind = RouteKind::kIndex;  // dashboard assets (rest/dashboard_routes.h)
    return r;
  }
  if (path == "/health") {
    if (get) r.kind = RouteKind::kHealth;
    return r;
  }
  if (!metrics_path.empty() && path == metrics_path) {
    if (get) r.kind = RouteKind::kMetrics;
    return r;
  }
  if (!http::EqualsIgnoreCase(path.substr(0, 4), "/v1/") && !http::EqualsIgnoreCase(path, "/v1")) return r;  // 404
  constexpr std::string_view kModels = "/v1/models";
  if (path.size() < kModels.size() || !http::EqualsIgnoreCase(path.substr(0, kModels.size()), kModels)) {
    return Malformed(method, path);
  }
  std::string_view rest = path.substr(kModels.size());
  if (rest.empty() || rest == "/") {
    if (get) {
      r.kind = RouteKind::kListModels;
      return r;
    }
    return Malformed(method, path);
  }
  if (rest[0] != '/') return Malformed(method, path);
  size_t pos = 1;
  r.model = Token(rest, &pos);
  if (r.model.empty()) return Malformed(method, path);
  std::string_view suffix;  // metadata / gen_json / gen_client
  std::string_view verb;    // predict / classify / regress
  bool have_version_or_label = false;
  while (pos < rest.size()) {
    if (rest[pos] == ':') {
      ++pos;
      verb = Token(rest, &pos);
      if (pos != rest.size() || verb.empty()) return Malformed(method, path);
      break;
    }
    ++pos;  // '/'
    std::string_view seg = Token(rest, &pos);
    if (!suffix.empty()) return Malformed(method, path);
    if ((http::EqualsIgnoreCase(seg, "versions") || http::EqualsIgnoreCase(seg, "labels")) && !have_version_or_label) {
      if (pos >= rest.size() || rest[pos] != '/') return Malformed(method, path);
      ++pos;
      std::string_view value = Token(rest, &pos);
      if (http::EqualsIgnoreCase(seg, "versions")) {
        if (value.empty()) return Malformed(method, path);
        for (char c : value) {
          if (c < '0' || c > '9') return Malformed(method, path);
        }
        int64_t v = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || p != value.data() + value.size()) {
          Route bad;
          bad.kind = RouteKind::kMalformed;
          bad.error = StrCat("Failed to convert version: ", value, " to numeric.");
          return bad;
        }
        r.version = v;
      } else {
        if (!IsLabel(value)) return Malformed(method, path);
        r.label = value;
      }
      have_version_or_label = true;
    } else if (http::EqualsIgnoreCase(seg, "metadata")) {
      suffix = "metadata";
    } else if ((seg == "gen_json" || seg == "gen_client") && !have_version_or_label) {
      suffix = seg;
    } else {
      return Malformed(method, path);
    }
  }
  if (!verb.empty()) {
    if (!post || !suffix.empty()) return Malformed(method, path);
    if (http::EqualsIgnoreCase(verb, "predict")) {
      r.kind = RouteKind::kPredict;
    } else if (http::EqualsIgnoreCase(verb, "classify")) {
      r.kind = RouteKind::kClassify;
    } else if (http::EqualsIgnoreCase(verb, "regress")) {
      r.kind = RouteKind::kRegress;
    } else {
      return Malformed(method, path);
    }
    return r;
  }
  if (!get) return Malformed(method, path);
  if (suffix.empty()) {
    r.kind = RouteKind::kModelStatus;
  } else if (suffix == "metadata") {
    r.kind = RouteKind::kModelMetadata;
  } else if (suffix == "gen_json") {
    r.kind = RouteKind::kGenJson;
  } else {
    r.kind = RouteKind::kGenClient;
  }
  return r;
}

}  // namespace stfs::rest
