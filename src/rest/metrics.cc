#include "rest/metrics.h"

#include <chrono>
#include <cmath>

#include "tensor/tensor_json.h"

namespace stfs::rest {
namespace {

// Static initialisation time: close enough to process start for the uptime gauge.
const std::chrono::steady_clock::time_point kProcessStart = std::chrono::steady_clock::now();

// TF Serving's request_latency buckets: 10 * 1.8^i microseconds.
const std::array<double, Metrics::kBuckets>& TfsBucketsUs() {
  static const std::array<double, Metrics::kBuckets> buckets = [] {
    std::array<double, Metrics::kBuckets> b{};
    for (int i = 0; i < Metrics::kBuckets; ++i) b[i] = 10.0 * std::pow(1.8, i);
    return b;
  }();
  return buckets;
}

// Seconds buckets for our own histogram: 100 us .. ~100 s.
const std::array<double, Metrics::kBuckets>& SecondsBuckets() {
  static const std::array<double, Metrics::kBuckets> buckets = [] {
    std::array<double, Metrics::kBuckets> b{};
    for (int i = 0; i < Metrics::kBuckets; ++i) b[i] = 1e-4 * std::pow(1.55, i);
    return b;
  }();
  return buckets;
}

template <typename H>
void Observe(H& h, const std::array<double, Metrics::kBuckets>& bounds, double value) {
  int i = 0;
  while (i < Metrics::kBuckets && value > bounds[i]) ++i;
  ++h.counts[i];
  h.sum += value;
  ++h.count;
}

std::string Number(double v) {
  std::string s;
  AppendJsonDouble(v, &s);
  return s;
}

template <typename H>
void RenderHistogram(const std::string& name, const std::string& labels, const H& h,
                     const std::array<double, Metrics::kBuckets>& bounds, std::string* out) {
  uint64_t cumulative = 0;
  for (int i = 0; i <= Metrics::kBuckets; ++i) {
    cumulative += h.counts[i];
    out->append(StrCat(name, "_bucket{", labels, ",le=\"",
                       i < Metrics::kBuckets ? Number(bounds[i]) : std::string("+Inf"), "\"} ",
                       cumulative, "\n"));
  }
  out->append(StrCat(name, "_sum{", labels, "} ", Number(h.sum), "\n"));
  out->append(StrCat(name, "_count{", labels, "} ", h.count, "\n"));
}

}  // namespace

std::string PrometheusLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

void Metrics::Record(const RequestRecord& r) {
  const SeriesKeyView key{r.model, r.version, r.signature, r.api, r.http_status, r.code};
  std::lock_guard<std::mutex> lock(mu_);
  auto it = series_.find(key);
  if (it == series_.end()) {
    it = series_.emplace(SeriesKey{r.model, r.version, r.signature, r.api, r.http_status, r.code}, Series{})
             .first;
  }
  Series& s = it->second;
  ++s.count;
  if (!r.model.empty()) Observe(s.latency_us, TfsBucketsUs(), r.seconds * 1e6);
  Observe(s.latency_s, SecondsBuckets(), r.seconds);
}

namespace {
void Merge(Metrics::Histogram* into, const Metrics::Histogram& h) {
  for (size_t i = 0; i < h.counts.size(); ++i) into->counts[i] += h.counts[i];
  into->sum += h.sum;
  into->count += h.count;
}
}  // namespace

std::string Metrics::Render(const ModelProvider& provider) const {
  std::map<std::tuple<std::string, std::string>, uint64_t> tfs_count;  // model, status
  std::map<std::tuple<std::string, std::string>, Histogram> tfs_latency_us;  // model, api
  std::map<std::tuple<std::string, int64_t, std::string, std::string, int>, uint64_t> requests;
  std::map<std::tuple<std::string, std::string>, Histogram> latency_s;  // model, api
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [k, s] : series_) {
      if (!k.model.empty()) {
        tfs_count[{k.model, std::string(CodeName(k.code))}] += s.count;
        Merge(&tfs_latency_us[{k.model, k.api}], s.latency_us);
      }
      requests[{k.model, k.version, k.signature, k.api, k.http_status}] += s.count;
      Merge(&latency_s[{k.model, k.api}], s.latency_s);
    }
  }
  std::string out;
  out += "# TYPE :tensorflow:serving:request_count counter\n";
  for (const auto& [key, n] : tfs_count) {
    out += StrCat(":tensorflow:serving:request_count{model_name=\"",
                  PrometheusLabelValue(std::get<0>(key)), "\",status=\"", std::get<1>(key),
                  "\"} ", n, "\n");
  }
  out += "# TYPE :tensorflow:serving:request_latency histogram\n";
  for (const auto& [key, h] : tfs_latency_us) {
    RenderHistogram(":tensorflow:serving:request_latency",
                    StrCat("model_name=\"", PrometheusLabelValue(std::get<0>(key)), "\",API=\"",
                           std::get<1>(key), "\",entrypoint=\"REST\""),
                    h, TfsBucketsUs(), &out);
  }
  out += "# TYPE stfs_requests_total counter\n";
  for (const auto& [key, n] : requests) {
    const auto& [model, version, signature, api, code] = key;
    out += StrCat("stfs_requests_total{model=\"", PrometheusLabelValue(model), "\",version=\"",
                  version >= 0 ? std::to_string(version) : std::string(), "\",signature=\"",
                  PrometheusLabelValue(signature), "\",api=\"", api, "\",code=\"", code, "\"} ",
                  n, "\n");
  }
  out += "# TYPE stfs_request_latency_seconds histogram\n";
  for (const auto& [key, h] : latency_s) {
    RenderHistogram("stfs_request_latency_seconds",
                    StrCat("model=\"", PrometheusLabelValue(std::get<0>(key)), "\",api=\"",
                           std::get<1>(key), "\""),
                    h, SecondsBuckets(), &out);
  }
  out += "# TYPE stfs_model_version_state gauge\n";
  std::string load_lines;
  for (const ModelInfo& m : provider.ListModels()) {
    for (const ModelVersionStatus& v : m.versions) {
      out += StrCat("stfs_model_version_state{model=\"", PrometheusLabelValue(m.name),
                    "\",version=\"", v.version, "\",state=\"", ModelVersionStateName(v.state),
                    "\"} 1\n");
      load_lines += StrCat("stfs_model_load_seconds{model=\"", PrometheusLabelValue(m.name),
                           "\",version=\"", v.version, "\"} ", Number(v.load_seconds), "\n");
    }
  }
  out += "# TYPE stfs_model_load_seconds gauge\n" + load_lines;
  // Load errors as an info-style series, so a dashboard or alert can show why
  // a version is not serving (message cut to keep label values short).
  out += "# TYPE stfs_model_version_load_error gauge\n";
  for (const ModelInfo& m : provider.ListModels()) {
    for (const ModelVersionStatus& v : m.versions) {
      if (v.status.ok()) continue;
      out += StrCat("stfs_model_version_load_error{model=\"", PrometheusLabelValue(m.name),
                    "\",version=\"", v.version, "\",code=\"", CodeName(v.status.code()),
                    "\",message=\"", PrometheusLabelValue(std::string_view(v.status.message()).substr(0, 300)),
                    "\"} 1\n");
    }
  }
  const double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - kProcessStart).count();
  out += StrCat("# TYPE stfs_uptime_seconds gauge\nstfs_uptime_seconds ", Number(uptime), "\n");
  return out;
}

}  // namespace stfs::rest
