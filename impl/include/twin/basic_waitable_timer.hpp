// twin::basic_waitable_timer — a timer on any clock with Asio's interface:
// steady_timer, system_timer and high_resolution_timer name the usual ones.
//
// A timer has one expiry; any number of async_wait()s may be pending on it
// and complete together, in the order they were started, when it expires —
// or with operation_aborted when it is cancelled, re-armed or destroyed.
// A completion is never invoked inside the call that started the wait (an
// already-expired timer completes through the queue). The timer lives in
// its io_context's reactor, in the queue of its clock (one per `Clock` and
// `WaitTraits`, as in Asio), all behind one timerfd: the reactor waits for
// `WaitTraits::to_wait_duration(expiry - Clock::now())` at most, and a
// wait completes once `Clock::now()` has reached the expiry. A timer object is
// not thread-safe: do not use one concurrently from two threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <system_error>
#include <thread>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/detail/epoll_reactor.hpp"
#include "twin/detail/io_executor_handler.hpp"
#include "twin/detail/reactor_service.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/detail/wait_handler.hpp"
#include "twin/error.hpp"
#include "twin/execution_concepts.hpp"
#include "twin/io_context.hpp"
#include "twin/wait_traits.hpp"

namespace twin {

template <typename Clock, typename WaitTraits = wait_traits<Clock>,
          typename Executor = any_io_executor>
class basic_waitable_timer {
public:
  using clock_type = Clock;
  using duration = typename Clock::duration;
  using time_point = typename Clock::time_point;
  using traits_type = WaitTraits;
  using executor_type = Executor;

  // The same timer type on another executor.
  template <typename Executor1>
  struct rebind_executor {
    using other = basic_waitable_timer<Clock, WaitTraits, Executor1>;
  };

  // A timer with no expiry set (it expires at the epoch: at once). The
  // executor must run on an io_context (its own, a strand over it, or an
  // any_io_executor holding either).
  explicit basic_waitable_timer(const executor_type& ex)
      : executor_(ex),
        reactor_(&detail::reactor_service::of_executor(ex)),
        queue_(&reactor_->template timer_queue_for<Clock, WaitTraits>()) {}
  explicit basic_waitable_timer(io_context& ctx) : basic_waitable_timer(ctx.get_executor()) {}
  // A timer that expires at `expiry`.
  basic_waitable_timer(const executor_type& ex, const time_point& expiry)
      : basic_waitable_timer(ex) {
    expiry_ = expiry;
  }
  basic_waitable_timer(io_context& ctx, const time_point& expiry)
      : basic_waitable_timer(ctx.get_executor(), expiry) {}
  // A timer that expires `expiry` from now.
  basic_waitable_timer(const executor_type& ex, const duration& expiry) : basic_waitable_timer(ex) {
    expiry_ = after_now(expiry);
  }
  basic_waitable_timer(io_context& ctx, const duration& expiry)
      : basic_waitable_timer(ctx.get_executor(), expiry) {}
  basic_waitable_timer(basic_waitable_timer&& other)
      : executor_(other.executor_),
        reactor_(other.reactor_),
        queue_(other.queue_),
        expiry_(other.expiry_),
        might_have_pending_waits_(
            other.might_have_pending_waits_.exchange(false, std::memory_order_relaxed)) {
    reactor_->move_timer(*queue_, timer_data_, other.timer_data_);
  }
  basic_waitable_timer& operator=(basic_waitable_timer&& other) {
    if (this != &other) {
      cancel();
      executor_ = other.executor_;
      direct_ = other.direct_;
      reactor_ = other.reactor_;
      queue_ = other.queue_;
      expiry_ = other.expiry_;
      might_have_pending_waits_.store(
          other.might_have_pending_waits_.exchange(false, std::memory_order_relaxed),
          std::memory_order_relaxed);
      reactor_->move_timer(*queue_, timer_data_, other.timer_data_);
    }
    return *this;
  }
  basic_waitable_timer(const basic_waitable_timer&) = delete;
  basic_waitable_timer& operator=(const basic_waitable_timer&) = delete;

  // Pending waits complete with operation_aborted.
  ~basic_waitable_timer() { cancel(); }

  executor_type get_executor() const noexcept { return executor_; }

  time_point expiry() const { return expiry_; }

  // Sets the expiry; cancels pending waits and returns how many.
  std::size_t expires_at(const time_point& expiry) {
    const std::size_t cancelled = cancel();
    expiry_ = expiry;
    return cancelled;
  }
  std::size_t expires_after(const duration& expiry) { return expires_at(after_now(expiry)); }

  // Completes every pending wait with operation_aborted; returns how many.
  std::size_t cancel() {
    if (!might_have_pending_waits_.load(std::memory_order_relaxed)) return 0;
    might_have_pending_waits_.store(false, std::memory_order_relaxed);
    return reactor_->cancel_timer(*queue_, timer_data_);
  }
  // Completes the oldest pending wait with operation_aborted; returns 0 or 1.
  std::size_t cancel_one() {
    if (!might_have_pending_waits_.load(std::memory_order_relaxed)) return 0;
    const std::size_t cancelled = reactor_->cancel_timer(*queue_, timer_data_, 1);
    if (cancelled == 0) might_have_pending_waits_.store(false, std::memory_order_relaxed);
    return cancelled;
  }

  // Blocks the calling thread until the expiry.
  void wait() {
    return detail::or_throw("wait", [&](std::error_code& ec) { return wait(ec); });
  }
  void wait(std::error_code& ec) {
    ec.clear();
    for (auto now = Clock::now(); now < expiry_; now = Clock::now())
      std::this_thread::sleep_for(WaitTraits::to_wait_duration(expiry_ - now));
  }

  // Calls handler(std::error_code) when the timer expires or is cancelled.
  template <typename WaitHandler>
  void async_wait(WaitHandler&& handler) {
    using op = detail::wait_handler<detail::on_io_executor_t<Executor, WaitHandler>>;
    reactor_->schedule_timer(
        *queue_, timer_data_, expiry_,
        op::make(detail::on_io_executor(executor_, direct_, std::forward<WaitHandler>(handler))));
    might_have_pending_waits_.store(true, std::memory_order_relaxed);
  }

private:
  // now + d, saturating at the clock's limits as Asio does (so
  // expires_after(duration::max()) means "never").
  static time_point after_now(const duration& d) {
    const time_point now = Clock::now();
    if (d > duration::zero() && now > time_point::max() - d) return time_point::max();
    if (d < duration::zero() && now < time_point::min() - d) return time_point::min();
    return now + d;
  }

  executor_type executor_;
  // Handlers are called directly, not through executor_ (worked out once).
  bool direct_ = detail::calls_directly_now(executor_);
  detail::epoll_reactor* reactor_;
  detail::basic_timer_queue<Clock, WaitTraits>* queue_;  // the reactor's, for this clock
  time_point expiry_{};
  // False only when no wait can be pending (none started since the last
  // cancel): cancel(), expires_at() and the destructor then skip the
  // reactor and its lock, as Asio's do. Touched only by the timer's user,
  // one thread at a time — but that user may hand the timer from one run
  // thread to another through the kernel (a socket's data), an ordering no
  // lock shows ThreadSanitizer: hence a relaxed atomic (a plain load and
  // store on x86), where the reactor's lock used to carry the ordering.
  std::atomic<bool> might_have_pending_waits_{false};
  typename detail::basic_timer_queue<Clock, WaitTraits>::per_timer_data timer_data_;
};

}  // namespace twin
