// perf::event and perf::thread_team — the threads of multi-thread scenarios,
// created before the timed loop and reused by every iteration.
//
// Waits are bounded: after 60 s a benchmark is declared hung and the program
// ends (perf::hung), so a lost wake-up fails a run instead of stalling it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "perf/result.hpp"

namespace perf {

inline constexpr std::chrono::seconds hang_limit{60};

// A one-shot, auto-resetting event: set() from any thread, wait() on one.
// set() before wait() is remembered.
class event {
public:
  void set() {
    std::lock_guard lock(mutex_);
    set_ = true;
    changed_.notify_one();
  }

  // Blocks until set(), then resets; `what` names it if it never comes.
  void wait(std::string_view what) {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, hang_limit, [this] { return set_; })) hung(what);
    set_ = false;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

// n threads that each call body(i) once per round, i in [0, n). Rounds are
// started and awaited by one controlling thread (the benchmark's).
class thread_team {
public:
  thread_team(std::size_t n, std::function<void(std::size_t)> body) : body_(std::move(body)) {
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this, i] { serve(i); });
  }

  ~thread_team() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    start_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  thread_team(const thread_team&) = delete;
  thread_team& operator=(const thread_team&) = delete;

  // Lets every thread call body once.
  void start_round() {
    std::lock_guard lock(mutex_);
    ++round_;
    busy_ = threads_.size();
    start_.notify_all();
  }

  // Blocks until every thread has returned from this round's body.
  void wait_round() {
    std::unique_lock lock(mutex_);
    if (!done_.wait_for(lock, hang_limit, [this] { return busy_ == 0; }))
      hung("a round of the thread team");
  }

  void run_round() {
    start_round();
    wait_round();
  }

private:
  void serve(std::size_t i) {
    std::uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      start_.wait(lock, [&] { return quit_ || round_ != seen; });
      if (quit_) return;
      seen = round_;
      lock.unlock();
      body_(i);
      lock.lock();
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::function<void(std::size_t)> body_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  std::uint64_t round_ = 0;
  std::size_t busy_ = 0;
  bool quit_ = false;
  std::vector<std::thread> threads_;  // last: started once the rest exists
};

}  // namespace perf
