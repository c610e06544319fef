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
#include "twin/execution.hpp"
#include "twin/execution_context.hpp"
#include "twin/post.hpp"

namespace twin {

class io_context : public execution_context {
public:
  template <bool Tracked>
  class basic_executor_type;
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
  class scheduler_service;

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

// The context's own service, its oldest: its shutdown destroys the queued
// handlers.
class io_context::scheduler_service final : public execution_context::service {
public:
  static inline execution_context::id id;
  explicit scheduler_service(io_context& owner)
      : execution_context::service(owner), scheduler_(owner.impl_) {}

private:
  void shutdown() override { scheduler_.shutdown(); }

  detail::scheduler& scheduler_;
};

inline io_context::io_context(int concurrency_hint) : impl_(concurrency_hint) {
  add_service(*this, new scheduler_service(*this));
}

// The io_context's Service, created as Service(ctx) — given the io_context
// itself — if it has none.
template <typename Service>
Service& use_service(io_context& ctx) {
  return detail::use_service_of<Service>(ctx);
}

// A lightweight handle to an io_context; copies compare equal when they
// refer to the same context with the same properties. Safe to use from any
// thread.
//
// It carries the properties of execution.hpp: execute() runs the function
// inline only when blocking is `possibly` and the caller is a run thread of
// the context; otherwise it queues it, as a continuation when the
// relationship is `continuation`. Those two are bits of the object; whether
// it is `tracked` is its type (as in Asio): a tracked executor counts as
// outstanding work for as long as it (or a copy) exists, moving it moves
// the work, and copying an untracked one costs nothing.
template <bool Tracked>
class io_context::basic_executor_type {
public:
  // Untracked: copies are trivial. Tracked: a copy counts work of its own.
  basic_executor_type(const basic_executor_type&) noexcept requires(!Tracked) = default;
  basic_executor_type& operator=(const basic_executor_type&) noexcept requires(!Tracked) = default;
  ~basic_executor_type() requires(!Tracked) = default;

  basic_executor_type(const basic_executor_type& other) noexcept requires Tracked
      : context_(other.context_),
        bits_(other.bits_) {
    context_->impl_.work_started();
  }
  basic_executor_type(basic_executor_type&& other) noexcept requires Tracked
      : context_(std::exchange(other.context_, nullptr)),
        bits_(other.bits_) {}
  basic_executor_type& operator=(const basic_executor_type& other) noexcept requires Tracked {
    return *this = basic_executor_type(other);
  }
  basic_executor_type& operator=(basic_executor_type&& other) noexcept requires Tracked {
    std::swap(context_, other.context_);
    bits_ = other.bits_;
    return *this;
  }
  ~basic_executor_type() requires Tracked {
    if (context_) context_->impl_.work_finished();
  }

  io_context& context() const noexcept { return *context_; }

  // True when the calling thread is running this context's handlers.
  bool running_in_this_thread() const noexcept { return context_->impl_.can_dispatch(); }

  // Count / release one unit of outstanding work (what a work guard does).
  void on_work_started() const noexcept { context_->impl_.work_started(); }
  void on_work_finished() const noexcept { context_->impl_.work_finished(); }

  // The same executor with one property changed (see execution.hpp).
  basic_executor_type require(execution::blocking_t b) const noexcept {
    return {*context_, b == execution::blocking_t::never ? (bits_ | blocking_never_bit)
                                                         : (bits_ & ~blocking_never_bit)};
  }
  basic_executor_type require(execution::relationship_t r) const noexcept {
    return {*context_, r == execution::relationship_t::continuation ? (bits_ | continuation_bit)
                                                                    : (bits_ & ~continuation_bit)};
  }
  basic_executor_type<true> require(execution::outstanding_work_t::tracked_t) const noexcept {
    return {*context_, bits_};
  }
  basic_executor_type<false> require(execution::outstanding_work_t::untracked_t) const noexcept {
    return {*context_, bits_};
  }
  execution::blocking_t query(execution::blocking_property) const noexcept {
    return (bits_ & blocking_never_bit) ? execution::blocking_t::never
                                        : execution::blocking_t::possibly;
  }

  // Runs `f` now when blocking is possibly and the caller is a run thread of
  // this context; otherwise queues it. An exception `f` throws when run
  // inline does not leave execute(): the context keeps it and rethrows it
  // from run()/poll() once the handler that called execute() has returned
  // (so that handler carries on), as Asio's executor does.
  template <typename Function>
  void execute(Function&& f) const {
    if (!(bits_ & blocking_never_bit) && running_in_this_thread()) {
      std::decay_t<Function> local(std::forward<Function>(f));
      try {
        std::move(local)();
      } catch (...) {
        context_->impl_.capture_current_exception();
      }
      return;
    }
    submit(std::forward<Function>(f), (bits_ & continuation_bit) != 0);
  }

  // The executor's own dispatch/post/defer (Asio's older executor members),
  // which ignore the properties. dispatch runs `f` inline, letting an
  // exception propagate, if running_in_this_thread(); else queues it.
  template <typename Function, typename Allocator = std::allocator<void>>
  void dispatch(Function&& f, const Allocator& = Allocator()) const {
    if (running_in_this_thread()) return detail::invoke_inline(std::forward<Function>(f));
    post(std::forward<Function>(f));
  }

  // Queues `f`; never runs it inside this call.
  template <typename Function, typename Allocator = std::allocator<void>>
  void post(Function&& f, const Allocator& = Allocator()) const {
    submit(std::forward<Function>(f), false);
  }

  // Queues `f` as a continuation of the current handler: from a run thread it
  // goes to that thread's private queue and runs after the current handler
  // returns, without waking another thread.
  template <typename Function, typename Allocator = std::allocator<void>>
  void defer(Function&& f, const Allocator& = Allocator()) const {
    submit(std::forward<Function>(f), true);
  }

  friend bool operator==(const basic_executor_type& a, const basic_executor_type& b) noexcept {
    return a.context_ == b.context_ && a.bits_ == b.bits_;
  }

private:
  friend class io_context;
  template <bool>
  friend class basic_executor_type;
  static constexpr unsigned blocking_never_bit = 1;
  static constexpr unsigned continuation_bit = 2;

  basic_executor_type(io_context& context, unsigned bits) noexcept
      : context_(&context), bits_(bits) {
    if constexpr (Tracked) context_->impl_.work_started();
  }

  template <typename Function>
  void submit(Function&& f, bool is_continuation) const {
    using op = detail::completion_handler<std::decay_t<Function>>;
    context_->impl_.post_immediate_completion(op::make(std::forward<Function>(f)), is_continuation);
  }

  io_context* context_;
  unsigned bits_;
};

inline io_context::executor_type io_context::get_executor() noexcept {
  return executor_type(*this, 0);
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
