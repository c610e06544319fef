// conformance::bounded_runner — io_context::run() with a ceiling, for
// scenarios where a backend that lost an event would otherwise hang.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>

#include "conformance/signalled_thread.hpp"
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

  void run() {
    {
      std::lock_guard lock(helper_.mutex);
      ++started_;
    }
    helper_.changed.notify_one();
    ctx_.run();
    {
      std::lock_guard lock(helper_.mutex);
      ++finished_;
    }
    helper_.changed.notify_one();
    ctx_.restart();
  }

private:
  void watch() {
    std::unique_lock lock(helper_.mutex);
    const bool& quit = helper_.quit;
    for (;;) {
      helper_.changed.wait(lock, [&] { return quit || started_ != finished_; });
      if (quit) return;
      const auto is_over = [&] { return quit || finished_ == started_; };
      if (!helper_.changed.wait_for(lock, wait_limit, is_over)) ctx_.stop();
      helper_.changed.wait(lock, is_over);
    }
  }

  IoContext& ctx_;
  std::size_t started_ = 0, finished_ = 0;  // under helper_.mutex
  signalled_thread helper_;                 // last: starts once the members it uses exist
};

}  // namespace conformance
