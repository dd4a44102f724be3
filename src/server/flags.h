// Command-line flags of the `simple_tensorflow_serving` binary: the original
// server's flags with their STFS_* environment defaults (original-stfs.md 2)
// plus TF Serving's names where they make sense here.
//
// Syntax: --name=value, --name value, and for booleans also a bare --name
// (true); booleans accept true/false/1/0/yes/no/on/off in any case (the
// original's "any non-empty string enables" defect is not reproduced).
// Unknown flags and bad values are errors. Precedence: flag > env > default.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"

namespace stfs::server {

struct ServerFlags {
  std::string host = "0.0.0.0";
  int port = 8500;           // HTTP port (the original's --port)
  int rest_api_port = 0;     // TF Serving name; when > 0 it overrides --port
  std::string model_name = "default";
  std::string model_base_path = "./model";
  std::string model_platform = "tensorflow";
  // TF Serving's --saved_model_tags: the MetaGraph tag set loaded from every
  // model, comma-separated; "" selects the MetaGraph with no tags.
  std::string saved_model_tags = "serve";
  std::string model_config_file;  // original JSON or TF Serving text format
  bool enable_auth = false;
  std::string auth_username = "admin";
  std::string auth_password = "admin";
  bool enable_cors = true;
  bool enable_ssl = false;
  std::string secret_pem = "secret.pem";
  std::string secret_key = "secret.key";
  bool enable_b64_autoconvert = false;
  std::string log_level = "info";
  bool debug = false;
  std::string custom_op_paths;  // not supported: non-empty is an error
  std::string session_config;   // accepted for compatibility, ignored
  bool reload_models = false;   // accepted; versions are always watched
  bool download_inference_images = false;  // accepted, ignored (never writes uploads)
  size_t max_body_bytes = 64u << 20;
  int num_threads = 0;          // HTTP I/O threads; 0 = number of CPUs
  // Model lifecycle (TF Serving's names; see repo/repository.h).
  int file_system_poll_wait_seconds = 1;        // 0: no re-scans
  int model_config_file_poll_wait_seconds = 0;  // 0: SIGHUP only
  int num_load_threads = 1;
  int max_num_load_retries = 5;
  size_t load_retry_interval_micros = 60000000;
  bool allow_version_labels_for_unavailable_models = false;
  std::string monitoring_path = "/monitoring/prometheus/metrics";  // "" disables

  int http_port() const { return rest_api_port > 0 ? rest_api_port : port; }
  // saved_model_tags split at commas, empty pieces dropped.
  std::vector<std::string> tags() const;
};

using GetEnvFn = std::function<const char*(const char*)>;

// Parses `args` (without the program name). *help is set for --help / -h.
// Errors are INVALID_ARGUMENT naming the flag (or env var) and the value.
StatusOr<ServerFlags> ParseServerFlags(const std::vector<std::string>& args, const GetEnvFn& getenv,
                                       bool* help);

// Usage text listing every flag, its env var and default.
std::string ServerFlagsUsage();

// true/false/1/0/yes/no/on/off (case-insensitive).
bool ParseBool(std::string_view text, bool* value);

}  // namespace stfs::server
