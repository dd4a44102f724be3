// Request metrics in the Prometheus text format.
//
// Exposes TF Serving's names (":tensorflow:serving:request_count" {model_name,
// status}, ":tensorflow:serving:request_latency" histogram {model_name, API,
// entrypoint="REST"} in microseconds with TF Serving's 33 buckets 10*1.8^i)
// plus our own:
//   stfs_requests_total{model, version, signature, api, code}
//   stfs_request_latency_seconds histogram {model, api}
//   stfs_model_version_state{model, version, state} (1 for the current state)
//   stfs_model_load_seconds{model, version}
//   stfs_uptime_seconds (since the library was initialised, ~process start)
// Thread safety: Record and Render may be called concurrently (one mutex,
// held for a map update; fine at the request rates of 2 cores).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "base/status.h"
#include "repo/model_provider.h"

namespace stfs::rest {

struct RequestRecord {
  std::string api;        // "predict", "classify", "regress", "metadata", "status", "stfs_predict", ...
  std::string model;      // empty for requests that name no model
  int64_t version = -1;   // -1 when unresolved
  std::string signature;
  int http_status = 200;
  Code code = Code::kOk;
  double seconds = 0;
};

class Metrics {
 public:
  static constexpr int kBuckets = 33;

  void Record(const RequestRecord& record);
  // The exposition text; model states come from `provider` at scrape time.
  std::string Render(const ModelProvider& provider) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets + 1> counts{};  // last = +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string>, uint64_t> tfs_count_;  // model, status
  std::map<std::tuple<std::string, std::string>, Histogram> tfs_latency_us_;  // model, api
  std::map<std::tuple<std::string, int64_t, std::string, std::string, int>, uint64_t> requests_;
  std::map<std::tuple<std::string, std::string>, Histogram> latency_s_;  // model, api
};

// Escapes a Prometheus label value (backslash, quote, newline).
std::string PrometheusLabelValue(std::string_view value);

}  // namespace stfs::rest
