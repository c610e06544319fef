// twin::detail::eventfd_interrupter — the descriptor that wakes epoll_wait.
//
// An eventfd made readable once, at construction, and never read. The reactor
// registers it edge-triggered; to interrupt a blocked epoll_wait it re-arms
// the registration with EPOLL_CTL_MOD, which reports the (still) readable
// descriptor as a new edge. One system call per interrupt, no read to reset
// it, no counter to overflow. Owned by one reactor.
#pragma once

namespace twin::detail {

class eventfd_interrupter {
public:
  // Creates the eventfd (non-blocking, close-on-exec) in the readable state.
  // Throws std::system_error on failure.
  eventfd_interrupter();
  ~eventfd_interrupter();
  eventfd_interrupter(const eventfd_interrupter&) = delete;
  eventfd_interrupter& operator=(const eventfd_interrupter&) = delete;

  // The descriptor to register with epoll.
  int descriptor() const noexcept { return fd_; }

  // Replaces the eventfd with a new one (after fork, the child must not share
  // the parent's). Throws std::system_error on failure.
  void recreate();

private:
  static int make_readable_eventfd();
  int fd_;
};

}  // namespace twin::detail
