// conformance::randomized — twin with a skewed steady_timer, for the
// harness's own tests: they show that a backend whose timers fire late, or
// early, fails the differential check (random_test.cpp), as a real one
// would. Not backends to compare: nothing else uses them.
#pragma once

#include <chrono>
#include <string_view>

#include "reference/twin.hpp"

namespace conformance::randomized {

// twin's steady_timer, really expiring `Skew` after the expiry it reports
// (a negative Skew: before).
template <int SkewMicros>
class skewed_timer : public ::twin::steady_timer {
  using base = ::twin::steady_timer;
  static constexpr std::chrono::microseconds skew{SkewMicros};

public:
  explicit skewed_timer(::twin::io_context& ctx) : base(ctx) {}
  skewed_timer(::twin::io_context& ctx, const time_point& t) : base(ctx, t + skew) {}

  time_point expiry() const { return base::expiry() - skew; }
  std::size_t expires_at(const time_point& t) { return base::expires_at(t + skew); }
  std::size_t expires_after(const duration& d) { return base::expires_after(d + skew); }
};

// Every timer 5 ms late.
struct late_twin : reference::twin {
  static constexpr std::string_view name = "twin (timers 5 ms late)";
  using steady_timer = skewed_timer<5000>;
};

// Every timer 1 ms early.
struct early_twin : reference::twin {
  static constexpr std::string_view name = "twin (timers 1 ms early)";
  using steady_timer = skewed_timer<-1000>;
};

}  // namespace conformance::randomized
