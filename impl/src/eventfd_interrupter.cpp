#include "twin/detail/eventfd_interrupter.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include "twin/detail/syscall.hpp"

namespace twin::detail {

eventfd_interrupter::eventfd_interrupter() : fd_(make_readable_eventfd()) {}

eventfd_interrupter::~eventfd_interrupter() { ::close(fd_); }

void eventfd_interrupter::recreate() {
  const int fresh = make_readable_eventfd();
  ::close(fd_);
  fd_ = fresh;
}

int eventfd_interrupter::make_readable_eventfd() {
  // Initial count 1: readable from birth and forever, since nobody reads it.
  // Each EPOLL_CTL_MOD then re-reports it to an edge-triggered epoll.
  return throw_on_error(::eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd");
}

}  // namespace twin::detail
