// The web dashboard's static files (src/dashboard/static/), compiled into the
// binary: a single-page app (hash routes) that talks only to the server's own
// JSON APIs. No CDN, no third-party code.
//
// Paths: "/", "/index.html", "/dashboard" and "/dashboard/" serve index.html;
// every file static/NAME is also served at "/dashboard/NAME". A query string
// or fragment on `path` is ignored. Unknown paths -> nullptr.
//
// HTTP guidance for the route owner: send `content_type` as Content-Type and
// `etag` as ETag, answer 304 when If-None-Match equals `etag`; index.html
// should be revalidated (Cache-Control: no-cache) since its scripts change
// with the binary.
#pragma once

#include <span>
#include <string_view>

namespace stfs {

struct Asset {
  std::string_view path;          // canonical path: "/" or "/dashboard/NAME"
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;
  std::string_view etag;          // strong validator with quotes: "\"0123abcd...\""
};

const Asset* FindAsset(std::string_view path);

// Every asset once (index.html under "/"), sorted by path.
std::span<const Asset> AllAssets();

}  // namespace stfs
