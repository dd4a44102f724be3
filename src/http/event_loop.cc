#include "http/event_loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "base/logging.h"

namespace stfs::http {
namespace {

constexpr int kMaxEvents = 256;
constexpr int64_t kSweepMs = 250;
constexpr int64_t kAcceptPauseMs = 50;

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// "127.0.0.1:54321" or "[::1]:54321".
std::string FormatAddress(const sockaddr_storage& ss) {
  char ip[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(ss);
    inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip));
    return StrCat(ip, ":", ntohs(a.sin_port));
  }
  if (ss.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
    inet_ntop(AF_INET6, &a.sin6_addr, ip, sizeof(ip));
    return StrCat("[", ip, "]:", ntohs(a.sin6_port));
  }
  return std::string();
}

}  // namespace

EventLoop::~EventLoop() {
  conns_.clear();
  dead_.clear();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

Status EventLoop::Init() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return Internal("http: epoll_create1 failed: ", std::strerror(errno));
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) return Internal("http: eventfd failed: ", std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &wake_tag_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    return Internal("http: epoll_ctl failed: ", std::strerror(errno));
  }
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.ptr = &listen_tag_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) {
    return Internal("http: epoll_ctl failed: ", std::strerror(errno));
  }
  return Status();
}

void EventLoop::Wake() {
  uint64_t one = 1;
  ssize_t n = ::write(wake_fd_, &one, sizeof(one));
  (void)n;  // EAGAIN: the counter is already non-zero, the loop will wake anyway
}

void EventLoop::Run() {
  epoll_event events[kMaxEvents];
  while (!shared_.stopping.load(std::memory_order_acquire)) {
    int timeout = -1;
    if (!conns_.empty()) timeout = int(kSweepMs);
    if (accept_paused_) timeout = int(kAcceptPauseMs);
    int n = epoll_wait(epoll_fd_, events, kMaxEvents, timeout);
    if (n < 0 && errno != EINTR) {
      LOG(ERROR) << "http: epoll_wait failed: " << std::strerror(errno);
      return;
    }
    const int64_t now = NowMs();
    for (int i = 0; i < n; ++i) {
      void* ptr = events[i].data.ptr;
      if (ptr == &listen_tag_) {
        Accept(now);
      } else if (ptr == &wake_tag_) {
        uint64_t v;
        ssize_t r = ::read(wake_fd_, &v, sizeof(v));
        (void)r;
      } else {
        auto* conn = static_cast<Connection*>(ptr);
        if (conn->slot == SIZE_MAX) continue;  // dropped earlier in this batch
        const bool closing = events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);
        if (!conn->OnEvent(now, closing)) Drop(conn);
      }
    }
    dead_.clear();
    if (accept_paused_ && now >= resume_accept_ms_) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLEXCLUSIVE;
      ev.data.ptr = &listen_tag_;
      if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) == 0) accept_paused_ = false;
    }
    if (now >= next_sweep_ms_) {
      Sweep(now);
      next_sweep_ms_ = now + kSweepMs;
    }
  }
}

void EventLoop::Accept(int64_t now_ms) {
  for (;;) {
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      // EMFILE/ENFILE/ENOBUFS/ENOMEM: back off instead of spinning.
      LOG(WARNING) << "http: accept failed: " << std::strerror(errno);
      PauseAccepting(now_ms);
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto conn = std::make_unique<Connection>(shared_, fd, FormatAddress(ss), now_ms);
    if (!conn->ok()) continue;  // TLS setup failed; the fd is closed
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = conn.get();
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      LOG(WARNING) << "http: epoll_ctl failed: " << std::strerror(errno);
      continue;
    }
    conn->slot = conns_.size();
    conns_.push_back(std::move(conn));
  }
}

void EventLoop::PauseAccepting(int64_t now_ms) {
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr) == 0) {
    accept_paused_ = true;
    resume_accept_ms_ = now_ms + kAcceptPauseMs;
  }
}

void EventLoop::Drop(Connection* conn) {
  size_t slot = conn->slot;
  std::unique_ptr<Connection> owned = std::move(conns_[slot]);
  if (slot + 1 != conns_.size()) {
    conns_[slot] = std::move(conns_.back());
    conns_[slot]->slot = slot;
  }
  conns_.pop_back();
  owned->slot = SIZE_MAX;
  dead_.push_back(std::move(owned));
}

void EventLoop::Sweep(int64_t now_ms) {
  for (size_t i = conns_.size(); i-- > 0;) {
    if (now_ms >= conns_[i]->deadline_ms()) Drop(conns_[i].get());
  }
  dead_.clear();
}

}  // namespace stfs::http
