#include "http/connection.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "http/cors.h"
#include "http/response_head.h"

namespace stfs::http {
namespace {

constexpr size_t kInitialBuffer = 16 << 10;
constexpr size_t kMinReadSpace = 4 << 10;
constexpr size_t kKeepBufferBytes = 64 << 10;  // larger buffers are released after a request
constexpr int64_t kLingerMs = 2000;

}  // namespace

Connection::Connection(const ServerShared& shared, int fd, std::string remote_address,
                       int64_t now_ms)
    : shared_(shared),
      transport_(fd, shared.ssl_ctx),
      parser_(shared.options.max_header_bytes, shared.options.max_body_bytes),
      now_ms_(now_ms),
      deadline_ms_(now_ms + shared.idle_ms) {
  req_.remote_address = std::move(remote_address);
  parser_.Reset(&req_);
}

bool Connection::OnEvent(int64_t now_ms, bool peer_closing) {
  now_ms_ = now_ms;
  drained_ = false;
  peer_closing_ = peer_closing;
  if (lingering_) return transport_.Discard() == kIoAgain;
  for (;;) {
    if (out_ != Output::kNone) {
      Flush f = FlushOutput();
      if (f == Flush::kFailed) return false;
      if (f == Flush::kBlocked) return true;
      const bool response = out_ == Output::kResponse;
      out_ = Output::kNone;
      if (response) {
        if (close_after_) return BeginLinger();
        FinishResponse();
      }
    }
    size_t consumed = 0;
    RequestParser::Result r = parser_.Parse(in_.get() + in_begin_, in_end_ - in_begin_, &consumed);
    in_begin_ += consumed;
    if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
    if (r == RequestParser::Result::kDone) {
      HandleRequest();
      continue;
    }
    if (r == RequestParser::Result::kError) {
      req_.version = parser_.version();
      resp_ = Response::Error(parser_.error_status(), parser_.error_message());
      StartResponse(/*close=*/true, /*head_only=*/false);
      continue;
    }
    if (!headers_seen_ && parser_.headers_done()) {
      headers_seen_ = true;
      deadline_ms_ = now_ms_ + shared_.idle_ms;  // the body gets its own idle period
      if (parser_.expect_continue()) {
        out_ = Output::kContinue;
        out_head_ = kContinueResponse.data();
        out_head_len_ = kContinueResponse.size();
        out_head_off_ = out_body_len_ = out_body_off_ = 0;
        continue;
      }
    }
    if (drained_) return true;
    ssize_t n = ReadMore();
    if (n > 0) continue;
    return n == kIoAgain;  // 0: peer closed (mid-request or idle); error: drop
  }
}

ssize_t Connection::ReadMore() {
  if (in_cap_ - in_end_ < kMinReadSpace) {
    if (in_begin_ > 0) {  // compact: keep only the unparsed tail
      std::memmove(in_.get(), in_.get() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (in_cap_ - in_end_ < kMinReadSpace) {
      // Bounded: the parser rejects headers past max_header_bytes and consumes
      // body bytes as they arrive, so the buffer never holds much more.
      size_t cap = in_cap_ == 0 ? kInitialBuffer : in_cap_ * 2;
      auto grown = std::make_unique<char[]>(cap);
      if (in_end_ > 0) std::memcpy(grown.get(), in_.get(), in_end_);
      in_ = std::move(grown);
      in_cap_ = cap;
    }
  }
  const size_t space = in_cap_ - in_end_;
  ssize_t n = transport_.Read(in_.get() + in_end_, space);
  if (n > 0) {
    in_end_ += static_cast<size_t>(n);
    // TLS may hold decrypted bytes back, and a FIN seen with this event will
    // not raise another edge: only plain, open sockets may skip the next read.
    drained_ = static_cast<size_t>(n) < space && !transport_.tls() && !peer_closing_;
  }
  return n;
}

void Connection::HandleRequest() {
  const ServerOptions& o = shared_.options;
  std::string auth_error;
  if (o.enable_cors && req_.method == "OPTIONS") {
    resp_ = CorsPreflightResponse(req_);
  } else if (shared_.auth && !shared_.auth->IsExempt(req_.method, req_.path) &&
             !(auth_error = shared_.auth->Check(req_.FindHeader("Authorization"))).empty()) {
    resp_ = Response::Error(401, auth_error);
    resp_.headers.push_back({"WWW-Authenticate", shared_.auth->challenge()});
  } else {
    try {
      resp_ = shared_.handler(req_);
    } catch (const std::exception& e) {
      resp_ = Response::Error(500, StrCat("internal error: request handler threw: ", e.what()));
    } catch (...) {
      resp_ = Response::Error(500, "internal error: request handler threw a non-std exception");
    }
  }
  bool close = !parser_.keep_alive() || shared_.stopping.load(std::memory_order_relaxed);
  for (const Header& h : resp_.headers)
    if (EqualsIgnoreCase(h.name, "Connection") && EqualsIgnoreCase(h.value, "close")) close = true;
  StartResponse(close, req_.method == "HEAD");
}

void Connection::StartResponse(bool close, bool head_only) {
  close_after_ = close;
  out_body_len_ = SerializeResponseHead(resp_, req_.version, close, head_only,
                                        shared_.options.enable_cors, &head_);
  out_ = Output::kResponse;
  out_head_ = head_.data();
  out_head_len_ = head_.size();
  out_head_off_ = out_body_off_ = 0;
  deadline_ms_ = now_ms_ + shared_.idle_ms;
}

Connection::Flush Connection::FlushOutput() {
  for (;;) {
    iovec iov[2];
    int count = 0;
    if (out_head_off_ < out_head_len_) {
      iov[count++] = {const_cast<char*>(out_head_) + out_head_off_, out_head_len_ - out_head_off_};
    }
    if (out_body_off_ < out_body_len_) {
      iov[count++] = {resp_.body.data() + out_body_off_, out_body_len_ - out_body_off_};
    }
    if (count == 0) return Flush::kDone;
    ssize_t n = transport_.Write(iov, count);
    if (n == kIoAgain) return Flush::kBlocked;
    if (n <= 0) return Flush::kFailed;
    size_t done = static_cast<size_t>(n);
    size_t from_head = std::min(done, out_head_len_ - out_head_off_);
    out_head_off_ += from_head;
    out_body_off_ += done - from_head;
  }
}

void Connection::FinishResponse() {
  if (resp_.body.capacity() > kKeepBufferBytes) std::string().swap(resp_.body);
  if (head_.capacity() > kKeepBufferBytes) std::string().swap(head_);
  if (in_cap_ > kKeepBufferBytes && in_end_ - in_begin_ <= kInitialBuffer) {
    auto small = std::make_unique<char[]>(kInitialBuffer);
    std::memcpy(small.get(), in_.get() + in_begin_, in_end_ - in_begin_);
    in_end_ -= in_begin_;
    in_begin_ = 0;
    in_ = std::move(small);
    in_cap_ = kInitialBuffer;
  }
  parser_.Reset(&req_);
  headers_seen_ = false;
  deadline_ms_ = now_ms_ + shared_.idle_ms;
}

// Half-close, then drain what the client still sends (e.g. a rejected body)
// so the kernel does not answer it with RST and lose our response.
bool Connection::BeginLinger() {
  lingering_ = true;
  transport_.Shutdown();
  deadline_ms_ = now_ms_ + kLingerMs;
  return transport_.Discard() == kIoAgain;
}

}  // namespace stfs::http
