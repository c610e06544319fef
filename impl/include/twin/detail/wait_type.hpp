// twin::detail — what a wait on a descriptor (socket_base::wait_type or
// posix::descriptor_base::wait_type: read, write, error, in that order, as
// in Asio) waits for: the reactor's queue for async_wait, poll()'s events
// for wait.
#pragma once

#include <poll.h>

#include "twin/detail/descriptor_state.hpp"

namespace twin::detail {

// The reactor's op type for the wait; -1 for a value no wait_type has.
template <typename WaitType>
constexpr int reactor_op_type_of(WaitType w) noexcept {
  switch (static_cast<int>(w)) {
    case 0: return descriptor_state::read_op;
    case 1: return descriptor_state::write_op;
    case 2: return descriptor_state::except_op;
    default: return -1;
  }
}

// poll()'s events for the wait; 0 for a value no wait_type has.
template <typename WaitType>
constexpr short poll_events_of(WaitType w) noexcept {
  switch (static_cast<int>(w)) {
    case 0: return POLLIN;
    case 1: return POLLOUT;
    case 2: return POLLPRI | POLLERR | POLLHUP;
    default: return 0;
  }
}

}  // namespace twin::detail
