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
#include <string_view>
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
  struct Histogram {
    std::array<uint64_t, kBuckets + 1> counts{};  // last = +Inf
    double sum = 0;
    uint64_t count = 0;
  };

  void Record(const RequestRecord& record);
  // The exposition text; model states come from `provider` at scrape time.
  std::string Render(const ModelProvider& provider) const;

 private:
  // One series per distinct request record; Record does one lookup with
  // string_view keys (no allocation once the series exists) and Render
  // aggregates them into the exposed metric families.
  struct SeriesKey {
    std::string model;
    int64_t version;
    std::string signature;
    std::string api;
    int http_status;
    Code code;
  };
  struct SeriesKeyView {
    std::string_view model;
    int64_t version;
    std::string_view signature;
    std::string_view api;
    int http_status;
    Code code;
  };
  struct SeriesLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::tie(a.model, a.version, a.signature, a.api, a.http_status, a.code) <
             std::tie(b.model, b.version, b.signature, b.api, b.http_status, b.code);
    }
  };
  struct Series {
    uint64_t count = 0;
    Histogram latency_us;  // TF Serving's buckets
    Histogram latency_s;   // ours
  };
  mutable std::mutex mu_;
  std::map<SeriesKey, Series, SeriesLess> series_;
};

// Escapes a Prometheus label value (backslash, quote, newline).
std::string PrometheusLabelValue(std::string_view value);

}  // namespace stfs::rest
