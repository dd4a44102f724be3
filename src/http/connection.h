// One HTTP/1.1 connection on an I/O thread (internal to stfs_http): reads into
// a reused buffer, parses requests in order (pipelined bytes wait in the
// buffer), applies the server policies (CORS preflight, basic auth), calls the
// handler inline, and writes head + body with one gathered write, continuing
// on the next event when the socket is full. Driven entirely by OnEvent, which
// the owning EventLoop calls for every epoll event of the socket (registered
// edge-triggered for IN|OUT|RDHUP once): each call makes all the progress it
// can until the socket would block, so no event is ever lost.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "http/auth.h"
#include "http/request_parser.h"
#include "http/server.h"
#include "http/transport.h"

namespace stfs::http {

// Read-only state shared by every loop and connection of one server.
struct ServerShared {
  ServerOptions options;
  Handler handler;
  const BasicAuth* auth = nullptr;  // nullptr: no basic auth
  SSL_CTX* ssl_ctx = nullptr;       // nullptr: plain HTTP
  std::atomic<bool> stopping{false};
  int64_t idle_ms = 60000;
};

class Connection {
 public:
  // Takes ownership of the accepted non-blocking socket.
  Connection(const ServerShared& shared, int fd, std::string remote_address, int64_t now_ms);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool ok() const { return transport_.ok(); }
  int fd() const { return transport_.fd(); }

  // Makes all possible progress. `peer_closing`: the event reported
  // RDHUP/HUP/ERR. Returns false when the connection is finished (peer
  // closed, error, linger over): the caller then destroys it.
  bool OnEvent(int64_t now_ms, bool peer_closing);

  // The connection is dropped when now passes this: idle_ms after the last
  // request/response boundary, header completion or response start; 2 s
  // after a closing response was sent (the linger).
  int64_t deadline_ms() const { return deadline_ms_; }

  size_t slot = 0;  // index in the owning loop's table

 private:
  enum class Output { kNone, kContinue, kResponse };
  enum class Flush { kDone, kBlocked, kFailed };

  Flush FlushOutput();
  ssize_t ReadMore();
  void HandleRequest();
  void StartResponse(bool close, bool head_only);
  bool BeginLinger();
  void FinishResponse();

  const ServerShared& shared_;
  Transport transport_;
  RequestParser parser_;
  Request req_;
  Response resp_;
  std::string head_;
  int64_t now_ms_;
  int64_t deadline_ms_;

  std::unique_ptr<char[]> in_;  // input buffer: [in_begin_, in_end_) not yet parsed
  size_t in_cap_ = 0, in_begin_ = 0, in_end_ = 0;

  Output out_ = Output::kNone;
  const char* out_head_ = nullptr;
  size_t out_head_len_ = 0, out_head_off_ = 0;
  size_t out_body_len_ = 0, out_body_off_ = 0;
  bool close_after_ = false;
  bool headers_seen_ = false;
  bool lingering_ = false;
  // A plain read returned less than asked: the socket is empty, and new data
  // will raise a new edge, so the next read can wait for that event (saves a
  // recv() that would fail with EAGAIN after every request).
  bool drained_ = false;
  bool peer_closing_ = false;
};

}  // namespace stfs::http
