// twin::thread_pool — a fixed set of threads running one scheduler: Asio's
// thread_pool. Functions submitted to its executor (post, dispatch, defer)
// run on the pool's threads, and on any thread that attach()es itself.
//
// The pool counts one unit of outstanding work of its own from construction
// until join() or wait(), so its threads wait for work rather than exit
// while the pool is idle; join()/wait() give that unit up and block until
// every thread has run out of work. stop() makes the threads return as soon
// as their current function does, leaving queued functions uninvoked; the
// destructor stops and joins, then (as every execution context) shuts the
// services down, which destroys what is still queued. A function that
// throws on a pool thread terminates the program, as in Asio.
//
// Thread safety: get_executor(), stop() and attach() from any thread;
// join() and wait() from one thread that is not a pool thread, at most once
// each (Asio's wait() gives the pool's unit of work up unconditionally, so
// a second call would release work it does not own: so would twin's).
// Only threads running the pool's functions are ever inside its scheduler;
// it has no reactor until an I/O object needs one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

#include "twin/detail/scheduler.hpp"
#include "twin/detail/scheduler_executor.hpp"
#include "twin/detail/scheduler_service.hpp"
#include "twin/execution_context.hpp"

namespace twin {

class thread_pool : public execution_context {
public:
  template <bool Tracked>
  using basic_executor_type = detail::scheduler_executor<thread_pool, Tracked>;
  using executor_type = basic_executor_type<false>;
  using scheduler_type = executor_type;

  // Twice the hardware's threads, as Asio's default.
  thread_pool() : thread_pool(2 * std::max(1u, std::thread::hardware_concurrency())) {}
  // `num_threads` threads (at least one). One thread gets concurrency hint 1,
  // as in Asio: its posts from the pool thread stay in that thread's queue
  // until the function returns. It runs one function at a time, never a
  // batch (see scheduler's constructor): attach() may add a thread.
  explicit thread_pool(std::size_t num_threads)
      : impl_(num_threads == 1 ? 1 : -1, /*batch_runs=*/false) {
    add_service(*this, new detail::scheduler_service(*this, impl_));
    impl_.work_started();  // the pool's own unit, given up by join()/wait()
    const std::size_t n = num_threads == 0 ? 1 : num_threads;
    threads_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { run_or_terminate(); });
  }
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  // Stops and joins (functions still queued are destroyed, uninvoked, when
  // the services shut down), then shuts the services down and deletes them.
  ~thread_pool() {
    stop();
    join();
    shutdown();
    destroy();
  }

  executor_type get_executor() noexcept { return executor_type(*this); }
  executor_type executor() noexcept { return executor_type(*this); }
  scheduler_type scheduler() noexcept { return executor_type(*this); }

  // The threads return as soon as possible; queued functions may never run.
  void stop() { impl_.stop(); }

  // Runs the pool's functions on the calling thread too, until the pool is
  // stopped, or joined and out of work.
  void attach() { run_or_terminate(); }

  // Gives up the pool's own unit of work and waits for its threads to
  // finish: after the queued work runs out, unless stop() came first. A
  // second call does nothing.
  void join() {
    if (threads_.empty()) return;
    impl_.work_finished();
    join_threads();
  }

  // As join(), except that it gives the unit up even when the threads have
  // already been joined (as Asio's wait()).
  void wait() {
    impl_.work_finished();
    join_threads();
  }

  // The scheduler behind the pool (for its executor and twin's services).
  detail::scheduler& impl() noexcept { return impl_; }

private:
  void run_or_terminate() noexcept {
    try {
      impl_.run();
    } catch (...) {
      std::terminate();
    }
  }

  void join_threads() {
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  detail::scheduler impl_;
  std::vector<std::thread> threads_;
};

}  // namespace twin
