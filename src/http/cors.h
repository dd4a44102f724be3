// CORS (enable_cors): the header every response carries and the server's own
// answer to OPTIONS preflights. Internal to stfs_http.
#pragma once

#include <string_view>

#include "http/server.h"

namespace stfs::http {

inline constexpr std::string_view kCorsAllowOriginLine = "Access-Control-Allow-Origin: *\r\n";
inline constexpr std::string_view kCorsAllowMethods = "GET, POST, OPTIONS";
inline constexpr std::string_view kCorsDefaultAllowHeaders = "Content-Type, Authorization";
inline constexpr std::string_view kCorsMaxAge = "86400";

// 204 with Access-Control-Allow-Methods, -Allow-Headers (echoing the request's
// Access-Control-Request-Headers when it is a plain token list, else
// kCorsDefaultAllowHeaders) and -Max-Age. Allow-Origin is added by the server
// to every response.
Response CorsPreflightResponse(const Request& request);

}  // namespace stfs::http
