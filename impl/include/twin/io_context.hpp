// twin::io_context — the event loop: Asio's io_context, callback style.
//
// Handlers are queued with post/dispatch/defer (free functions in post.hpp,
// dispatch.hpp, defer.hpp, or the executor's members) and run by the threads
// that call run(), run_one(), run_for(), run_until(), poll() or poll_one().
// Every member is safe to call from any thread, concurrently, except the
// destructor, which must not race with anything; destroying the context
// destroys queued handlers without invoking them.
//
// It is an execution_context: services (execution_context.hpp) live in it.
// The oldest is the context's own scheduler service, so on destruction
// every user service is shut down before the queued handlers are
// destroyed, as in Asio.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include "twin/detail/completion_handler.hpp"
#include "twin/detail/invoke_inline.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/detail/scheduler_executor.hpp"
#include "twin/detail/scheduler_service.hpp"
#include "twin/execution.hpp"
#include "twin/execution_context.hpp"
#include "twin/post.hpp"

namespace twin {

class io_context : public execution_context {
public:
  // A handle to this context that runs functions on it
  // (detail/scheduler_executor.hpp): tracked or not.
  template <bool Tracked>
  using basic_executor_type = detail::scheduler_executor<io_context, Tracked>;
  using executor_type = basic_executor_type<false>;
  class strand;  // the legacy strand: io_context_strand.hpp
  class service;
  using count_type = std::size_t;

  // Lets the implementation pick its locking (many run threads may call run).
  io_context() : io_context(-1) {}
  // A hint of 1 promises one run thread, as in Asio: posts from that thread
  // then skip the shared queue's lock.
  explicit io_context(int concurrency_hint);
  io_context(const io_context&) = delete;
  io_context& operator=(const io_context&) = delete;
  // Shuts every service down (the scheduler's last: queued handlers are
  // destroyed then, uninvoked), then deletes them, newest first.
  ~io_context() {
    shutdown();
    destroy();
  }

  // An executor that queues work on this context.
  executor_type get_executor() noexcept;

  // Runs handlers until there is no more work or the context is stopped.
  // Returns how many ran. An exception thrown by a handler leaves run(); call
  // run() again to continue with the handlers still queued.
  count_type run() { return impl_.run(); }
  // Runs at most one handler, blocking until one is ready.
  count_type run_one() { return impl_.run_one(); }

  // Runs handlers for at most `rel_time`.
  template <typename Rep, typename Period>
  count_type run_for(const std::chrono::duration<Rep, Period>& rel_time) {
    return run_until(std::chrono::steady_clock::now() + rel_time);
  }
  template <typename Clock, typename Duration>
  count_type run_until(const std::chrono::time_point<Clock, Duration>& abs_time);

  template <typename Rep, typename Period>
  count_type run_one_for(const std::chrono::duration<Rep, Period>& rel_time) {
    return run_one_until(std::chrono::steady_clock::now() + rel_time);
  }
  template <typename Clock, typename Duration>
  count_type run_one_until(const std::chrono::time_point<Clock, Duration>& abs_time);

  // Runs the handlers that are ready, without blocking.
  count_type poll() { return impl_.poll(); }
  // Runs at most one ready handler, without blocking.
  count_type poll_one() { return impl_.poll_one(); }

  // Makes every run() return as soon as possible, waking idle threads.
  void stop() { impl_.stop(); }
  bool stopped() const { return impl_.stopped(); }
  // Clears the stopped state; needed before run() after a stop or after run
  // returned for lack of work.
  void restart() { impl_.restart(); }

  // Asio's older interface (deprecated there, still used by existing
  // programs): queue `handler`; dispatch runs it inline from a run thread.
  // Both honour the handler's associated executor (bind_executor).
  template <typename Handler>
  void post(Handler&& handler);
  template <typename Handler>
  void dispatch(Handler&& handler);

  // notify_fork (execution_context's): with fork_child, the child gets a
  // reactor of its own (new epoll, interrupter and timerfd, descriptors
  // registered again: detail::reactor_service), so each process runs its
  // own io_context. Not concurrently with run().

  // The scheduler behind this context (for twin's own services and tests).
  detail::scheduler& impl() noexcept { return impl_; }

private:
  detail::scheduler impl_;
};

// The base of services that need an io_context (Asio's io_context::service):
// constructed with one, by use_service<S>(io_context&).
class io_context::service : public execution_context::service {
public:
  io_context& get_io_context() noexcept { return static_cast<io_context&>(context()); }

protected:
  explicit service(io_context& owner) : execution_context::service(owner) {}
  ~service() override = default;

private:
  void shutdown() override {}
  void notify_fork(fork_event) override {}
};

inline io_context::io_context(int concurrency_hint) : impl_(concurrency_hint) {
  add_service(*this, new detail::scheduler_service(*this, impl_));
}

// The io_context's Service, created as Service(ctx) — given the io_context
// itself — if it has none.
template <typename Service>
Service& use_service(io_context& ctx) {
  return detail::use_service_of<Service>(ctx);
}

inline io_context::executor_type io_context::get_executor() noexcept {
  return executor_type(*this);
}

// Like the free functions, these honour the handler's associated executor.
template <typename Handler>
void io_context::post(Handler&& handler) {
  twin::post(*this, std::forward<Handler>(handler));
}

template <typename Handler>
void io_context::dispatch(Handler&& handler) {
  twin::dispatch(*this, std::forward<Handler>(handler));
}

template <typename Clock, typename Duration>
io_context::count_type io_context::run_until(
    const std::chrono::time_point<Clock, Duration>& abs_time) {
  count_type n = 0;
  while (run_one_until(abs_time))
    if (n != static_cast<count_type>(-1)) ++n;
  return n;
}

template <typename Clock, typename Duration>
io_context::count_type io_context::run_one_until(
    const std::chrono::time_point<Clock, Duration>& abs_time) {
  // Wait in slices of at most a second, as Asio does, so a clock that jumps
  // is noticed; give up early once stopped (or out of work, which stops).
  for (auto now = Clock::now(); now < abs_time; now = Clock::now()) {
    auto rel = std::chrono::duration_cast<std::chrono::microseconds>(abs_time - now);
    if (rel > std::chrono::seconds(1)) rel = std::chrono::seconds(1);
    if (count_type n = impl_.wait_one(rel); n || impl_.stopped()) return n;
  }
  return 0;
}

}  // namespace twin
