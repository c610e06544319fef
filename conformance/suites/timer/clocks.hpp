// Timer scenarios: timers on clocks other than the steady one — system_timer
// and high_resolution_timer complete in deadline order, cancel and re-arm
// like steady timers, keep their expiry through every constructor and never
// complete before it on their own clock; steady and system timers share one
// context, each able to wake the reactor while the other waits an hour; and
// a user's clock whose wait traits bound the reactor's sleep is noticed
// when it jumps forward while a run thread sleeps.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/timer/deadlines_kept.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

// A clock that runs with the steady clock but can be set forward: a stand-in
// for a wall clock that someone sets.
struct jump_clock {
  using duration = steady::duration;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<jump_clock>;
  static constexpr bool is_steady = false;

  static time_point now() noexcept {
    return time_point(steady::now().time_since_epoch() + duration(offset.load()));
  }
  static void jump(duration by) { offset += by.count(); }
  static void reset() { offset = 0; }

  static inline std::atomic<rep> offset{0};
};

// Wait traits that never let the reactor sleep more than 2 ms on a
// jump_clock timer, so that a jump is noticed.
struct short_waits {
  static jump_clock::duration to_wait_duration(const jump_clock::duration& d) {
    return std::min<jump_clock::duration>(d, 2ms);
  }
  static jump_clock::duration to_wait_duration(const jump_clock::time_point& t) {
    return to_wait_duration(t - jump_clock::now());
  }
};

// Arms one timer per offset, `make(offset)` building it, in the order given;
// each records "<name> +<offset>ms" when it completes. A timer built with a
// duration takes its expiry from the clock when it is built, so offsets
// armed out of order must lie further apart than building the timers
// between them can take on a loaded machine under a sanitizer: 10 ms and
// more (2 ms once reversed two timers under ThreadSanitizer in CI).
template <typename Timer, typename Make>
void arm_each(std::deque<Timer>& timers, recorder& rec, const std::string& name,
              const std::vector<int>& offsets, Make make) {
  for (const int ms : offsets) {
    timers.push_back(make(std::chrono::milliseconds(ms)));
    timers.back().async_wait(recording(rec, name + " +" + std::to_string(ms) + "ms"));
  }
}

// system_timer built with a duration from the context: completions come in
// deadline order, whatever the arming order.
TYPED_TEST_P(Timer, SystemTimersCompleteInDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::deque<typename B::system_timer> timers;
        arm_each(timers, rec, "system", {30, 10, 50, 20, 40},
                 [&](auto d) { return typename B::system_timer(ctx, d); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("system +10ms", "system +20ms", "system +30ms", "system +40ms",
                                  "system +50ms", at_least("run returned", 5))));
}

// high_resolution_timer built from an executor and a time point.
TYPED_TEST_P(Timer, HighResolutionTimersCompleteInDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::deque<typename B::high_resolution_timer> timers;
        const auto base = hires::now();
        arm_each(timers, rec, "hires", {9, 3, 6}, [&](auto d) {
          return typename B::high_resolution_timer(ctx.get_executor(), base + d);
        });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(
          ElementsAre("hires +3ms", "hires +6ms", "hires +9ms", at_least("run returned", 3))));
}

// Steady and system timers armed alternately in one context complete in
// the order of their deadlines, across the two clocks' queues.
TYPED_TEST_P(Timer, SteadyAndSystemTimersInterleaveByDeadline) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::deque<typename B::steady_timer> steady_timers;
        std::deque<typename B::system_timer> system_timers;
        arm_each(steady_timers, rec, "steady", {50, 10},
                 [&](auto d) { return typename B::steady_timer(ctx.get_executor(), d); });
        arm_each(system_timers, rec, "system", {30, 70},
                 [&](auto d) { return typename B::system_timer(ctx.get_executor(), d); });
        arm_each(steady_timers, rec, "steady", {90},
                 [&](auto d) { return typename B::steady_timer(ctx, d); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("steady +10ms", "system +30ms", "steady +50ms", "system +70ms",
                                  "steady +90ms", at_least("run returned", 5))));
}

// A timer due soon on one clock while a timer on the other waits an hour:
// the reactor must not sleep the hour. The early one's handler cancels the
// late one. Both ways round.
TYPED_TEST_P(Timer, EachClocksTimerFiresWhileTheOtherClocksWaitsAnHour) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        auto race = [&rec]<class Early, class Late>(const std::string& early_name,
                                                    const std::string& late_name) {
          typename B::io_context ctx;
          Late late(ctx, 1h);
          late.async_wait(recording(rec, late_name + " (1 h)"));
          Early early(ctx);
          post(ctx, [&] {
            early.expires_after(2ms);
            early.async_wait([&](const typename B::error_code& ec) {
              rec.completion(early_name + " (2 ms), cancels the other", ec);
              late.cancel();
            });
          });
          ctx.run();
        };
        race.template operator()<typename B::system_timer, typename B::steady_timer>("system",
                                                                                     "steady");
        race.template operator()<typename B::steady_timer, typename B::system_timer>("steady",
                                                                                     "system");
      },
      expect_outcomes(ElementsAre("system (2 ms), cancels the other", "steady (1 h) [ECANCELED]",
                                  "steady (2 ms), cancels the other", "system (1 h) [ECANCELED]")));
}

// cancel_one, cancel and re-arming on a system timer: the counts they
// return, and operation_aborted for the waits they end.
TYPED_TEST_P(Timer, SystemTimerCancelAndReArmAbortItsWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::system_timer t(ctx, 1h);
        for (int i = 0; i < 4; ++i) t.async_wait(recording(rec, "wait " + std::to_string(i)));
        rec.record("cancel_one returned " + std::to_string(t.cancel_one()));
        rec.record("expires_after returned " + std::to_string(t.expires_after(1h)));
        t.async_wait(recording(rec, "wait 4"));
        t.async_wait(recording(rec, "wait 5"));
        rec.record("cancel returned " + std::to_string(t.cancel()));
        rec.record("expires_at returned " + std::to_string(t.expires_at(sys::now() + 1ms)));
        t.async_wait(recording(rec, "wait 6"));
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("cancel after expiry returned " + std::to_string(t.cancel()));
      },
      expect_outcomes(ElementsAre(
          "cancel_one returned 1", "expires_after returned 3", "cancel returned 2",
          "expires_at returned 0", "wait 0 [ECANCELED]", "wait 1 [ECANCELED]", "wait 2 [ECANCELED]",
          "wait 3 [ECANCELED]", "wait 4 [ECANCELED]", "wait 5 [ECANCELED]", "wait 6",
          at_least("run returned", 7), "cancel after expiry returned 0")));
}

// The expiry every constructor and setter leaves on a system timer: the
// epoch by default, the time point given, now plus the duration given (from
// a context or an executor), saturated at time_point::max().
TYPED_TEST_P(Timer, SystemTimerExpiryFromEveryConstructor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using timer = typename B::system_timer;
        typename B::io_context ctx;
        const auto ex = ctx.get_executor();
        const auto at = sys::now() + 1234ms;
        timer from_ctx(ctx), from_ex(ex), ctx_at(ctx, at), ex_at(ex, at);
        rec.record("default, context: " + yes_no(from_ctx.expiry() == sys::time_point{}));
        rec.record("default, executor: " + yes_no(from_ex.expiry() == sys::time_point{}));
        rec.record("time point, context: " + yes_no(ctx_at.expiry() == at));
        rec.record("time point, executor: " + yes_no(ex_at.expiry() == at));
        rec.record("executor is the context's: " + yes_no(ex_at.get_executor() == ex));
        const auto before = sys::now();
        timer ctx_after(ctx, 5s), ex_after(ex, 5s);
        const auto after = sys::now();
        auto within = [&](const timer& t) {
          return yes_no(t.expiry() >= before + 5s && t.expiry() <= after + 5s);
        };
        rec.record("duration, context: " + within(ctx_after));
        rec.record("duration, executor: " + within(ex_after));
        from_ctx.expires_after(sys::duration::max());
        rec.record("expires_after(max) saturates: " +
                   yes_no(from_ctx.expiry() == sys::time_point::max()));
      },
      expect_outcomes(ElementsAre("default, context: yes", "default, executor: yes",
                                  "time point, context: yes", "time point, executor: yes",
                                  "executor is the context's: yes", "duration, context: yes",
                                  "duration, executor: yes", "expires_after(max) saturates: yes")));
}

// No system timer completes before its expiry by the system clock, nor does
// the synchronous wait return before it; a moved timer keeps its wait and a
// destroyed one aborts it.
TYPED_TEST_P(Timer, SystemTimerKeepsItsExpiryThroughWaitMoveAndDestruction) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::vector<typename B::system_timer> timers;
        const auto base = sys::now() + 1ms;
        arm_1ms_apart(timers, ctx, base, 4, rec);
        typename B::system_timer original(ctx, base + 4ms);
        original.async_wait(recording(rec, "moved timer"));
        typename B::system_timer moved(std::move(original));
        {
          typename B::system_timer doomed(ctx, 1h);
          doomed.async_wait(recording(rec, "destroyed timer's wait"));
        }
        rec.record("run returned " + std::to_string(ctx.run()));
        moved.expires_after(2ms);
        moved.wait();
        rec.record("wait() returned at or after expiry: " + yes_no(sys::now() >= moved.expiry()));
      },
      expect_outcomes(ElementsAre("destroyed timer's wait [ECANCELED]", "timer 0", "timer 1",
                                  "timer 2", "timer 3", "moved timer", at_least("run returned", 6),
                                  "wait() returned at or after expiry: yes")));
}

// A timer on a user's clock, an hour ahead, while a run thread sleeps in
// the reactor: the clock jumps two hours. The clock's wait traits keep the
// reactor's sleeps short, so the jump is noticed and the wait completes on
// the run thread.
TYPED_TEST_P(Timer, UserClockWaitTraitsBoundTheReactorsSleep) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        jump_clock::reset();
        typename B::io_context ctx;
        B::start_reactor(ctx);
        typename B::template basic_waitable_timer<jump_clock, short_waits> t(ctx, 1h);
        std::promise<void> fired;
        t.async_wait([&](const typename B::error_code& ec) {
          rec.completion("user-clock timer fired", ec);
          fired.set_value();
        });
        run_threads runners(ctx, 1, rec);
        record_blocked_in_reactor<B>(rec, runners);
        jump_clock::jump(2h);
        if (!ready_in_time(fired.get_future())) {
          rec.record("timer never fired");
          t.cancel();
        }
        join_and_record_returned(rec, runners);
        jump_clock::reset();
      },
      expect_outcomes(ElementsAre("runner 0 started @1", "runner blocked in reactor",
                                  "user-clock timer fired @1", "runners returned: 1")));
}

}  // namespace conformance::timer
