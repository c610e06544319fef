// Timer scenarios: timers and threads — a pending timer keeps run() blocked
// until it fires; a timer armed from a foreign thread wakes a run thread
// blocked in the reactor and completes on it; strand-bound completions run
// inside the strand and never overlap, also on four run threads.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/kernel_probe.hpp"
#include "conformance/outcome.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

// run() with nothing but a pending timer blocks until it fires, then returns.
TYPED_TEST_P(Timer, PendingTimerKeepsRunBlockedUntilItFires) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 5ms);
        t.async_wait([&](const typename B::error_code& ec) {
          rec.completion("timer fired", ec);
          rec.record("at or after its expiry: " + yes_no(steady::now() >= t.expiry()));
        });
        rec.record("run begins");
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        // No " @N": the completion runs on the thread that called run().
        EXPECT_THAT(outcomes(t),
                    ElementsAre("run begins", "timer fired", "at or after its expiry: yes",
                                at_least("run returned", 1), "stopped"));
      });
}

// A run thread is blocked in the reactor with no timer at all; a timer armed
// from a foreign thread must reach it and complete on it.
TYPED_TEST_P(Timer, TimerArmedFromForeignThreadWakesBlockedRunThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        B::start_reactor(ctx);
        typename B::steady_timer t(ctx);
        auto guard = make_work_guard(ctx);
        run_threads runners(ctx, 1, rec);
        rec.record(kernel_probe::wait_until_blocked(runners.tid(0), B::reactor_wait_syscalls)
                       ? "runner blocked in reactor"
                       : "runner never blocked in reactor");
        std::promise<void> fired;
        t.expires_after(1ms);
        t.async_wait([&](const typename B::error_code& ec) {
          rec.completion("timer fired", ec);
          fired.set_value();
        });
        if (!ready_in_time(fired.get_future())) rec.record("timer never fired");
        guard.reset();
        runners.join();
        rec.record("runners returned: " + std::to_string(runners.returned()));
      },
      [](const trace& t) {
        // The completion runs on the woken runner.
        EXPECT_THAT(outcomes(t), ElementsAre("runner 0 started @1", "runner blocked in reactor",
                                             "timer fired @1", "runners returned: 1"));
      });
}

TYPED_TEST_P(Timer, StrandBoundCompletionRunsInTheStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        const auto base = steady::now();
        typename B::steady_timer bound(ctx, base + 1ms), plain(ctx, base + 2ms);
        typename B::steady_timer cancelled(ctx, base + 1h);
        bound.async_wait(bind_executor(strand, [&](const typename B::error_code& ec) {
          rec.completion("bound, in strand " + yes_no(strand.running_in_this_thread()), ec);
        }));
        plain.async_wait([&](const typename B::error_code& ec) {
          rec.completion("plain, in strand " + yes_no(strand.running_in_this_thread()), ec);
          cancelled.cancel();
        });
        cancelled.async_wait(bind_executor(strand, [&](const typename B::error_code& ec) {
          rec.completion("cancelled, in strand " + yes_no(strand.running_in_this_thread()), ec);
        }));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("bound, in strand yes", "plain, in strand no",
                                  "cancelled, in strand yes [ECANCELED]",
                                  at_least("run returned", 3))));
}

// 200 strand-bound timers completing on four run threads: never two
// completions in the strand at once, each inside it, each exactly once.
TYPED_TEST_P(Timer, StrandBoundCompletionsNeverOverlapOnFourThreads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int n = 200;
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        auto guard = make_work_guard(ctx);
        std::deque<typename B::steady_timer> timers;
        for (int i = 0; i < n; ++i) timers.emplace_back(ctx);
        overlap_meter meter;
        std::atomic<int> outside{0}, errors{0};
        int fired = 0;  // touched only inside the strand
        std::promise<void> all_fired;
        run_threads runners(ctx, 4, rec);
        const auto base = steady::now();
        for (int i = 0; i < n; ++i) {
          timers[i].expires_at(base + std::chrono::milliseconds(1 + i % 10));
          timers[i].async_wait(bind_executor(strand, [&](const typename B::error_code& ec) {
            meter.enter();
            if (!strand.running_in_this_thread()) ++outside;
            if (ec) ++errors;
            meter.leave();
            if (++fired == n) all_fired.set_value();
          }));
        }
        if (!ready_in_time(all_fired.get_future())) rec.record("not every timer fired");
        guard.reset();
        runners.join();
        rec.record("fired: " + std::to_string(fired));
        rec.record("most in flight: " + std::to_string(meter.most()));
        rec.record("outside the strand: " + std::to_string(outside.load()));
        rec.record("errors: " + std::to_string(errors.load()));
      },
      expect_outcomes(ElementsAre("runner 0 started @1", "runner 1 started @2",
                                  "runner 2 started @3", "runner 3 started @4", "fired: 200",
                                  "most in flight: 1", "outside the strand: 0", "errors: 0")));
}

}  // namespace conformance::timer
