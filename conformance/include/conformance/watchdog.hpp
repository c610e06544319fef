// conformance::watchdog — turns a hang into a failure.
//
// A scenario that deadlocks would otherwise block CI until its global
// timeout. The watchdog waits, on its own thread, for the scenario to finish;
// if `limit` passes first it prints which scenario hung and ends the process
// with exit status 3, which ctest reports as a failure. The limit is a
// ceiling for a hang, never a performance assertion: set it generously.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>

#include "conformance/signalled_thread.hpp"

namespace conformance {

class watchdog {
public:
  watchdog(std::string what, std::chrono::seconds limit)
      : what_(std::move(what)), guard_([this, limit] { guard(limit); }) {}

  // The default ceiling: CONFORMANCE_TIMEOUT_SECONDS, else 60 s (sanitizer
  // builds run several times slower than release).
  static std::chrono::seconds default_limit() {
    if (const char* env = std::getenv("CONFORMANCE_TIMEOUT_SECONDS"))
      if (const long seconds = std::strtol(env, nullptr, 10); seconds > 0)
        return std::chrono::seconds(seconds);
    return std::chrono::seconds(60);
  }

private:
  void guard(std::chrono::seconds limit) {
    std::unique_lock lock(guard_.mutex);
    if (!guard_.changed.wait_for(lock, limit, [this] { return guard_.quit; })) {
      std::fprintf(stderr, "conformance: %s did not finish within %lld s (hang?)\n", what_.c_str(),
                   static_cast<long long>(limit.count()));
      std::fflush(stderr);
      std::_Exit(3);
    }
  }

  std::string what_;
  signalled_thread guard_;  // last: quits (the scenario finished) first
};

}  // namespace conformance
