#include "http/transport.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

namespace stfs::http {

Transport::Transport(int fd, SSL_CTX* ctx) : fd_(fd) {
  if (ctx == nullptr) return;
  ssl_ = SSL_new(ctx);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd) != 1) {
    ERR_clear_error();
    if (ssl_) SSL_free(ssl_);
    ssl_ = nullptr;
    ::close(fd_);
    fd_ = -1;
    return;
  }
  // Partial writes + moving buffers: a retried write may resume from our own
  // offsets instead of repeating the exact same call.
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_set_accept_state(ssl_);
}

Transport::~Transport() {
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) ::close(fd_);
}

namespace {

ssize_t TlsResult(SSL* ssl, int n) {
  if (n > 0) return n;
  int err = SSL_get_error(ssl, n);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return kIoAgain;
  ERR_clear_error();
  return err == SSL_ERROR_ZERO_RETURN ? 0 : kIoError;
}

}  // namespace

ssize_t Transport::Read(char* buf, size_t size) {
  if (ssl_) {
    return TlsResult(ssl_, SSL_read(ssl_, buf, static_cast<int>(std::min<size_t>(size, INT_MAX))));
  }
  for (;;) {
    ssize_t n = ::recv(fd_, buf, size, 0);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? kIoAgain : kIoError;
  }
}

ssize_t Transport::Write(const iovec* iov, int count) {
  if (ssl_) {
    ssize_t total = 0;
    for (int i = 0; i < count; ++i) {
      if (iov[i].iov_len == 0) continue;
      int len = static_cast<int>(std::min<size_t>(iov[i].iov_len, INT_MAX));
      ssize_t n = TlsResult(ssl_, SSL_write(ssl_, iov[i].iov_base, len));
      if (n < 0) return total > 0 ? total : n;
      total += n;
      if (n < len) break;
    }
    return total;
  }
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iov);
  msg.msg_iovlen = static_cast<size_t>(count);
  for (;;) {
    ssize_t n = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? kIoAgain : kIoError;
  }
}

void Transport::Shutdown() {
  if (ssl_) {
    SSL_shutdown(ssl_);  // one attempt; the linger below does not wait for the peer's
    ERR_clear_error();
  }
  ::shutdown(fd_, SHUT_WR);
}

ssize_t Transport::Discard() {
  char buf[16384];
  for (int i = 0; i < 64; ++i) {  // bounded work per event; the linger deadline ends it
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n > 0) continue;
    if (n == 0) return 0;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK ? kIoAgain : kIoError;
  }
  return kIoAgain;
}

}  // namespace stfs::http
