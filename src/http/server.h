// stfs_http: a small, fast, generic HTTP/1.1 server (our own epoll event loops
// and request parser; TLS through OpenSSL; nothing of it exposed here). It
// knows nothing about models: it parses requests, applies the
// cross-cutting policies below, and calls one Handler per request.
//
// Policies applied by the server before/after the handler:
//   * Body size limit: a request whose Content-Length exceeds max_body_bytes is
//     rejected with 413 before its body is read; a chunked body that grows past
//     the limit is rejected with 413 too. The connection is then closed.
//   * Malformed requests (bad request line, bad headers, bad chunk framing)
//     get 400; oversized headers get 431. The connection is then closed.
//   * Basic auth (basic_auth_user non-empty): every request needs
//     "Authorization: Basic base64(user:password)" except GET/HEAD requests
//     whose decoded path equals one of auth_exempt_paths, and CORS preflights
//     (OPTIONS while enable_cors). Failure -> 401 with
//     WWW-Authenticate: Basic realm="<auth_realm>", charset="UTF-8".
//   * CORS (enable_cors): every response carries Access-Control-Allow-Origin: *;
//     every OPTIONS request is answered by the server itself with 204 and
//     Access-Control-Allow-Methods/-Headers/-Max-Age (the handler never sees it).
//   * Every response has "Server: simple_tensorflow_serving", a Date and a
//     Content-Length; HEAD responses omit the body. Error bodies produced by the
//     server are JSON: {"error": "..."}.
//   * Keep-alive (HTTP/1.1 default, HTTP/1.0 with "Connection: keep-alive"),
//     pipelining (responses in request order), "Connection: close" honoured
//     (from the request or from a Response header), chunked request bodies,
//     "Expect: 100-continue", TCP_NODELAY, per-connection idle timeout.
//
// Threading: num_threads I/O threads, each with its own epoll instance and
// connection table. The listening socket is shared (EPOLLEXCLUSIVE): the
// thread that accepts a connection owns it until it closes. The Handler is
// called inline on that thread, concurrently for different connections (so it
// must be thread-safe), sequentially for one connection. A slow handler
// occupies its I/O thread and delays that thread's other connections; size
// num_threads accordingly. The handler must not throw; if it does anyway the
// exception is caught and answered with 500 {"error": what()}. Idle and linger
// timeouts are checked by each loop every 250 ms. SIGPIPE is blocked on the
// I/O threads (writes to reset sockets fail with EPIPE instead).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "http/multipart.h"  // IWYU pragma: export
#include "http/util.h"       // IWYU pragma: export

namespace stfs::http {

struct Header {
  std::string name, value;
};

struct Request {
  std::string method;          // "GET", "POST", ... as sent (case preserved)
  std::string target;          // raw target "/v1/models/x:predict?a=b"
  std::string path;            // percent-decoded path without the query
  std::string query;           // raw query string (after '?'), may be empty
  std::vector<Header> headers; // in order received, names as sent
  std::string body;            // de-chunked body
  std::string remote_address;  // "127.0.0.1:54321" ("[::1]:54321" for IPv6)
  int version = 11;            // 10 for HTTP/1.0, 11 for HTTP/1.1

  // First header with this name (case-insensitive), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
  // First value of `key` in the query, percent-decoded with '+' as space;
  // nullopt if absent ("?k" and "?k=" both give "").
  std::optional<std::string> QueryParam(std::string_view key) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";  // empty: no Content-Type header
  // Extra headers, sent as given (CR/LF stripped). Content-Type (use
  // content_type), Content-Length, Transfer-Encoding, Server, Date and
  // Connection entries are ignored: the server writes those; a
  // "Connection: close" entry makes the server close after this response.
  std::vector<Header> headers;
  std::string body;

  // 'status' with body {"error": "<message>"} (JSON-escaped).
  static Response Error(int status, std::string_view message);
  // HTTP status from the canonical code (tfserving-api.md 2.2) and the message.
  static Response FromStatus(const Status& status);
};

// Must not throw. Called on I/O threads (see above).
using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 8500;                // 0 = pick a free port (see Server::port())
  int num_threads = 0;            // 0 = std::thread::hardware_concurrency()
  size_t max_body_bytes = 64 << 20;
  size_t max_header_bytes = 64 << 10;  // request line + headers; larger -> 431
  std::string tls_cert_file, tls_key_file;  // both set -> HTTPS only (PEM files)
  bool enable_cors = false;
  std::string basic_auth_user, basic_auth_password;  // non-empty user -> auth on
  std::vector<std::string> auth_exempt_paths = {"/health"};  // exact GET/HEAD paths
  std::string auth_realm = "simple_tensorflow_serving";
  int idle_timeout_seconds = 60;  // also bounds reading one request body
};

class Server {
 public:
  // Validates options, loads TLS files, binds and listens, starts the I/O
  // threads. Errors: "cannot listen on 127.0.0.1:8500: Address already in use",
  // "cannot load TLS certificate file ...", etc.
  static StatusOr<std::unique_ptr<Server>> Create(ServerOptions options, Handler handler);

  ~Server();  // calls Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const;          // the actual bound port
  const std::string& host() const;
  bool tls() const;

  // Closes the listener and all connections (in-flight handlers finish first,
  // their responses are dropped), joins the I/O threads. Idempotent,
  // thread-safe; must not be called from a handler.
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace stfs::http
