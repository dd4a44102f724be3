#include "rest/dashboard_routes.h"

#include <charconv>
#include <optional>

#include "api/api.h"
#include "base/strcat.h"
#include "codegen/codegen.h"
#include "dashboard/assets.h"
#include "http/util.h"
#include "base/base64.h"

namespace stfs::rest {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The model handle for `model` at the query's `version` (number, label, or
// empty for the latest).
StatusOr<ServableHandle> ResolveModel(const ModelProvider& provider, std::string_view model,
                                      std::string_view version) {
  if (version.empty()) return provider.GetModel(model, std::nullopt, std::nullopt);
  if (IsDigits(version)) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(version.data(), version.data() + version.size(), v);
    if (ec != std::errc() || p != version.data() + version.size()) {
      return InvalidArgument("version '", version, "' of model ", model, " is out of range");
    }
    return provider.GetModel(model, v, std::nullopt);
  }
  return provider.GetModel(model, std::nullopt, version);
}

struct Resolved {
  ServableHandle handle;
  const SignatureInfo* sig = nullptr;
  ApiFlavor flavor = ApiFlavor::kTfServing;
  std::optional<std::string> version;  // as requested (empty -> nullopt)
};

StatusOr<Resolved> Resolve(const ModelProvider& provider, std::string_view model,
                           const http::Request& request, int64_t* version_out,
                           std::string* signature_out) {
  ASSIGN_OR_RETURN(ApiFlavor flavor, ParseApiFlavor(request.QueryParam("flavor").value_or("")));
  const std::string version = request.QueryParam("version").value_or("");
  ASSIGN_OR_RETURN(ServableHandle handle, ResolveModel(provider, model, version));
  *version_out = handle.version;
  ASSIGN_OR_RETURN(const SignatureInfo* sig,
                   api::ResolveSignature(handle.model->metadata(),
                                         request.QueryParam("signature_name").value_or("")));
  *signature_out = sig->name;
  Resolved r{std::move(handle), sig, flavor, std::nullopt};
  if (!version.empty()) r.version = version;
  return r;
}

// Credentials of an "Authorization: Basic ..." header, if well-formed.
std::optional<std::pair<std::string, std::string>> BasicCredentials(const http::Request& request) {
  const std::string* auth = request.FindHeader("Authorization");
  if (!auth || auth->size() < 6 || !http::EqualsIgnoreCase(auth->substr(0, 6), "Basic ")) {
    return std::nullopt;
  }
  auto decoded = DecodeBase64Any(std::string_view(*auth).substr(6));
  if (!decoded.ok()) return std::nullopt;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

// Characters allowed in a Host header value (host, IPv6 literal, port).
bool IsHostValue(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

http::Response ServeDashboardAsset(const http::Request& request) {
  const Asset* asset = FindAsset(request.path);
  if (!asset) {
    return http::Response::Error(404, StrCat("Not found: ", request.method, " ", request.path,
                                             " (the dashboard is at /)"));
  }
  http::Response r;
  const bool html = asset->path == "/";
  r.headers.push_back({"ETag", std::string(asset->etag)});
  r.headers.push_back({"Cache-Control", html ? "no-cache" : "public, max-age=3600"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  const std::string* inm = request.FindHeader("If-None-Match");
  if (inm && (*inm == asset->etag || *inm == "*" ||
              inm->find(asset->etag) != std::string::npos)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = std::string(asset->content_type);
  r.body = std::string(asset->body);
  return r;
}

std::string RequestBaseUrl(const http::Request& request, const std::string& public_url) {
  std::string_view pub = public_url;
  std::string scheme = pub.starts_with("https://") ? "https" : "http";
  if (const std::string* proto = request.FindHeader("X-Forwarded-Proto")) {
    if (http::EqualsIgnoreCase(*proto, "https")) scheme = "https";
    if (http::EqualsIgnoreCase(*proto, "http")) scheme = "http";
  }
  const std::string* host = request.FindHeader("Host");
  if (host && IsHostValue(*host)) return StrCat(scheme, "://", *host);
  // public_url's authority (anything after the scheme up to the first '/').
  const size_t start = pub.find("://");
  std::string_view authority = start == std::string_view::npos ? pub : pub.substr(start + 3);
  authority = authority.substr(0, authority.find('/'));
  return StrCat(scheme, "://", authority);
}

Status GenJsonResponse(const ModelProvider& provider, std::string_view model,
                       const http::Request& request, http::Response* response,
                       int64_t* version_out, std::string* signature_out) {
  ASSIGN_OR_RETURN(Resolved r, Resolve(provider, model, request, version_out, signature_out));
  ExampleOptions options;
  options.model_name = r.handle.name;
  options.version = r.version;
  ASSIGN_OR_RETURN(response->body, GenerateExampleRequest(*r.sig, r.flavor, options));
  response->content_type = "application/json";
  return Status::OK();
}

Status GenClientResponse(const ModelProvider& provider, std::string_view model,
                         const http::Request& request, const std::string& public_url,
                         http::Response* response, int64_t* version_out,
                         std::string* signature_out) {
  ASSIGN_OR_RETURN(std::string language,
                   CanonicalLanguage(request.QueryParam("language").value_or("curl")));
  ASSIGN_OR_RETURN(Resolved r, Resolve(provider, model, request, version_out, signature_out));
  ClientSpec spec;
  spec.model_name = r.handle.name;
  spec.version = r.version;
  spec.signature = *r.sig;
  spec.flavor = r.flavor;
  spec.base_url = RequestBaseUrl(request, public_url);
  if (auto creds = BasicCredentials(request)) {
    spec.username = std::move(creds->first);
    spec.password = std::move(creds->second);
  }
  ASSIGN_OR_RETURN(response->body, GenerateClient(language, spec));
  response->content_type = "text/plain; charset=utf-8";
  response->headers.push_back(
      {"Content-Disposition", StrCat("attachment; filename=\"", ClientFileName(language), "\"")});
  return Status::OK();
}

}  // namespace stfs::rest
