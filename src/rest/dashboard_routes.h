// The dashboard's HTTP surface: its static assets (src/dashboard) and the
// gen_json / gen_client endpoints backed by src/codegen.
//
//   GET /, /index.html, /dashboard[/...]   embedded assets; ETag + 304 on a
//       matching If-None-Match; index.html is sent with Cache-Control: no-cache
//       (its script list changes with the binary), other files revalidate hourly.
//   GET /v1/models/<m>/gen_json?signature_name=&flavor=tfserving|original&version=
//       example request body (application/json).
//   GET /v1/models/<m>/gen_client?language=&flavor=&signature_name=&version=
//       client program (text/plain) with Content-Disposition: attachment naming
//       the language's usual file name. The program's base URL is the request's
//       scheme and Host header (so it points where the browser pointed); without
//       a Host header, `public_url`. Basic-auth credentials the request carried
//       are written into the program so it runs against this server as is.
// `version` is a number or a label. Authentication is the HTTP layer's job.
#pragma once

#include <string>

#include "base/status.h"
#include "http/server.h"
#include "repo/model_provider.h"

namespace stfs::rest {

// The asset for request.path, or 404. HEAD is answered like GET (the HTTP
// layer drops the body).
http::Response ServeDashboardAsset(const http::Request& request);

// Resolves model/version/signature from `model` and the query; sets
// `*version_out` / `*signature_out` for metrics.
Status GenJsonResponse(const ModelProvider& provider, std::string_view model,
                       const http::Request& request, http::Response* response,
                       int64_t* version_out, std::string* signature_out);

Status GenClientResponse(const ModelProvider& provider, std::string_view model,
                         const http::Request& request, const std::string& public_url,
                         http::Response* response, int64_t* version_out,
                         std::string* signature_out);

// "<scheme>://<host>" for generated clients: scheme from X-Forwarded-Proto
// (http/https only) else from `public_url`; host from the Host header else
// `public_url`'s authority.
std::string RequestBaseUrl(const http::Request& request, const std::string& public_url);

}  // namespace stfs::rest
