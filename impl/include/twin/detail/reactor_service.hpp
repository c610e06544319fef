// twin::detail::reactor_service — the io_context's (or the thread_pool's)
// reactor as a service, as
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
#include "twin/thread_pool.hpp"

namespace twin::detail {

// Calls f with the context an I/O object's executor runs on, as its own
// type: an io_context or a thread_pool, the contexts with a scheduler and
// so a reactor. Known statically when the executor names it (an
// io_context's or a pool's executor, a strand over one); otherwise (an
// any_io_executor) found by the context's dynamic type. Any other context
// has no reactor: std::bad_cast.
template <typename Executor, typename F>
decltype(auto) with_scheduling_context(const Executor& ex, F&& f) {
  auto& ctx = ex.context();
  using context_type = std::remove_cvref_t<decltype(ctx)>;
  if constexpr (std::is_base_of_v<io_context, context_type> ||
                std::is_base_of_v<thread_pool, context_type>) {
    return f(ctx);
  } else {
    if (auto* io = dynamic_cast<io_context*>(&ctx)) return f(*io);
    return f(dynamic_cast<thread_pool&>(ctx));
  }
}

class reactor_service final : public ::twin::execution_context::service {
public:
  static inline ::twin::execution_context::id id;

  // Creates the reactor of `ctx` (an io_context or a thread_pool) if its
  // scheduler has none.
  template <typename Context>
  explicit reactor_service(Context& ctx)
      : ::twin::execution_context::service(ctx), reactor_(ctx.impl().reactor()) {}

  epoll_reactor& reactor() noexcept { return reactor_; }

  // The reactor of `ctx`, an io_context or a thread_pool, with its service
  // in place.
  template <typename Context>
  static epoll_reactor& of(Context& ctx) {
    return use_service_of<reactor_service>(ctx).reactor();
  }

  // The reactor of the context `ex` runs on (see with_scheduling_context).
  template <typename Executor>
  static epoll_reactor& of_executor(const Executor& ex) {
    return with_scheduling_context(ex, [](auto& ctx) -> epoll_reactor& { return of(ctx); });
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
