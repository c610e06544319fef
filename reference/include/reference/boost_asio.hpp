// reference::boost_asio_common — what the `asio` and `asio_uring` backends
// share: the same Boost.Asio 1.81 API, compiled in two configurations (see
// asio.hpp and asio_uring.hpp; a program includes exactly one of them).
#pragma once

#include <boost/asio.hpp>

namespace reference {

struct boost_asio_common {
  using io_context = boost::asio::io_context;
  template <typename Executor>
  using executor_work_guard = boost::asio::executor_work_guard<Executor>;

  // Creates the scheduler's task (the epoll reactor or the io_uring
  // service) now rather than with the first I/O object.
  static void start_reactor(io_context& ctx) {
    boost::asio::use_service<boost::asio::detail::scheduler>(ctx).init_task();
  }
};

}  // namespace reference
