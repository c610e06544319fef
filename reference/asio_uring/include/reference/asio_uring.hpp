// reference::asio_uring — Boost.Asio 1.81 with its io_uring backend
// (BOOST_ASIO_HAS_IO_URING + BOOST_ASIO_DISABLE_EPOLL, linked with liburing).
#pragma once

#include <liburing.h>
#include <sys/syscall.h>

#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#if !defined(BOOST_ASIO_HAS_IO_URING) || !defined(BOOST_ASIO_DISABLE_EPOLL)
#error \
    "reference/asio_uring.hpp needs BOOST_ASIO_HAS_IO_URING and BOOST_ASIO_DISABLE_EPOLL; link reference_asio_uring"
#endif

#include "reference/boost_asio.hpp"

namespace reference {

struct asio_uring : boost_asio_common {
  static constexpr std::string_view name = "asio_uring";
  static constexpr std::array<long, 1> reactor_wait_syscalls{SYS_io_uring_enter};

  // Why this kernel cannot run the backend (io_uring disabled by sysctl,
  // seccomp, or too old), or nothing when it can.
  static std::optional<std::string> unavailable_reason() {
    io_uring ring;
    if (int rc = ::io_uring_queue_init(8, &ring, 0); rc < 0)
      return "the kernel refuses io_uring (io_uring_queue_init: " +
             std::string(std::strerror(-rc)) + ")";
    ::io_uring_queue_exit(&ring);
    return std::nullopt;
  }
};

}  // namespace reference
