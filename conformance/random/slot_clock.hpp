// conformance::randomized::slot_clock — a driven program's time: deadline
// slots. Slot k is base + k * spacing, base being when the program first
// took a slot; slots 1..last_slot exist, each taken at most once, so no two
// deadlines a program arms coincide unless it arms them on purpose.
//
// Not thread-safe: driven programs only.
#pragma once

#include <algorithm>
#include <optional>
#include <set>

#include "random/punctuality.hpp"

namespace conformance::randomized {

class slot_clock {
public:
  explicit slot_clock(const timing& t) : timing_(t) {}

  // Takes the first unused slot from `delay` after the current one, starting
  // the clock if it has not started; 0 when none is left.
  int take(int delay) {
    for (int slot = std::max(now_ + delay, 1); slot <= timing_.last_slot; ++slot) {
      if (used_.contains(slot)) continue;
      used_.insert(slot);
      if (!base_) base_ = program_clock::now();
      return slot;
    }
    return 0;
  }

  // When slot `slot` falls due. The clock must have started.
  program_clock::time_point deadline(int slot) const { return *base_ + slot * timing_.spacing; }

  // The latest slot reached: program time moved on to it.
  int now() const { return now_; }
  void reached(int slot) { now_ = std::max(now_, slot); }

  bool started() const { return base_.has_value(); }

private:
  const timing timing_;
  std::optional<program_clock::time_point> base_;
  std::set<int> used_;
  int now_ = 0;
};

}  // namespace conformance::randomized
