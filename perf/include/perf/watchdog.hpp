// perf::watchdog — ends the program when a benchmark that runs an event
// loop on its own thread stops making progress, so a lost completion fails
// a run (perf::hung, exit status 3) instead of blocking it forever.
//
// A TCP scenario's batch is `ctx.run()` on the benchmark thread until every
// operation it started has completed; if one never completes, run() never
// returns and nothing else would notice. The watchdog's thread wakes once a
// second and declares a hang when beat() was not called for hang_limit
// (60 s). Construct it before the timed loop (it starts a thread) and
// call beat() once per batch from any thread (one relaxed atomic add).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "perf/registry.hpp"
#include "perf/result.hpp"
#include "perf/threads.hpp"

namespace perf {

class watchdog {
public:
  // `what` names the progress that did not happen, in the hang report.
  explicit watchdog(std::string_view what)
      : what_(what), benchmark_(current_benchmark()), thread_([this] { watch(); }) {}

  ~watchdog() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    quit_signal_.notify_one();
    thread_.join();
  }

  watchdog(const watchdog&) = delete;
  watchdog& operator=(const watchdog&) = delete;

  // Records progress.
  void beat() noexcept { beats_.fetch_add(1, std::memory_order_relaxed); }

private:
  void watch() {
    // perf::hung names current_benchmark(), a thread_local of the benchmark
    // thread: copy it to this thread.
    current_benchmark() = benchmark_;
    auto last_progress = std::chrono::steady_clock::now();
    std::uint64_t seen = beats_.load(std::memory_order_relaxed);
    std::unique_lock lock(mutex_);
    while (!quit_signal_.wait_for(lock, std::chrono::seconds(1), [this] { return quit_; })) {
      const std::uint64_t now_beats = beats_.load(std::memory_order_relaxed);
      const auto now = std::chrono::steady_clock::now();
      if (now_beats != seen) {
        seen = now_beats;
        last_progress = now;
      } else if (now - last_progress > hang_limit) {
        hung(what_);
      }
    }
  }

  std::string what_;
  std::string benchmark_;
  std::atomic<std::uint64_t> beats_{0};
  std::mutex mutex_;
  std::condition_variable quit_signal_;
  bool quit_ = false;
  std::thread thread_;  // last: started once the rest exists
};

}  // namespace perf
