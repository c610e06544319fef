// twin::wait_traits — how long the reactor waits for a timer on `Clock`
// (Asio's customisation point: specialise it, or pass other traits to
// basic_waitable_timer, for a clock whose time does not pass like real time).
#pragma once

namespace twin {

template <typename Clock>
struct wait_traits {
  // The time to wait for a deadline `d` away: `d` itself.
  static typename Clock::duration to_wait_duration(const typename Clock::duration& d) { return d; }

  // The time from now until `t`, saturated to the duration's range.
  static typename Clock::duration to_wait_duration(const typename Clock::time_point& t) {
    using duration = typename Clock::duration;
    const typename Clock::time_point now = Clock::now();
    if (now + duration::max() < t) return duration::max();
    if (now + duration::min() > t) return duration::min();
    return t - now;
  }
};

}  // namespace twin
