// reference::asio — Boost.Asio 1.81 on its default Linux reactor, epoll:
// the oracle every twin trace is compared with.
#pragma once

#include <sys/syscall.h>

#include <array>
#include <string_view>

#if defined(BOOST_ASIO_HAS_IO_URING) || defined(BOOST_ASIO_DISABLE_EPOLL)
#error \
    "reference/asio.hpp needs Boost.Asio's epoll configuration; link reference_asio, not reference_asio_uring"
#endif

#include "reference/boost_asio.hpp"

namespace reference {

struct asio : boost_asio_common {
  static constexpr std::string_view name = "asio";
  static constexpr std::array<long, 2> reactor_wait_syscalls{SYS_epoll_wait, SYS_epoll_pwait};
};

}  // namespace reference
