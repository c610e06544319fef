// conformance::overlap_meter — counts the handlers in flight at once, so a
// scenario can state that handlers which must be serialised (by a strand, or
// by a single run thread) never overlapped.
#pragma once

#include <atomic>
#include <thread>

namespace conformance {

// Handlers call enter() first and leave() last. enter() yields a little
// after counting itself, so that another thread would overlap the handler
// if anything let it. Thread-safe.
class overlap_meter {
public:
  void enter() {
    const int now = ++in_flight_;
    for (int seen = most_; now > seen && !most_.compare_exchange_weak(seen, now);) {
    }
    for (int i = 0; i < 20; ++i) std::this_thread::yield();
  }
  void leave() {
    --in_flight_;
    ++left_;
  }

  // The most handlers ever in flight at once: 1 when none overlapped.
  int most() const { return most_; }
  // How many handlers have left.
  int left() const { return left_; }

private:
  std::atomic<int> in_flight_{0}, most_{0}, left_{0};
};

}  // namespace conformance
