// simple_tensorflow_serving: the model server binary.
//   simple_tensorflow_serving [flags]        run the server (see --help)
//   simple_tensorflow_serving inspect ...    describe a SavedModel
//   simple_tensorflow_serving predict ...    run one prediction locally
#include <signal.h>
#include <cerrno>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "base/logging.h"
#include "http/server.h"
#include "codegen/codegen.h"
#include "repo/config.h"
#include "repo/repository.h"
#include "rest/handler.h"
#include "rest/stfs_codec.h"
#include "server/flags.h"
#include "server/model_loader.h"
#include "server/reload.h"
#include "repo/poller.h"
#include "repo/warmup.h"

#include "savedmodel/inspect.h"
#include "backend/tf/predict_command.h"

namespace stfs::server {
namespace {

std::vector<ModelConfig> SingleModelConfig(const ServerFlags& f) {
  ModelConfig c;
  c.name = f.model_name;
  c.base_path = f.model_base_path;
  c.platform = f.model_platform;
  return {c};
}

// A working "curl ..." :predict line for the available model with the
// smallest numeric example input (image-bytes models would need a file).
std::string ExampleCurl(const ModelRepository& repo, const ServerFlags& f, const std::string& url) {
  std::string prefix = "curl ";
  if (f.enable_ssl) prefix += "-k ";
  if (f.enable_auth) prefix += "-u " + f.auth_username + ":<password> ";
  std::string best;
  int64_t best_elements = -1;
  for (const ModelInfo& info : repo.ListModels()) {
    auto handle = repo.GetModel(info.name, std::nullopt, std::nullopt);
    if (!handle.ok()) continue;
    auto sig = api::ResolveSignature(handle->model->metadata(), "");
    if (!sig.ok() || (*sig)->inputs.empty()) continue;
    int64_t elements = 0;
    bool numeric = true;
    for (const TensorInfo& in : (*sig)->inputs) {
      numeric = numeric && in.dtype != DType::kString;
      int64_t n = 1;
      for (int64_t d : in.shape.dims()) n *= d > 0 ? d : 1;
      elements += n;
    }
    if (!numeric || (best_elements >= 0 && elements >= best_elements)) continue;
    auto body = GenerateExampleRequest(**sig, ApiFlavor::kTfServing);
    if (!body.ok()) continue;
    std::string compact;  // one line: drop the pretty-printing newlines and indents
    for (size_t i = 0; i < body->size(); ++i) {
      if ((*body)[i] == '\n') {
        while (i + 1 < body->size() && (*body)[i + 1] == ' ') ++i;
        continue;
      }
      compact.push_back((*body)[i]);
    }
    best = StrCat(prefix, "-X POST ", url, "/v1/models/", info.name, ":predict -d '", compact, "'");
    best_elements = elements;
  }
  return best.empty() ? prefix + url + "/v1/models" : best;
}

// Self-pipe for SIGINT/SIGTERM/SIGHUP (see RunServer).
int g_signal_pipe[2] = {-1, -1};

void OnSignal(int sig) {
  const int saved = errno;
  const unsigned char b = static_cast<unsigned char>(sig);
  [[maybe_unused]] ssize_t n = write(g_signal_pipe[1], &b, 1);
  errno = saved;
}

bool InstallSignalPipe() {
  if (pipe(g_signal_pipe) != 0) return false;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int s : {SIGINT, SIGTERM, SIGHUP}) {
    if (sigaction(s, &sa, nullptr) != 0) return false;
  }
  return true;
}

// Blocks until a stop/reload signal arrives; returns its number.
int WaitForSignal() {
  for (;;) {
    unsigned char b = 0;
    ssize_t n = read(g_signal_pipe[0], &b, 1);
    if (n == 1) return b;
    if (n < 0 && errno == EINTR) continue;
    return SIGTERM;  // the pipe broke: treat as a stop request
  }
}

int RunServer(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  bool help = false;
  auto flags = ParseServerFlags(args, [](const char* name) { return std::getenv(name); }, &help);
  if (!flags.ok()) {
    std::cerr << "simple_tensorflow_serving: " << flags.status().message() << "\n"
              << "Run with --help for the list of flags.\n";
    return 2;
  }
  if (help) {
    std::cout << ServerFlagsUsage();
    return 0;
  }
  const ServerFlags& f = *flags;
  LogLevel level = LogLevel::kInfo;
  if (f.log_level == "critical" || f.log_level == "CRITICAL") {
    level = LogLevel::kError;
  } else {
    ParseLogLevel(f.log_level, &level);
  }
  if (f.debug) level = LogLevel::kDebug;
  SetLogLevel(level);
  if (!f.session_config.empty() && f.session_config != "{}") {
    LOG(WARNING) << "--session_config is ignored (no TensorFlow sessions here)";
  }

  // Stop/reload signals go through a self-pipe: the handler runs in whichever
  // thread the kernel picks (libraries such as OpenBLAS start threads before
  // main, so blocking the signals here cannot cover every thread) and only
  // writes the signal number; the main thread reads it below.
  if (!InstallSignalPipe()) {
    std::cerr << "cannot install signal handlers: " << std::strerror(errno) << "\n";
    return 1;
  }

  std::vector<ModelConfig> configs;
  std::string config_text;  // what the config reloader compares against
  if (!f.model_config_file.empty()) {
    if (auto text = ReadConfigText(f.model_config_file); text.ok()) config_text = *text;
    auto loaded = LoadModelConfigFile(f.model_config_file);
    if (!loaded.ok()) {
      std::cerr << "simple_tensorflow_serving: " << loaded.status().message() << "\n";
      return 1;
    }
    configs = std::move(loaded).value();
  } else {
    configs = SingleModelConfig(f);
  }
  ModelRepository repo(WithWarmup(MakeModelLoader(f.tags())), RepositoryOptionsFromFlags(f));
  if (Status s = repo.LoadAll(configs); !s.ok()) {
    std::cerr << "simple_tensorflow_serving: invalid model configuration: " << s.message() << "\n";
    return 1;
  }
  int available = 0;
  for (const ModelInfo& m : repo.ListModels()) {
    for (const ModelVersionStatus& v : m.versions) available += v.state == ModelVersionState::kAvailable;
  }
  LOG(INFO) << "models: " << configs.size() << " configured, " << available
            << " version(s) available";

  http::ServerOptions options;
  options.host = f.host;
  options.port = f.http_port();
  options.num_threads = f.num_threads;
  options.max_body_bytes = f.max_body_bytes;
  options.enable_cors = f.enable_cors;
  if (f.enable_ssl) {
    options.tls_cert_file = f.secret_pem;
    options.tls_key_file = f.secret_key;
  }
  if (f.enable_auth) {
    options.basic_auth_user = f.auth_username;
    options.basic_auth_password = f.auth_password;
    options.auth_realm = "Login Required";
  }
  rest::RestOptions rest_options;
  rest_options.metrics_path = f.monitoring_path;
  rest_options.enable_b64_autoconvert = f.enable_b64_autoconvert;
  rest_options.max_decompressed_bytes = f.max_body_bytes;
  const std::string scheme = f.enable_ssl ? "https" : "http";
  const std::string display_host = (f.host == "0.0.0.0" || f.host == "::" || f.host.empty()) ? "127.0.0.1" : f.host;

  // The handler needs the public URL (with the real port), known only after
  // binding, so it is created first and its options completed below.
  std::unique_ptr<rest::RestHandler> handler;
  std::atomic<rest::RestHandler*> active{nullptr};
  auto server = http::Server::Create(options, [&active](const http::Request& r) {
    rest::RestHandler* h = active.load(std::memory_order_acquire);
    return h ? h->Handle(r) : http::Response::Error(503, "the server is starting");
  });
  if (!server.ok()) {
    std::cerr << "simple_tensorflow_serving: " << server.status().message() << "\n";
    return 1;
  }
  const std::string url = StrCat(scheme, "://", display_host, ":", (*server)->port());
  rest_options.public_url = url;
  handler = std::make_unique<rest::RestHandler>(&repo, rest_options);
  active.store(handler.get(), std::memory_order_release);

  std::cout << "Simple TensorFlow Serving listening on " << scheme << "://" << f.host << ":"
            << (*server)->port() << "\n"
            << "Dashboard: " << url << "/\n"
            << "Try: " << ExampleCurl(repo, f, url) << "\n"
            << std::flush;

  // Online lifecycle: version polling and config reloads (SIGHUP too).
  std::unique_ptr<FileSystemPoller> poller;
  if (f.file_system_poll_wait_seconds > 0) {
    poller = std::make_unique<FileSystemPoller>(&repo, f.file_system_poll_wait_seconds);
  }
  std::unique_ptr<ConfigReloader> reloader;
  if (!f.model_config_file.empty()) {
    reloader = std::make_unique<ConfigReloader>(&repo, f.model_config_file, config_text,
                                                f.model_config_file_poll_wait_seconds, poller.get());
  }
  int sig = 0;
  while ((sig = WaitForSignal()) == SIGHUP) {
    LOG(INFO) << "received SIGHUP: reloading the model config";
    if (reloader) reloader->RequestReload();
    if (poller) poller->Wake();
  }
  LOG(INFO) << "received " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping";
  (*server)->Stop();
  reloader.reset();
  poller.reset();
  return 0;
}

}  // namespace
}  // namespace stfs::server

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "inspect") == 0) {
    return stfs::RunInspectCommand(argc, argv);
  }
  if (argc > 1 && std::strcmp(argv[1], "predict") == 0) {
    return stfs::RunPredictCommand(argc, argv);
  }
  return stfs::server::RunServer(argc, argv);
}
