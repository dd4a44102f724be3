#include "http/cors.h"

#include <string>

namespace stfs::http {
namespace {

// Header names are tokens; the list is comma/space separated.
bool IsTokenList(std::string_view s) {
  if (s.empty() || s.size() > 1024) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ',' || c == ' ' || c == '\t' ||
              c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' ||
              c == '*' || c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Response CorsPreflightResponse(const Request& request) {
  Response r;
  r.status = 204;
  r.content_type.clear();
  r.headers.push_back({"Access-Control-Allow-Methods", std::string(kCorsAllowMethods)});
  const std::string* requested = request.FindHeader("Access-Control-Request-Headers");
  r.headers.push_back({"Access-Control-Allow-Headers",
                       requested && IsTokenList(*requested) ? *requested
                                                            : std::string(kCorsDefaultAllowHeaders)});
  r.headers.push_back({"Access-Control-Max-Age", std::string(kCorsMaxAge)});
  return r;
}

}  // namespace stfs::http
