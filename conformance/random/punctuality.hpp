// conformance::randomized::punctuality — how well a run kept to time,
// measured by the interpreter against the clock and kept out of the trace.
//
// A run's trace is deterministic only if every deadline passes while the
// loop is idle, waiting for it. The interpreter measures, for each timer
// handler that ran (and each run_for that returned at its deadline), how
// long after its deadline it ran: the worst of these is the run's lateness.
// It also notes when a deadline drew near while the loop was busy (the time
// model broke: the trace may legitimately differ), and, in pool programs,
// when the two handlers of one expiry never ran at once (interpreter_pool.hpp).
//
// None of this is judged by the run itself: differential.hpp weighs the
// tested backend's figures against the oracle's from the same attempt. A
// handler that runs *before* its deadline is no matter of load but a broken
// promise: that is a property violation, recorded in the trace.
//
// Thread-safe: pool threads report concurrently.
#pragma once

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/trace.hpp"

namespace conformance::randomized {

using program_clock = std::chrono::steady_clock;

// How program time maps onto the clock, and what counts as late.
struct timing {
  std::chrono::microseconds spacing{2000};  // between two deadline slots
  std::chrono::microseconds guard{250};     // a deadline this close counts as past
  int last_slot = 10;                       // slots 1..last_slot exist
  // A handler that ran more than this after its deadline was late. Fixed:
  // stretching `spacing` after a noisy attempt does not stretch it.
  std::chrono::microseconds late_bound{1500};
  // How long one handler of a pair_wait waits for the other (pool programs):
  // far beyond any scheduling delay, so that only a backend that leaves a
  // ready handler queued while a thread idles misses it.
  std::chrono::milliseconds meet_limit{500};
};

// One run's figures (see above).
struct punctuality {
  std::chrono::microseconds lateness{0};  // the worst, over every deadline met
  int timed = 0;                          // how many deadlines were met (and measured)
  bool model_broken = false;              // a deadline came near while the loop was busy
  int meets_missed = 0;                   // pool: pair handlers that never ran at once
  int meets = 0;                          // pool: pair handlers that did

  // Whether every deadline was met within the bound while the loop waited.
  bool kept_time(const timing& t) const { return lateness <= t.late_bound && !model_broken; }
  // ...and every pair ran at once.
  bool on_time(const timing& t) const { return kept_time(t) && meets_missed == 0; }
  std::string describe() const {
    std::string out = "worst lateness " + std::to_string(lateness.count()) + " us over " +
                      std::to_string(timed) + " deadline(s)";
    if (model_broken) out += ", a deadline came near while the loop was busy";
    if (meets_missed) out += ", " + std::to_string(meets_missed) + " pair(s) never ran at once";
    return out;
  }
};

// A backend's run of one program.
struct run_result {
  trace events;                         // compared with the oracle's
  std::vector<std::string> violations;  // properties this backend broke (also in `events`)
  punctuality time;                     // never compared as such: see differential.hpp
};

// Collects a run's punctuality and property violations from any thread.
class run_monitor {
public:
  // What waited for `deadline` runs now. Returns false, after noting the
  // violation as `who`, when that is before the deadline; otherwise counts
  // how late it is, when `measure` (a handler a strand held back is late by
  // the program's own doing, not the backend's).
  bool due(program_clock::time_point deadline, const std::string& who, bool measure) {
    const program_clock::duration late = program_clock::now() - deadline;
    std::lock_guard lock(mutex_);
    if (late < program_clock::duration::zero()) {
      violations_.push_back(who + " ran " + std::to_string(micros(-late)) +
                            " us before its deadline");
      return false;
    }
    if (!measure) return true;
    ++time_.timed;
    time_.lateness = std::max(time_.lateness, std::chrono::microseconds(micros(late)));
    return true;
  }
  void model_broke() {
    std::lock_guard lock(mutex_);
    time_.model_broken = true;
  }
  bool model_broken() const {
    std::lock_guard lock(mutex_);
    return time_.model_broken;
  }
  void met(bool at_once) {
    std::lock_guard lock(mutex_);
    ++(at_once ? time_.meets : time_.meets_missed);
  }
  void violated(std::string what) {
    std::lock_guard lock(mutex_);
    violations_.push_back(std::move(what));
  }

  punctuality time() const {
    std::lock_guard lock(mutex_);
    return time_;
  }
  std::vector<std::string> violations() const {
    std::lock_guard lock(mutex_);
    return violations_;
  }

private:
  static long long micros(program_clock::duration d) {
    return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  }

  mutable std::mutex mutex_;
  punctuality time_;
  std::vector<std::string> violations_;
};

}  // namespace conformance::randomized
