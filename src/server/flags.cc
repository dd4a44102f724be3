#include "server/flags.h"

#include <charconv>
#include <variant>

#include "base/logging.h"

namespace stfs::server {
namespace {

using Target = std::variant<bool*, int*, size_t*, std::string*>;

struct FlagDef {
  const char* name;
  const char* env;  // nullptr: no environment variable
  const char* help;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every flag, in usage order. Kept beside Bind() below.
constexpr FlagDef kFlags[] = {
    {"host", "STFS_HOST", "address to listen on"},
    {"port", "STFS_PORT", "HTTP port (0 = pick a free port)"},
    {"rest_api_port", "STFS_REST_API_PORT", "TF Serving's name for the HTTP port; overrides --port when > 0"},
    {"model_name", "STFS_MODEL_NAME", "model name when no config file is given"},
    {"model_base_path", "STFS_MODEL_BASE_PATH", "directory of numeric version directories"},
    {"model_platform", "STFS_MODEL_PLATFORM", "model platform (tensorflow)"},
    {"saved_model_tags", "STFS_SAVED_MODEL_TAGS",
     "comma-separated MetaGraph tag set to load from every model (empty = the untagged one)"},
    {"model_config_file", "STFS_MODEL_CONFIG_FILE",
     "models to serve: the original JSON or TF Serving's text ModelServerConfig"},
    {"enable_auth", "STFS_ENABLE_AUTH", "require HTTP basic auth (except GET /health)"},
    {"auth_username", "STFS_AUTH_USERNAME", "basic auth user"},
    {"auth_password", "STFS_AUTH_PASSWORD", "basic auth password"},
    {"enable_cors", "STFS_ENABLE_CORS", "allow cross-origin requests from any origin"},
    {"enable_ssl", "STFS_ENABLE_SSL", "serve HTTPS with --secret_pem and --secret_key"},
    {"secret_pem", "STFS_SECRET_PEM", "TLS certificate (PEM)"},
    {"secret_key", "STFS_SECRET_KEY", "TLS private key (PEM)"},
    {"enable_b64_autoconvert", "STFS_B64_AUTOCONVERT",
     "decode {\"b64\": ...} objects (always done for string inputs)"},
    {"log_level", "STFS_LOG_LEVEL", "debug, info, warning, error or critical"},
    {"debug", "STFS_DEBUG", "debug logging"},
    {"custom_op_paths", "STFS_CUSTOM_OP_PATHS", "not supported (custom TensorFlow op libraries)"},
    {"session_config", "STFS_SESSION_CONFIG", "accepted for compatibility; ignored"},
    {"reload_models", "STFS_RELOAD_MODELS", "accepted for compatibility; versions are always watched"},
    {"download_inference_images", "STFS_DOWNLOAD_INFERENCE_IMAGES",
     "accepted for compatibility; uploads are never written to disk"},
    {"max_body_bytes", "STFS_MAX_BODY_BYTES", "largest accepted request body"},
    {"num_threads", "STFS_NUM_THREADS", "HTTP threads (0 = number of CPUs)"},
    {"file_system_poll_wait_seconds", "STFS_FILE_SYSTEM_POLL_WAIT_SECONDS",
     "seconds between re-scans of the model base paths for new/removed versions (0 = never)"},
    {"model_config_file_poll_wait_seconds", "STFS_MODEL_CONFIG_FILE_POLL_WAIT_SECONDS",
     "seconds between checks of --model_config_file for changes (0 = never; SIGHUP reloads too)"},
    {"num_load_threads", "STFS_NUM_LOAD_THREADS", "threads that load model versions"},
    {"max_num_load_retries", "STFS_MAX_NUM_LOAD_RETRIES", "retries of a failed version load"},
    {"load_retry_interval_micros", "STFS_LOAD_RETRY_INTERVAL_MICROS",
     "first delay before retrying a failed load (doubles each retry)"},
    {"allow_version_labels_for_unavailable_models", "STFS_ALLOW_VERSION_LABELS_FOR_UNAVAILABLE_MODELS",
     "allow new version labels to point at versions that are not loaded yet"},
    {"monitoring_path", "STFS_MONITORING_PATH", "Prometheus metrics path (empty disables)"},
};

Target Bind(ServerFlags& f, std::string_view name) {
  if (name == "host") return &f.host;
  if (name == "port") return &f.port;
  if (name == "rest_api_port") return &f.rest_api_port;
  if (name == "model_name") return &f.model_name;
  if (name == "model_base_path") return &f.model_base_path;
  if (name == "model_platform") return &f.model_platform;
  if (name == "saved_model_tags") return &f.saved_model_tags;
  if (name == "model_config_file") return &f.model_config_file;
  if (name == "enable_auth") return &f.enable_auth;
  if (name == "auth_username") return &f.auth_username;
  if (name == "auth_password") return &f.auth_password;
  if (name == "enable_cors") return &f.enable_cors;
  if (name == "enable_ssl") return &f.enable_ssl;
  if (name == "secret_pem") return &f.secret_pem;
  if (name == "secret_key") return &f.secret_key;
  if (name == "enable_b64_autoconvert") return &f.enable_b64_autoconvert;
  if (name == "log_level") return &f.log_level;
  if (name == "debug") return &f.debug;
  if (name == "custom_op_paths") return &f.custom_op_paths;
  if (name == "session_config") return &f.session_config;
  if (name == "reload_models") return &f.reload_models;
  if (name == "download_inference_images") return &f.download_inference_images;
  if (name == "max_body_bytes") return &f.max_body_bytes;
  if (name == "num_threads") return &f.num_threads;
  if (name == "file_system_poll_wait_seconds") return &f.file_system_poll_wait_seconds;
  if (name == "model_config_file_poll_wait_seconds") return &f.model_config_file_poll_wait_seconds;
  if (name == "num_load_threads") return &f.num_load_threads;
  if (name == "max_num_load_retries") return &f.max_num_load_retries;
  if (name == "load_retry_interval_micros") return &f.load_retry_interval_micros;
  if (name == "allow_version_labels_for_unavailable_models") {
    return &f.allow_version_labels_for_unavailable_models;
  }
  return &f.monitoring_path;  // "monitoring_path"
}

const FlagDef* FindFlag(std::string_view name) {
  for (const FlagDef& d : kFlags) {
    if (name == d.name) return &d;
  }
  return nullptr;
}

Status Assign(const Target& target, std::string_view value, std::string_view what) {
  if (auto* b = std::get_if<bool*>(&target)) {
    if (!ParseBool(value, *b)) {
      return InvalidArgument(what, ": '", value, "' is not a boolean (use true/false/1/0/yes/no)");
    }
    return Status::OK();
  }
  if (auto* s = std::get_if<std::string*>(&target)) {
    **s = std::string(value);
    return Status::OK();
  }
  auto parse_int = [&](auto* out) -> Status {
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
    if (value.empty() || ec != std::errc() || p != value.data() + value.size()) {
      return InvalidArgument(what, ": '", value, "' is not a valid non-negative integer");
    }
    return Status::OK();
  };
  if (auto* i = std::get_if<int*>(&target)) {
    RETURN_IF_ERROR(parse_int(*i));
    if (**i < 0) return InvalidArgument(what, ": '", value, "' must not be negative");
    return Status::OK();
  }
  return parse_int(std::get<size_t*>(target));
}

Status Validate(const ServerFlags& f) {
  if (f.port > 65535) return InvalidArgument("--port: ", f.port, " is not a port number (0-65535)");
  if (f.rest_api_port > 65535) {
    return InvalidArgument("--rest_api_port: ", f.rest_api_port, " is not a port number");
  }
  LogLevel level;
  std::string lvl = Lower(f.log_level);
  if (lvl != "critical" && !ParseLogLevel(lvl, &level)) {
    return InvalidArgument("--log_level: '", f.log_level,
                           "' is not one of debug, info, warning, error, critical");
  }
  if (!f.custom_op_paths.empty()) {
    return Unimplemented("--custom_op_paths (", f.custom_op_paths,
                         ") is not supported: custom TensorFlow op libraries cannot be loaded by ",
                         "this server's own graph executor");
  }
  if (f.max_body_bytes < 1024) return InvalidArgument("--max_body_bytes: must be at least 1024");
  if (f.enable_auth && f.auth_username.empty()) {
    return InvalidArgument("--enable_auth needs a non-empty --auth_username");
  }
  return Status::OK();
}

}  // namespace

std::vector<std::string> ServerFlags::tags() const {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= saved_model_tags.size() && !saved_model_tags.empty()) {
    size_t comma = saved_model_tags.find(',', start);
    if (comma == std::string::npos) comma = saved_model_tags.size();
    std::string tag = saved_model_tags.substr(start, comma - start);
    if (!tag.empty()) out.push_back(std::move(tag));
    start = comma + 1;
  }
  return out;
}

bool ParseBool(std::string_view text, bool* value) {
  const std::string t = Lower(text);
  if (t == "true" || t == "1" || t == "yes" || t == "on") {
    *value = true;
    return true;
  }
  if (t == "false" || t == "0" || t == "no" || t == "off") {
    *value = false;
    return true;
  }
  return false;
}

StatusOr<ServerFlags> ParseServerFlags(const std::vector<std::string>& args, const GetEnvFn& getenv,
                                       bool* help) {
  ServerFlags f;
  *help = false;
  for (const FlagDef& d : kFlags) {
    const char* v = d.env ? getenv(d.env) : nullptr;
    if (v) RETURN_IF_ERROR(Assign(Bind(f, d.name), v, StrCat("environment variable ", d.env)));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h" || arg == "-help") {
      *help = true;
      return f;
    }
    if (arg.substr(0, 1) != "-") {
      return InvalidArgument("unexpected argument '", arg, "' (flags look like --name=value)");
    }
    arg.remove_prefix(arg.substr(0, 2) == "--" ? 2 : 1);
    std::string_view name = arg, value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const FlagDef* def = FindFlag(name);
    if (!def) return InvalidArgument("unknown flag --", name, " (see --help)");
    Target target = Bind(f, def->name);
    const std::string what = StrCat("--", def->name);
    if (!has_value) {
      if (std::holds_alternative<bool*>(target)) {
        bool b;
        if (i + 1 < args.size() && ParseBool(args[i + 1], &b)) {
          value = args[++i];
        } else {
          value = "true";
        }
      } else {
        if (i + 1 >= args.size()) return InvalidArgument(what, " needs a value");
        value = args[++i];
      }
    }
    RETURN_IF_ERROR(Assign(target, value, what));
  }
  RETURN_IF_ERROR(Validate(f));
  return f;
}

std::string ServerFlagsUsage() {
  ServerFlags defaults;
  std::string out =
      "Usage: simple_tensorflow_serving [flags]\n"
      "       simple_tensorflow_serving inspect DIR [--tag_set serve] [--json]\n"
      "       simple_tensorflow_serving predict ...\n\n"
      "Serves TensorFlow SavedModels over the TF Serving REST API and the original\n"
      "simple_tensorflow_serving HTTP API. Flags (environment variable, default):\n";
  for (const FlagDef& d : kFlags) {
    std::string def;
    std::visit([&](auto* p) {
      using T = std::remove_pointer_t<decltype(p)>;
      if constexpr (std::is_same_v<T, bool>) def = *p ? "true" : "false";
      else if constexpr (std::is_same_v<T, std::string>) def = "\"" + *p + "\"";
      else def = std::to_string(*p);
    }, Bind(defaults, d.name));
    out += StrCat("  --", d.name, "  ", d.help, " (", d.env ? d.env : "-", ", default ", def, ")\n");
  }
  return out;
}

}  // namespace stfs::server
