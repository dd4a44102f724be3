// Server lifecycle for stfs_http: option checks, the TLS context (OpenSSL),
// the listening socket and the I/O threads (one EventLoop each). The request
// path lives in event_loop.cc / connection.cc / request_parser.cc.
#include "http/server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "base/logging.h"
#include "http/auth.h"
#include "http/connection.h"
#include "http/event_loop.h"

namespace stfs::http {
namespace {

bool FileReadable(const std::string& path, std::string* why) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || ::access(path.c_str(), R_OK) != 0) {
    *why = std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = "not a regular file";
    return false;
  }
  return true;
}

// The reason text of the most recent OpenSSL error; clears the queue.
std::string OpenSslError() {
  unsigned long last = 0;
  while (unsigned long e = ERR_get_error()) last = e;
  const char* reason = last ? ERR_reason_error_string(last) : nullptr;
  if (reason != nullptr) return reason;
  if (last == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof(buf));
  return buf;
}

// Encrypted keys are not supported: never prompt on the terminal.
int NoPassword(char*, int, int, void*) { return 0; }

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

StatusOr<SslCtxPtr> MakeTlsContext(const ServerOptions& o) {
  std::string why;
  if (!FileReadable(o.tls_cert_file, &why)) {
    return InvalidArgument("cannot read TLS certificate file '", o.tls_cert_file, "': ", why);
  }
  if (!FileReadable(o.tls_key_file, &why)) {
    return InvalidArgument("cannot read TLS private key file '", o.tls_key_file, "': ", why);
  }
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return Internal("cannot create TLS context: ", OpenSslError());
  SSL_CTX_set_options(ctx.get(), SSL_OP_ALL | SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 |
                                     SSL_OP_NO_TLSv1_1 | SSL_OP_SINGLE_DH_USE |
                                     SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_default_passwd_cb(ctx.get(), NoPassword);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), o.tls_cert_file.c_str()) != 1) {
    return InvalidArgument("cannot load TLS certificate file '", o.tls_cert_file,
                           "' (expected PEM): ", OpenSslError());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), o.tls_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::string err = OpenSslError();
    if (err.find("mismatch") != std::string::npos) {
      return InvalidArgument("TLS private key '", o.tls_key_file, "' does not match certificate '",
                             o.tls_cert_file, "'");
    }
    return InvalidArgument("cannot load TLS private key file '", o.tls_key_file,
                           "' (expected PEM, unencrypted): ", err);
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    ERR_clear_error();
    return InvalidArgument("TLS private key '", o.tls_key_file, "' does not match certificate '",
                           o.tls_cert_file, "'");
  }
  return ctx;
}

// Binds and listens (non-blocking, close-on-exec); returns the fd.
StatusOr<int> Listen(const ServerOptions& o) {
  const std::string where =
      StrCat(o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host, ":", o.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(o.port);
  int rc = getaddrinfo(o.host.empty() ? nullptr : o.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0 || res == nullptr) {
    return InvalidArgument("cannot listen on ", where, ": cannot resolve host '", o.host, "': ",
                           rc != 0 ? gai_strerror(rc) : "no addresses");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Unavailable("cannot listen on ", where, ": ", std::strerror(errno));
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, res->ai_addr, res->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    int err = errno;
    ::close(fd);
    return Unavailable("cannot listen on ", where, ": ", std::strerror(err));
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return 0;
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6&>(ss).sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in&>(ss).sin_port);
}

}  // namespace

struct Server::Impl {
  ServerShared shared;
  std::optional<BasicAuth> auth;
  SslCtxPtr ssl_ctx;
  int listen_fd = -1;
  int port = 0;
  std::vector<std::unique_ptr<EventLoop>> loops;
  std::vector<std::thread> threads;
  std::mutex stop_mu;
  bool stopped = false;

  ~Impl() {
    loops.clear();
    if (listen_fd >= 0) ::close(listen_fd);
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

int Server::port() const { return impl_->port; }
const std::string& Server::host() const { return impl_->shared.options.host; }
bool Server::tls() const { return impl_->ssl_ctx != nullptr; }

StatusOr<std::unique_ptr<Server>> Server::Create(ServerOptions options, Handler handler) {
  if (!handler) return InvalidArgument("http server: no request handler");
  if (options.port < 0 || options.port > 65535) {
    return InvalidArgument("http server: port must be in [0, 65535], got ", options.port);
  }
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return InvalidArgument("HTTPS needs both a TLS certificate file and a private key file (got only the ",
                           options.tls_cert_file.empty() ? "key" : "certificate", ")");
  }
  if (options.max_header_bytes < 256) options.max_header_bytes = 256;
  auto impl = std::make_unique<Impl>();
  int threads = options.num_threads > 0 ? options.num_threads
                                        : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  if (!options.tls_cert_file.empty()) {
    auto ctx = MakeTlsContext(options);
    if (!ctx.ok()) return ctx.status();
    impl->ssl_ctx = std::move(ctx).value();
  }
  auto fd = Listen(options);
  if (!fd.ok()) return fd.status();
  impl->listen_fd = *fd;
  impl->port = BoundPort(impl->listen_fd);

  if (!options.basic_auth_user.empty()) {
    impl->auth.emplace(options.basic_auth_user, options.basic_auth_password, options.auth_realm,
                       options.auth_exempt_paths);
  }
  ServerShared& shared = impl->shared;
  shared.idle_ms = int64_t(std::max(1, options.idle_timeout_seconds)) * 1000;
  shared.options = std::move(options);
  shared.handler = std::move(handler);
  shared.auth = impl->auth ? &*impl->auth : nullptr;
  shared.ssl_ctx = impl->ssl_ctx.get();
  for (int i = 0; i < threads; ++i) {
    auto loop = std::make_unique<EventLoop>(shared, impl->listen_fd);
    if (Status s = loop->Init(); !s.ok()) return s;
    impl->loops.push_back(std::move(loop));
  }
  // SIGPIPE stays blocked on the I/O threads (they inherit this mask): a
  // write to a reset TLS socket then fails with EPIPE instead of killing us.
  sigset_t pipe_set, old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  for (auto& loop : impl->loops) {
    impl->threads.emplace_back([l = loop.get()] { l->Run(); });
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  const ServerShared& s = impl->shared;
  LOG(INFO) << "HTTP server listening on " << (s.ssl_ctx ? "https://" : "http://")
            << s.options.host << ":" << impl->port << " (" << threads << " I/O threads"
            << (s.auth ? ", basic auth" : "") << (s.options.enable_cors ? ", CORS" : "") << ")";
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::Stop() {
  if (!impl_) return;
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->shared.stopping.store(true, std::memory_order_release);
  for (auto& loop : impl_->loops) loop->Wake();
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();  // in-flight handlers finish first
  }
  impl_->threads.clear();
  impl_->loops.clear();  // closes every connection
  if (impl_->listen_fd >= 0) {
    ::close(impl_->listen_fd);
    impl_->listen_fd = -1;
  }
}

}  // namespace stfs::http
