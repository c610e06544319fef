// conformance::bounded_runner — io_context::run() with a ceiling, for
// scenarios where a backend that lost an event would otherwise hang.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

#include "conformance/waiting.hpp"

namespace conformance {

// Runs an io_context until it is out of work, for at most wait_limit a run
// — a completion a backend lost then shows as "never completed" instead of
// a hang — and readies it to run again. A helper thread, started with the
// object, stops a run that overstays. Not run_for(): Asio 1.81's io_uring
// backend mishandles the internal timeouts behind run_for (fixed in Asio
// 1.28.1) and then reports writes of 0 bytes and loses completions. The
// helper starts up front because the EMFILE scenario must not start a
// thread while no descriptor is left: UBSan's vptr check probes memory
// through a pipe, finds no descriptor for it, and reports a false error.
template <typename IoContext>
class bounded_runner {
public:
  explicit bounded_runner(IoContext& ctx) : ctx_(ctx), helper_([this] { watch(); }) {}

  ~bounded_runner() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    changed_.notify_one();
    helper_.join();
  }

  bounded_runner(const bounded_runner&) = delete;
  bounded_runner& operator=(const bounded_runner&) = delete;

  void run() {
    {
      std::lock_guard lock(mutex_);
      ++started_;
    }
    changed_.notify_one();
    ctx_.run();
    {
      std::lock_guard lock(mutex_);
      ++finished_;
    }
    changed_.notify_one();
    ctx_.restart();
  }

private:
  void watch() {
    std::unique_lock lock(mutex_);
    for (;;) {
      changed_.wait(lock, [&] { return quit_ || started_ != finished_; });
      if (quit_) return;
      const auto is_over = [&] { return quit_ || finished_ == started_; };
      if (!changed_.wait_for(lock, wait_limit, is_over)) ctx_.stop();
      changed_.wait(lock, is_over);
    }
  }

  IoContext& ctx_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t started_ = 0, finished_ = 0;
  bool quit_ = false;
  std::thread helper_;  // last: starts once the members it uses exist
};

}  // namespace conformance
