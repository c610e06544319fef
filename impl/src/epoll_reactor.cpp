#include "twin/detail/epoll_reactor.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include "twin/detail/scheduler.hpp"
#include "twin/detail/syscall.hpp"

namespace twin::detail {

namespace {

constexpr int max_events = 128;

// The interrupter's registration: edge-triggered, so that only a re-arm
// (EPOLL_CTL_MOD) produces an event.
epoll_event interrupter_event(void* tag) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLERR | EPOLLET;
  ev.data.ptr = tag;
  return ev;
}

}  // namespace

epoll_reactor::epoll_reactor(scheduler& owner)
    : scheduler_(owner),
      epoll_fd_(throw_on_error(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")) {
  epoll_event ev = interrupter_event(&interrupter_);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, interrupter_.descriptor(), &ev) == -1) {
    const int error = errno;
    ::close(epoll_fd_);
    throw std::system_error(error, std::system_category(), "epoll_ctl");
  }
}

epoll_reactor::~epoll_reactor() { ::close(epoll_fd_); }

void epoll_reactor::interrupt() {
  epoll_event ev = interrupter_event(&interrupter_);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, interrupter_.descriptor(), &ev);
}

int epoll_reactor::timeout_msec(long usec) {
  if (usec < 0) return -1;
  // Round up: a timeout shorter than a millisecond must not become a poll.
  return usec == 0 ? 0 : static_cast<int>((usec - 1) / 1000 + 1);
}

void epoll_reactor::run(long usec, op_queue<operation>& ops) {
  (void)ops;
  epoll_event events[max_events];
  const int n = ::epoll_wait(epoll_fd_, events, max_events, timeout_msec(usec));
  // EINTR (n == -1) is an empty wake-up: the scheduler simply loops.
  for (int i = 0; i < n; ++i) {
    if (events[i].data.ptr == &interrupter_) {
      // Nothing to reset: the eventfd stays readable and only the next
      // EPOLL_CTL_MOD will report it again.
      continue;
    }
  }
}

}  // namespace twin::detail
