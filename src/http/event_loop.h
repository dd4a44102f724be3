// One I/O thread of the server (internal to stfs_http): its own epoll
// instance and connection table, so the hot path takes no locks. The shared
// listening socket is in every loop's epoll set with EPOLLEXCLUSIVE; the loop
// that wakes accepts and owns those connections for their whole life.
// Timeouts need no timers: the loop wakes at least every 250 ms while it has
// connections and drops those whose deadline has passed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"
#include "http/connection.h"

namespace stfs::http {

class EventLoop {
 public:
  EventLoop(const ServerShared& shared, int listen_fd) : shared_(shared), listen_fd_(listen_fd) {}
  ~EventLoop();  // closes all connections and the loop's fds
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Creates the epoll instance and wake-up eventfd, registers the listener.
  Status Init();
  // Serves until shared.stopping is set and Wake() is called. Loop thread only.
  void Run();
  // Thread-safe: interrupts epoll_wait.
  void Wake();

 private:
  void Accept(int64_t now_ms);
  void PauseAccepting(int64_t now_ms);
  void Drop(Connection* conn);  // removes from the table; destroyed after the event batch
  void Sweep(int64_t now_ms);

  const ServerShared& shared_;
  const int listen_fd_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  char listen_tag_ = 0, wake_tag_ = 0;  // addresses identify the non-connection fds
  std::vector<std::unique_ptr<Connection>> conns_;  // conns_[c->slot].get() == c
  std::vector<std::unique_ptr<Connection>> dead_;
  bool accept_paused_ = false;
  int64_t resume_accept_ms_ = 0;
  int64_t next_sweep_ms_ = 0;
};

}  // namespace stfs::http
