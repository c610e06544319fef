// twin::basic_signal_set — waits for POSIX signals, with Asio's interface
// (signal_set names the usual one).
//
// A set holds signal numbers (add, remove, clear) and any number of
// pending async_wait()s. When a signal of the set arrives, every pending
// wait completes with it: handler(std::error_code(), signal_number). A
// signal that arrives while no wait is pending is kept, counted, and the
// next wait completes with it at once (through the queue, never inside
// async_wait) — where several are kept, the lowest signal number first.
// cancel() completes the pending waits with operation_aborted and keeps
// what was counted; removing a signal forgets it. Two sets holding the same
// signal both see it. While any set of the process holds a signal, twin's
// handler replaces the signal's disposition; when the last one lets go, the
// default action is back. See detail/signal_set_service.hpp for how.
//
// A set is not thread-safe: do not use one concurrently from two threads.
#pragma once

#include <system_error>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/detail/io_executor_handler.hpp"
#include "twin/detail/reactor_service.hpp"
#include "twin/detail/signal_handler.hpp"
#include "twin/detail/signal_set_service.hpp"
#include "twin/error.hpp"
#include "twin/io_context.hpp"

namespace twin {

template <typename Executor = any_io_executor>
class basic_signal_set {
public:
  using executor_type = Executor;

  // The same set type on another executor.
  template <typename Executor1>
  struct rebind_executor {
    using other = basic_signal_set<Executor1>;
  };

  // An empty set. The executor must run on an io_context (its own, a strand
  // over it, or an any_io_executor holding either).
  explicit basic_signal_set(const executor_type& ex)
      : executor_(ex), service_(&detail::signal_set_service::of_executor(ex)) {}
  explicit basic_signal_set(io_context& ctx) : basic_signal_set(ctx.get_executor()) {}
  // A set holding one, two or three signals; throws std::system_error when
  // one cannot be added.
  basic_signal_set(const executor_type& ex, int signal_1) : basic_signal_set(ex) { add(signal_1); }
  basic_signal_set(io_context& ctx, int signal_1)
      : basic_signal_set(ctx.get_executor(), signal_1) {}
  basic_signal_set(const executor_type& ex, int signal_1, int signal_2)
      : basic_signal_set(ex, signal_1) {
    add(signal_2);
  }
  basic_signal_set(io_context& ctx, int signal_1, int signal_2)
      : basic_signal_set(ctx.get_executor(), signal_1, signal_2) {}
  basic_signal_set(const executor_type& ex, int signal_1, int signal_2, int signal_3)
      : basic_signal_set(ex, signal_1, signal_2) {
    add(signal_3);
  }
  basic_signal_set(io_context& ctx, int signal_1, int signal_2, int signal_3)
      : basic_signal_set(ctx.get_executor(), signal_1, signal_2, signal_3) {}
  basic_signal_set(const basic_signal_set&) = delete;
  basic_signal_set& operator=(const basic_signal_set&) = delete;

  // Removes every signal and completes the pending waits with
  // operation_aborted.
  ~basic_signal_set() { service_->destroy(impl_); }

  executor_type get_executor() const noexcept { return executor_; }

  // Adds a signal (nothing if it is there): invalid_argument out of range,
  // or sigaction's error for one that cannot be caught (SIGKILL, SIGSTOP).
  void add(int signal_number) {
    detail::or_throw("add", [&](std::error_code& ec) { add(signal_number, ec); });
  }
  void add(int signal_number, std::error_code& ec) { service_->add(impl_, signal_number, ec); }

  // Removes a signal (nothing if it is not there), with any kept arrival.
  void remove(int signal_number) {
    detail::or_throw("remove", [&](std::error_code& ec) { remove(signal_number, ec); });
  }
  void remove(int signal_number, std::error_code& ec) {
    service_->remove(impl_, signal_number, ec);
  }

  // Removes every signal.
  void clear() {
    detail::or_throw("clear", [&](std::error_code& ec) { clear(ec); });
  }
  void clear(std::error_code& ec) { service_->clear(impl_, ec); }

  // Completes every pending wait with operation_aborted.
  void cancel() {
    detail::or_throw("cancel", [&](std::error_code& ec) { cancel(ec); });
  }
  void cancel(std::error_code& ec) { service_->cancel(impl_, ec); }

  // Calls handler(std::error_code, int signal_number) when a signal of the
  // set arrives, or at once (through the queue) for one already kept.
  template <typename SignalHandler>
  void async_wait(SignalHandler&& handler) {
    using op = detail::signal_handler<detail::on_io_executor_t<Executor, SignalHandler>>;
    service_->start_wait_op(impl_, op::make(detail::on_io_executor(
                                       executor_, direct_, std::forward<SignalHandler>(handler))));
  }

private:
  executor_type executor_;
  // Handlers are called directly, not through executor_ (worked out once).
  bool direct_ = detail::calls_directly_now(executor_);
  detail::signal_set_service* service_;
  detail::signal_set_service::implementation_type impl_;
};

}  // namespace twin
