// The byte stream under one HTTP connection: a non-blocking TCP socket, with
// or without TLS (OpenSSL on the same fd). Internal to stfs_http. Everything
// above it (parser, handler, responses) is shared by plain and TLS
// connections; the TLS handshake happens implicitly inside the first
// Read/Write calls. Not thread-safe (one connection = one I/O thread).
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace stfs::http {

inline constexpr ssize_t kIoAgain = -1;  // would block: retry on the next epoll event
inline constexpr ssize_t kIoError = -2;  // reset, TLS failure, ...: drop the connection

class Transport {
 public:
  // Takes ownership of fd. With ctx, creates the server-side SSL object;
  // ok() is false if that failed.
  Transport(int fd, SSL_CTX* ctx);
  ~Transport();  // closes the socket (no TLS close_notify: see Shutdown)
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  bool tls() const { return ssl_ != nullptr; }

  // > 0: bytes read; 0: orderly end of stream; kIoAgain; kIoError.
  ssize_t Read(char* buf, size_t size);
  // Writes a prefix of the buffers: bytes written (> 0), kIoAgain, kIoError.
  ssize_t Write(const iovec* iov, int count);
  // Sends TLS close_notify (best effort) and half-closes the socket.
  void Shutdown();
  // Reads and discards raw socket bytes (lingering after Shutdown): like Read.
  ssize_t Discard();

 private:
  int fd_;
  SSL* ssl_ = nullptr;
};

}  // namespace stfs::http
