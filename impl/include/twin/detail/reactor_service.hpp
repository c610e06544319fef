// twin::detail::reactor_service — the io_context's reactor as a service, as
// Asio's epoll_reactor is one: every I/O object reaches the reactor through
// it, so the reactor takes its place among the services when the first one
// is made, and shuts down there (newest first), destroying the operations
// and timer waits still pending in it — after the services made later, such
// as one that owns a socket or a timer, and before those made earlier. The
// reactor itself lives on, owned by the scheduler, until the context is
// gone. A fork reaches the reactor through it too, in the same place.
// Safe to use from any thread.
#pragma once

#include <type_traits>

#include "twin/detail/epoll_reactor.hpp"
#include "twin/execution_context.hpp"
#include "twin/io_context.hpp"

namespace twin::detail {

// The io_context an executor runs on (an io_context executor, a strand over
// one, an any_io_executor holding either): what every I/O object needs to
// reach its context's services. An executor of any other context (a
// thread_pool's) has none: std::bad_cast.
template <typename Executor>
io_context& io_context_of(const Executor& ex) {
  auto& ctx = ex.context();
  if constexpr (std::is_convertible_v<decltype(ctx), io_context&>)
    return ctx;
  else
    return dynamic_cast<io_context&>(ctx);
}

class reactor_service final : public ::twin::execution_context::service {
public:
  static inline ::twin::execution_context::id id;

  // Creates the context's reactor if it has none.
  explicit reactor_service(io_context& ctx)
      : ::twin::execution_context::service(ctx), reactor_(ctx.impl().reactor()) {}

  epoll_reactor& reactor() noexcept { return reactor_; }

  // The reactor of `ctx`, with its service in place.
  static epoll_reactor& of(io_context& ctx) {
    return ::twin::use_service<reactor_service>(ctx).reactor();
  }

  // The reactor of the io_context `ex` runs on (see io_context_of).
  template <typename Executor>
  static epoll_reactor& of_executor(const Executor& ex) {
    return of(io_context_of(ex));
  }

private:
  void shutdown() override { reactor_.shutdown(); }
  // In the child: a new epoll instance, interrupter and timerfd, every
  // descriptor registered again.
  void notify_fork(::twin::execution_context::fork_event event) override {
    if (event == ::twin::execution_context::fork_child) reactor_.recreate_after_fork();
  }

  epoll_reactor& reactor_;
};

}  // namespace twin::detail
