// Timer scenarios: deadlines are kept, neither late nor early — a timer
// whose deadline has demonstrably passed (the scenario waits on the clock,
// it never sleeps) completes in the very next poll(), and no completion
// ever runs before its timer's expiry.
//
// Nothing here measures how late a backend is: a timer either is due
// (steady_clock says its expiry has passed) or is not, and a poll() either
// completes it or does not. A backend that holds timers back for a few
// milliseconds, or fires them a few early, fails; the machine's own
// scheduling delays can only make a due timer more due.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

// Spins until the clock reaches `t`: the scenario's thread stays runnable,
// so nothing is left to the kernel's timer slack.
inline void spin_until(steady::time_point t) {
  while (steady::now() < t) {
  }
}

// A completion handler recording `label`, with "early" when it runs before
// `timer`'s expiry (a success that beat its deadline) on the timer's clock.
template <typename Timer>
auto recording_on_time(recorder& rec, std::string label, const Timer& timer) {
  return [&rec, &timer, label = std::move(label)](const auto& ec) {
    const bool early = !ec && Timer::clock_type::now() < timer.expiry();
    rec.completion(early ? label + " early" : label, ec, 0);
  };
}

// Fills `timers` with `n` timers of `ctx` due 1 ms apart from `first` and
// waits on each: timer i records "timer i" (recording_on_time).
template <typename Timer, typename Context>
void arm_1ms_apart(std::vector<Timer>& timers, Context& ctx, typename Timer::time_point first,
                   int n, recorder& rec) {
  for (int i = 0; i < n; ++i) timers.emplace_back(ctx, first + i * 1ms);
  for (int i = 0; i < n; ++i)
    timers[i].async_wait(recording_on_time(rec, "timer " + std::to_string(i), timers[i]));
}

// A wait whose deadline has passed is complete at the next poll(): the
// reactor must see the expiry at once, not some time after it.
TYPED_TEST_P(Timer, PollCompletesATimerJustDue) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        for (int round = 0; round < 5; ++round) {
          t.expires_after(2ms);
          t.async_wait(recording_on_time(rec, "wait " + std::to_string(round), t));
          spin_until(t.expiry());
          rec.record("poll ran " + std::to_string(ctx.poll()));
          ctx.restart();
        }
      },
      [](const trace& t) {
        // At least: Asio's io_uring backend counts its own timeout operations.
        std::vector<Matcher<std::string>> expected;
        for (int round = 0; round < 5; ++round) {
          expected.push_back("wait " + std::to_string(round));
          expected.push_back(at_least("poll ran", 1));
        }
        EXPECT_THAT(outcomes(t), ElementsAreArray(expected));
      });
}

// Ten timers due at once, 1 ms apart, all passed: one poll() completes
// every one, in deadline order.
TYPED_TEST_P(Timer, PollCompletesEveryDueTimerInDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::vector<typename B::steady_timer> timers;
        const auto base = steady::now() + 2ms;
        for (int i = 0; i < 10; ++i) timers.emplace_back(ctx, base + (9 - i) * 1ms);
        for (int i = 0; i < 10; ++i)
          timers[i].async_wait(recording_on_time(rec, "timer " + std::to_string(i), timers[i]));
        spin_until(base + 9ms);
        rec.record("poll ran " + std::to_string(ctx.poll()));
      },
      [](const trace& t) {
        std::vector<std::string> fired;
        for (int i = 9; i >= 0; --i) fired.push_back("timer " + std::to_string(i));
        EXPECT_THAT(outcomes(t), ElementsAreArray(in_sequence(fired, at_least("poll ran", 10))));
      });
}

// No completion runs before its timer's expiry: timers 1 ms apart, the
// first one's wake-up must not take the others along early.
TYPED_TEST_P(Timer, NoTimerCompletesBeforeItsExpiry) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::vector<typename B::steady_timer> timers;
        arm_1ms_apart(timers, ctx, steady::now() + 1ms, 8, rec);
        ctx.run();
      },
      [](const trace& t) { EXPECT_THAT(outcomes(t), ElementsAreArray(numbered("timer", 8))); });
}

}  // namespace conformance::timer
