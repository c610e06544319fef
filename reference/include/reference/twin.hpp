// reference::twin — the backend under test: twin's io_context on epoll.
//
// A backend traits struct names the types a scenario uses; the functions
// (post, dispatch, defer, make_work_guard, ...) are found by argument-
// dependent lookup on those types, so scenario code reads like Asio code.
#pragma once

#include <sys/syscall.h>

#include <array>
#include <string_view>

#include <system_error>

#include <twin.hpp>
#include <twin/steady_timer.hpp>

namespace reference {

struct twin {
  static constexpr std::string_view name = "twin";

  using io_context = ::twin::io_context;
  template <typename Executor>
  using executor_work_guard = ::twin::executor_work_guard<Executor>;
  template <typename Executor>
  using strand = ::twin::strand<Executor>;

  using error_code = std::error_code;
  using system_error = std::system_error;
  using steady_timer = ::twin::steady_timer;

  // Creates the reactor now (Asio creates it with the first I/O object), so
  // that an idle run thread blocks in epoll_wait rather than on a condvar.
  static void start_reactor(io_context& ctx) { ctx.impl().reactor(); }

  // The system calls an idle run thread blocks in when it holds the reactor.
  static constexpr std::array<long, 2> reactor_wait_syscalls{SYS_epoll_wait,
                                                              SYS_epoll_pwait};
};

}  // namespace reference
