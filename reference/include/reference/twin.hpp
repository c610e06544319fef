// reference::twin — the backend under test: twin's io_context on epoll.
//
// A backend traits struct names the types a scenario uses; the functions
// (post, dispatch, defer, make_work_guard, ...) are found by argument-
// dependent lookup on those types, so scenario code reads like Asio code.
#pragma once

#include <sys/syscall.h>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <twin.hpp>

namespace reference {

struct twin {
  static constexpr std::string_view name = "twin";

  using io_context = ::twin::io_context;
  template <typename Executor>
  using executor_work_guard = ::twin::executor_work_guard<Executor>;
  template <typename Executor>
  using strand = ::twin::strand<Executor>;

  // I/O (timers, TCP, buffers). Functions whose arguments are not twin
  // types (so argument-dependent lookup cannot find them) are forwarded.
  using error_code = std::error_code;
  using system_error = std::system_error;
  using steady_timer = ::twin::steady_timer;
  using tcp = ::twin::ip::tcp;
  using streambuf = ::twin::streambuf;
  using socket_base = ::twin::socket_base;

  template <typename... Args>
  static auto buffer(Args&&... args) {
    return ::twin::buffer(std::forward<Args>(args)...);
  }
  template <typename... Args>
  static auto dynamic_buffer(Args&&... args) {
    return ::twin::dynamic_buffer(std::forward<Args>(args)...);
  }
  template <typename Executor, typename Handler>
  static auto bind_executor(const Executor& ex, Handler&& handler) {
    return ::twin::bind_executor(ex, std::forward<Handler>(handler));
  }
  static auto transfer_all() { return ::twin::transfer_all(); }
  static auto transfer_at_least(std::size_t n) { return ::twin::transfer_at_least(n); }
  static auto transfer_exactly(std::size_t n) { return ::twin::transfer_exactly(n); }
  static auto make_address(const std::string& s) { return ::twin::ip::make_address(s); }
  // What a read past the end of a stream reports.
  static error_code eof() { return ::twin::error::eof; }

  // Creates the reactor now (Asio creates it with the first I/O object), so
  // that an idle run thread blocks in epoll_wait rather than on a condvar.
  static void start_reactor(io_context& ctx) { ctx.impl().reactor(); }

  // The system calls an idle run thread blocks in when it holds the reactor.
  static constexpr std::array<long, 2> reactor_wait_syscalls{SYS_epoll_wait, SYS_epoll_pwait};
};

}  // namespace reference
