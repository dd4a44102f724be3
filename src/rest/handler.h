// RestHandler: the HTTP/JSON front end. Maps each request to a route
// (routes.h), decodes the body with the TF Serving or original codec, calls
// the core API and encodes the response; records metrics for every model
// request. Plugs into stfs::http::Server as its Handler.
//
// Ownership: the provider must outlive the handler. Thread safety: Handle is
// called concurrently from the HTTP I/O threads; it keeps per-thread JSON
// parsers and a shared Metrics object.
#pragma once

#include <string>

#include "http/server.h"
#include "repo/model_provider.h"
#include "rest/metrics.h"

namespace stfs::rest {

struct RestOptions {
  // Base URL for generated clients when a request has no Host header.
  std::string public_url = "http://127.0.0.1:8500";
  // Empty disables the Prometheus endpoint.
  std::string metrics_path = "/monitoring/prometheus/metrics";
  // The original's --enable_b64_autoconvert. {"b64": ...} objects are always
  // decoded for string inputs, so this only changes what the index reports.
  bool enable_b64_autoconvert = false;
  // Bound for gzip-compressed request bodies after decompression.
  size_t max_decompressed_bytes = 64 << 20;
};

class RestHandler {
 public:
  RestHandler(const ModelProvider* provider, RestOptions options);

  http::Response Handle(const http::Request& request);

  const Metrics& metrics() const { return metrics_; }

 private:
  struct Context;  // per-request state (route, body, metrics record)

  Status Predict(Context& ctx, http::Response* response);
  Status ClassifyOrRegress(Context& ctx, bool classify, http::Response* response);
  Status ModelStatus(Context& ctx, http::Response* response);
  Status ModelMetadata(Context& ctx, http::Response* response);
  Status ListModels(Context& ctx, http::Response* response);
  Status GenJsonOrClient(Context& ctx, bool client, http::Response* response);
  Status StfsPredict(Context& ctx, http::Response* response);
  Status StfsMultipart(Context& ctx, http::Response* response);

  const ModelProvider* provider_;
  RestOptions options_;
  Metrics metrics_;
};

}  // namespace stfs::rest
