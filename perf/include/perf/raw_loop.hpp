// perf::raw_loop — the baseline event loop: a std::deque of std::function
// behind one mutex, idle threads waiting on one condition variable. No
// per-thread queues, no handler recycling, no reactor, no exceptions
// handling: what a textbook thread-safe queue costs. perf::raw is its traits
// struct, so a scenario that only posts and runs compiles for it unchanged
// and reports as `<scenario><raw>`.
//
// Semantics follow io_context where the scenarios rely on them: run() runs
// handlers until nothing is queued, none is running and no work guard is
// held, blocking while work may still arrive; restart() is accepted (there
// is no stopped state to clear). Every member is safe from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string_view>
#include <utility>

namespace perf {

class raw_loop {
public:
  // The hint is accepted for the scenarios' sake and ignored.
  explicit raw_loop(int /*concurrency_hint*/ = -1) {}
  raw_loop(const raw_loop&) = delete;
  raw_loop& operator=(const raw_loop&) = delete;

  // Queues `f`, waking one idle run thread if there is one.
  template <typename Function>
  void post(Function&& f) {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(std::forward<Function>(f));
    if (idle_ > 0) wake_.notify_one();
  }

  // Runs handlers until there is no work left; returns how many ran.
  std::size_t run() {
    std::unique_lock lock(mutex_);
    std::size_t ran = 0;
    for (;;) {
      if (!queue_.empty()) {
        std::function<void()> f = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
        lock.unlock();
        f();
        ++ran;
        lock.lock();
        --running_;
      } else if (guards_ == 0 && running_ == 0) {
        // Out of work: the threads still waiting return too.
        wake_.notify_all();
        return ran;
      } else {
        ++idle_;
        wake_.wait(lock);
        --idle_;
      }
    }
  }

  void restart() {}

  // A work guard's count (make_work_guard below).
  void work_started() {
    std::lock_guard lock(mutex_);
    ++guards_;
  }
  void work_finished() {
    std::lock_guard lock(mutex_);
    if (--guards_ == 0) wake_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::size_t running_ = 0;  // handlers being run (they may post more)
  std::size_t guards_ = 0;
  std::size_t idle_ = 0;  // run threads waiting on wake_
};

// Found by argument-dependent lookup, like twin's and Asio's post.
template <typename Function>
void post(raw_loop& loop, Function&& f) {
  loop.post(std::forward<Function>(f));
}

// Keeps run() from returning for lack of work until reset or destroyed.
class raw_work_guard {
public:
  explicit raw_work_guard(raw_loop& loop) : loop_(&loop) { loop.work_started(); }
  raw_work_guard(raw_work_guard&& other) noexcept : loop_(std::exchange(other.loop_, nullptr)) {}
  raw_work_guard& operator=(raw_work_guard&&) = delete;
  ~raw_work_guard() { reset(); }

  void reset() {
    if (loop_) std::exchange(loop_, nullptr)->work_finished();
  }

private:
  raw_loop* loop_;
};

inline raw_work_guard make_work_guard(raw_loop& loop) { return raw_work_guard(loop); }

// The baseline's traits struct (see registry.hpp).
struct raw {
  static constexpr std::string_view name = "raw";
  using io_context = raw_loop;
};

}  // namespace perf
