// Serializes the status line and headers of a Response (internal to stfs_http).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/server.h"

namespace stfs::http {

inline constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

// Writes into *head (cleared first): "HTTP/1.1 <status> <reason>", Server, a
// cached Date, Content-Type and Content-Length (not for 1xx/204/304), the
// response's extra headers (CR/LF stripped; managed ones skipped),
// Access-Control-Allow-Origin when `cors` (unless the handler set it), and
// "Connection: close" when `close` ("Connection: keep-alive" for a kept
// HTTP/1.0 connection). Returns how many body bytes to send after the head:
// 0 for HEAD requests and bodiless statuses, else r.body.size().
size_t SerializeResponseHead(const Response& r, int request_version, bool close, bool head_only,
                             bool cors, std::string* head);

}  // namespace stfs::http
