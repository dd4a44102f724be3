// The Boost.Beast/Asio part of stfs_http (the only translation unit that
// includes Beast). One io_context run by N threads; every connection lives on
// its own strand and runs one chain: read header -> [100-continue] -> read
// body -> policies + handler -> write -> read next (pipelined bytes stay in the
// connection's buffer). Responses are serialized by hand into a reused string
// and written with the body as a second buffer (no copy).
#include "http/server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include "base/logging.h"
#include "http/auth.h"
#include "http/cors.h"

namespace stfs::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
// Concrete executor types (not any_io_executor): measurably cheaper per op.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
using TcpStream = beast::basic_stream<tcp, Strand>;

namespace {

constexpr std::string_view kServerLine = "Server: simple_tensorflow_serving\r\n";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kKeepBufferBytes = 64 << 10;  // per-connection buffers kept for reuse

// "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", cached per thread per second.
std::string_view DateLine() {
  thread_local time_t cached_sec = 0;
  thread_local char buf[48];
  thread_local size_t len = 0;
  time_t now = ::time(nullptr);
  if (now != cached_sec) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&now, &tm);
    int n = snprintf(buf, sizeof(buf), "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
                     kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
    len = n > 0 ? size_t(n) : 0;
    cached_sec = now;
  }
  return std::string_view(buf, len);
}

void AppendNumber(std::string* out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

// Header names/values from the handler must not smuggle CR/LF.
void AppendSanitized(std::string* out, std::string_view s) {
  if (s.find_first_of("\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  for (char c : s)
    if (c != '\r' && c != '\n') out->push_back(c);
}

bool IsManagedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
         EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "Server") ||
         EqualsIgnoreCase(name, "Date") || EqualsIgnoreCase(name, "Content-Type");
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

std::string EndpointString(const tcp::endpoint& ep) {
  std::string addr = ep.address().to_string();
  if (ep.address().is_v6()) addr = "[" + addr + "]";
  return addr + ":" + std::to_string(ep.port());
}

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

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  std::optional<BasicAuth> auth;
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<ssl::context> ssl_ctx;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<net::steady_timer> accept_retry;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::chrono::seconds idle{60};
  int port = 0;
  std::atomic<bool> stopping{false};
  std::mutex stop_mu;
  bool stopped = false;

  void DoAccept();
  void OnAccept(beast::error_code ec, Socket socket);
};

namespace {

template <bool kTls>
class Session : public std::enable_shared_from_this<Session<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<TcpStream>, TcpStream>;

  Session(Server::Impl* srv, Socket&& socket, std::string remote)
      : srv_(srv), stream_(MakeStream(srv, std::move(socket))) {
    req_.remote_address = std::move(remote);
  }

  void Start() {
    net::dispatch(Lowest().get_executor(),
                  beast::bind_front_handler(&Session::OnStart, this->shared_from_this()));
  }

 private:
  static Stream MakeStream(Server::Impl* srv, Socket&& socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *srv->ssl_ctx);
    } else {
      return Stream(std::move(socket));
    }
  }

  TcpStream& Lowest() { return beast::get_lowest_layer(stream_); }

  void OnStart() {
    if constexpr (kTls) {
      Lowest().expires_after(srv_->idle);
      stream_.async_handshake(ssl::stream_base::server,
                              beast::bind_front_handler(&Session::OnHandshake,
                                                        this->shared_from_this()));
    } else {
      DoReadHeader();
    }
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) return;  // plain HTTP to the TLS port, scanners, timeouts: just drop
    DoReadHeader();
  }

  void DoReadHeader() {
    if (srv_->stopping.load(std::memory_order_relaxed)) return;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<size_t>(srv_->options.max_header_bytes, UINT32_MAX)));
    // Checked by us after the header. (boost::none would mean 0 in Beast 1.74's
    // Content-Length check: optional<> compares none as smallest.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (req_.body.capacity() <= kKeepBufferBytes) {  // recycle small body buffers
      req_.body.clear();
      parser_->get().body().swap(req_.body);
    } else {
      std::string().swap(req_.body);  // do not pin large bodies on idle connections
    }
    Lowest().expires_after(srv_->idle);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader,
                                                       this->shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    const size_t limit = srv_->options.max_body_bytes;
    if (auto len = parser_->content_length(); len && *len > limit) {
      return SendErrorAndClose(
          413, StrCat("request body of ", *len, " bytes exceeds the limit of ", limit,
                      " bytes (--max_body_bytes)"));
    }
    parser_->body_limit(static_cast<std::uint64_t>(limit));
    if (parser_->is_done()) return OnRequest();
    auto& msg = parser_->get();
    auto expect = msg[bhttp::field::expect];
    if (msg.version() >= 11 && beast::iequals(expect, "100-continue")) {
      Lowest().expires_after(srv_->idle);
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       beast::bind_front_handler(&Session::OnContinueWritten,
                                                 this->shared_from_this()));
      return;
    }
    DoReadBody();
  }

  void OnContinueWritten(beast::error_code ec, size_t) {
    if (ec) return;
    DoReadBody();
  }

  void DoReadBody() {
    Lowest().expires_after(srv_->idle);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, this->shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec) return OnReadError(ec);
    OnRequest();
  }

  void OnReadError(const beast::error_code& ec) {
    if (ec == bhttp::error::body_limit) {
      return SendErrorAndClose(
          413, StrCat("request body exceeds the limit of ", srv_->options.max_body_bytes,
                      " bytes (--max_body_bytes)"));
    }
    if (ec == bhttp::error::header_limit) {
      return SendErrorAndClose(431, StrCat("request header exceeds the limit of ",
                                           srv_->options.max_header_bytes, " bytes"));
    }
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        !IsHttpParseError(ec)) {
      return;  // peer closed, timeout, reset, aborted: drop the connection
    }
    SendErrorAndClose(400, StrCat("malformed HTTP request: ", ec.message()));
  }

  void FillRequest() {
    auto& msg = parser_->get();
    req_.method.assign(msg.method_string().data(), msg.method_string().size());
    std::string_view target(msg.target().data(), msg.target().size());
    req_.target.assign(target);
    size_t q = target.find('?');
    std::string_view raw_path = target.substr(0, q);
    if (raw_path.find('%') == std::string_view::npos) {
      req_.path.assign(raw_path);
    } else {
      PercentDecodeTo(raw_path, false, &req_.path);
    }
    if (q == std::string_view::npos) {
      req_.query.clear();
    } else {
      req_.query.assign(target.substr(q + 1));
    }
    req_.version = static_cast<int>(msg.version());
    size_t n = 0;
    for (const auto& field : msg) {
      if (n == req_.headers.size()) req_.headers.emplace_back();
      Header& h = req_.headers[n++];
      h.name.assign(field.name_string().data(), field.name_string().size());
      h.value.assign(field.value().data(), field.value().size());
    }
    req_.headers.resize(n);
    req_.body.swap(msg.body());
  }

  void OnRequest() {
    FillRequest();
    const bool keep_alive = parser_->get().keep_alive();
    const ServerOptions& o = srv_->options;
    std::string auth_error;
    if (o.enable_cors && req_.method == "OPTIONS") {
      resp_ = CorsPreflightResponse(req_);
    } else if (srv_->auth && !srv_->auth->IsExempt(req_.method, req_.path) &&
               !(auth_error = srv_->auth->Check(req_.FindHeader("Authorization"))).empty()) {
      resp_ = Response::Error(401, auth_error);
      resp_.headers.push_back({"WWW-Authenticate", srv_->auth->challenge()});
    } else {
      try {
        resp_ = srv_->handler(req_);
      } catch (const std::exception& e) {
        resp_ = Response::Error(500, StrCat("internal error: request handler threw: ", e.what()));
      } catch (...) {
        resp_ = Response::Error(500, "internal error: request handler threw a non-std exception");
      }
    }
    bool close = !keep_alive || srv_->stopping.load(std::memory_order_relaxed);
    for (const Header& h : resp_.headers)
      if (EqualsIgnoreCase(h.name, "Connection") && EqualsIgnoreCase(h.value, "close"))
        close = true;
    DoWrite(close, req_.method == "HEAD");
  }

  void SendErrorAndClose(int status, std::string message) {
    req_.version = parser_ ? static_cast<int>(parser_->get().version()) : 11;
    resp_ = Response::Error(status, message);
    DoWrite(/*close=*/true, /*head=*/false);
  }

  void Serialize(bool close, bool head_only) {
    const Response& r = resp_;
    head_.clear();
    head_.append("HTTP/1.1 ");
    const int status = r.status >= 100 && r.status <= 999 ? r.status : 500;
    AppendNumber(&head_, static_cast<uint64_t>(status));
    head_.push_back(' ');
    head_.append(StatusReason(status));
    head_.append("\r\n");
    head_.append(kServerLine);
    head_.append(DateLine());
    const bool no_body = status == 204 || status == 304 || status < 200;
    if (!r.content_type.empty() && !no_body) {
      head_.append("Content-Type: ");
      AppendSanitized(&head_, r.content_type);
      head_.append("\r\n");
    }
    if (!no_body) {
      head_.append("Content-Length: ");
      AppendNumber(&head_, r.body.size());
      head_.append("\r\n");
    }
    bool cors = srv_->options.enable_cors;
    for (const Header& h : r.headers) {
      if (h.name.empty() || IsManagedHeader(h.name)) continue;
      if (cors && EqualsIgnoreCase(h.name, "Access-Control-Allow-Origin")) cors = false;
      AppendSanitized(&head_, h.name);
      head_.append(": ");
      AppendSanitized(&head_, h.value);
      head_.append("\r\n");
    }
    if (cors) head_.append(kCorsAllowOriginLine);
    if (close) {
      head_.append("Connection: close\r\n");
    } else if (req_.version < 11) {
      head_.append("Connection: keep-alive\r\n");
    }
    head_.append("\r\n");
    body_len_ = (head_only || no_body) ? 0 : r.body.size();
  }

  void DoWrite(bool close, bool head_only) {
    close_after_ = close;
    Serialize(close, head_only);
    Lowest().expires_after(srv_->idle);
    if constexpr (kTls) {
      // One buffer: Beast 1.74's flat_stream (inside ssl_stream) turns a
      // sequence that starts with an emptied buffer into a 0-byte write, which
      // ends net::async_write early. The copy is cheap next to encryption.
      head_.append(resp_.body.data(), body_len_);
      net::async_write(stream_, net::buffer(head_),
                       beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
    } else {
      std::array<net::const_buffer, 2> buffers = {net::buffer(head_),
                                                  net::buffer(resp_.body.data(), body_len_)};
      net::async_write(stream_, buffers,
                       beast::bind_front_handler(&Session::OnWrite, this->shared_from_this()));
    }
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (ec) return;
    if (resp_.body.capacity() > kKeepBufferBytes) std::string().swap(resp_.body);
    if (head_.capacity() > kKeepBufferBytes) std::string().swap(head_);
    if (close_after_) return DoClose();
    DoReadHeader();
  }

  void DoClose() {
    if constexpr (kTls) {
      Lowest().expires_after(kLingerTime);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->Lowest().socket().close(ignored);
      });
    } else {
      // Half-close, then drain what the client still sends (e.g. a rejected
      // body) so the kernel does not answer it with RST and lose our response.
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Lowest().expires_after(kLingerTime);
      DoLinger();
    }
  }

  void DoLinger() {
    if (!linger_buf_) linger_buf_ = std::make_unique<std::array<char, 16384>>();
    Lowest().async_read_some(net::buffer(*linger_buf_),
                             [self = this->shared_from_this()](beast::error_code ec, size_t) {
                               if (ec) {
                                 beast::error_code ignored;
                                 self->Lowest().socket().close(ignored);
                                 return;
                               }
                               self->DoLinger();
                             });
  }

  Server::Impl* srv_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request req_;
  Response resp_;
  std::string head_;
  size_t body_len_ = 0;
  bool close_after_ = false;
  std::unique_ptr<std::array<char, 16384>> linger_buf_;
};

}  // namespace

void Server::Impl::DoAccept() {
  acceptor->async_accept(net::make_strand(ioc->get_executor()), beast::bind_front_handler(&Impl::OnAccept, this));
}

void Server::Impl::OnAccept(beast::error_code ec, Socket socket) {
  if (stopping.load() || ec == net::error::operation_aborted || !acceptor->is_open()) return;
  if (ec) {
    // EMFILE/ENFILE/ENOBUFS: back off instead of spinning.
    LOG(WARNING) << "http: accept failed: " << ec.message();
    accept_retry->expires_after(std::chrono::milliseconds(50));
    accept_retry->async_wait([this](beast::error_code wec) {
      if (!wec && !stopping.load()) DoAccept();
    });
    return;
  }
  beast::error_code opt_ec;
  socket.set_option(tcp::no_delay(true), opt_ec);
  auto remote = socket.remote_endpoint(opt_ec);
  std::string remote_str = opt_ec ? std::string() : EndpointString(remote);
  if (ssl_ctx) {
    std::make_shared<Session<true>>(this, std::move(socket), std::move(remote_str))->Start();
  } else {
    std::make_shared<Session<false>>(this, std::move(socket), std::move(remote_str))->Start();
  }
  DoAccept();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

int Server::port() const { return impl_->port; }
const std::string& Server::host() const { return impl_->options.host; }
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
  impl->idle = std::chrono::seconds(std::max(1, options.idle_timeout_seconds));
  int threads = options.num_threads > 0 ? options.num_threads
                                        : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);

  if (!options.tls_cert_file.empty()) {
    std::string why;
    if (!FileReadable(options.tls_cert_file, &why)) {
      return InvalidArgument("cannot read TLS certificate file '", options.tls_cert_file, "': ", why);
    }
    if (!FileReadable(options.tls_key_file, &why)) {
      return InvalidArgument("cannot read TLS private key file '", options.tls_key_file, "': ", why);
    }
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                     ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    ctx->use_certificate_chain_file(options.tls_cert_file, ec);
    if (ec) {
      return InvalidArgument("cannot load TLS certificate file '", options.tls_cert_file,
                             "' (expected PEM): ", ec.message());
    }
    ctx->use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
    if (ec && ec.message().find("mismatch") != std::string::npos) {
      return InvalidArgument("TLS private key '", options.tls_key_file,
                             "' does not match certificate '", options.tls_cert_file, "'");
    }
    if (ec) {
      return InvalidArgument("cannot load TLS private key file '", options.tls_key_file,
                             "' (expected PEM, unencrypted): ", ec.message());
    }
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
      return InvalidArgument("TLS private key '", options.tls_key_file,
                             "' does not match certificate '", options.tls_cert_file, "'");
    }
    impl->ssl_ctx = std::move(ctx);
  }

  impl->ioc = std::make_unique<net::io_context>(threads);
  const std::string where = StrCat(options.host.find(':') != std::string::npos
                                       ? "[" + options.host + "]" : options.host,
                                   ":", options.port);
  beast::error_code ec;
  tcp::endpoint endpoint;
  auto address = net::ip::make_address(options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, static_cast<unsigned short>(options.port));
  } else {
    tcp::resolver resolver(*impl->ioc);
    auto results = resolver.resolve(options.host, std::to_string(options.port),
                                    tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      return InvalidArgument("cannot listen on ", where, ": cannot resolve host '", options.host,
                             "': ", ec ? ec.message() : "no addresses");
    }
    endpoint = results.begin()->endpoint();
  }
  impl->acceptor = std::make_unique<tcp::acceptor>(*impl->ioc);
  auto fail = [&](const beast::error_code& e) {
    return Unavailable("cannot listen on ", where, ": ", e.message());
  };
  impl->acceptor->open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  impl->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  impl->acceptor->bind(endpoint, ec);
  if (ec) return fail(ec);
  impl->acceptor->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  impl->port = impl->acceptor->local_endpoint(ec).port();
  impl->accept_retry = std::make_unique<net::steady_timer>(*impl->ioc);

  if (!options.basic_auth_user.empty()) {
    impl->auth.emplace(options.basic_auth_user, options.basic_auth_password, options.auth_realm,
                       options.auth_exempt_paths);
  }
  impl->options = std::move(options);
  impl->handler = std::move(handler);

  impl->work.emplace(impl->ioc->get_executor());
  impl->DoAccept();
  Impl* raw = impl.get();
  for (int i = 0; i < threads; ++i) {
    raw->threads.emplace_back([raw] {
      for (;;) {
        try {
          raw->ioc->run();
          return;
        } catch (const std::exception& e) {  // should not happen; keep serving
          LOG(ERROR) << "http: I/O thread caught exception: " << e.what();
        }
      }
    });
  }
  LOG(INFO) << "HTTP server listening on " << (raw->ssl_ctx ? "https://" : "http://")
            << raw->options.host << ":" << raw->port << " (" << threads << " I/O threads"
            << (raw->auth ? ", basic auth" : "") << (raw->options.enable_cors ? ", CORS" : "")
            << ")";
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

void Server::Stop() {
  if (!impl_) return;
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping.store(true);
  impl_->work.reset();
  impl_->ioc->stop();
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_->threads.clear();
  beast::error_code ignored;
  impl_->acceptor->close(ignored);
  impl_->accept_retry.reset();
  impl_->acceptor.reset();
  // Destroying the io_context destroys every pending operation and with it
  // the last reference to each session: their sockets close here.
  impl_->ioc.reset();
}

}  // namespace stfs::http
