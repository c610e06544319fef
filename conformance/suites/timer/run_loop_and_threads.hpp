// Timer scenarios: timers in the run loop and on threads — an expired timer
// completes through the queue; stop() leaves a timer pending for the next
// run(); each io_context runs only its own timers; poll() never waits for
// one and run_one() runs one completion at a time; a pending timer keeps
// run() blocked until it fires; a timer armed from a foreign thread wakes a
// run thread blocked in the reactor and completes on it; strand-bound
// completions run inside the strand and never overlap, also on four run
// threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

// A timer already expired when async_wait is called still completes through
// the queue: never inside async_wait, and behind handlers already queued.
// The expired wait is collected by the reactor task, which was queued
// (first) when the timer was created: its completion goes behind both
// posts.
TYPED_TEST_P(Timer, ExpiredTimerCompletesThroughTheQueue) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_at(steady::now() - 1s);
        post(ctx, [&] { rec.record("posted before"); });
        t.async_wait(recording(rec, "expired wait"));
        rec.record("async_wait returned");
        post(ctx, [&] { rec.record("posted after"); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("async_wait returned", "posted before", "posted after",
                                  "expired wait", at_least("run returned", 3))));
}

// stop() leaves a pending timer pending (its handler is neither run nor
// aborted); after restart() the next run() completes it normally.
TYPED_TEST_P(Timer, StopLeavesTimerPendingAndRestartCompletesIt) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 5ms);
        t.async_wait(recording(rec, "timer"));
        post(ctx, [&] {
          rec.record("stopper");
          ctx.stop();
        });
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("run while stopped returned " + std::to_string(ctx.run()));
        ctx.restart();
        rec.record("run after restart returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("stopper", at_least("run returned", 1),
                                  "run while stopped returned 0", "timer",
                                  at_least("run after restart returned", 1))));
}

// Each io_context runs only its own timers: running `a` (whose timer is
// later) neither runs nor cancels `b`'s earlier one.
TYPED_TEST_P(Timer, TimersOfTwoContextsDoNotInterfere) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context a, b;
        const auto base = steady::now();
        typename B::steady_timer on_a(a, base + 2ms), on_b(b, base + 1ms);
        typename B::steady_timer later_on_b(b, base + 1h);
        on_a.async_wait(recording(rec, "timer on a"));
        on_b.async_wait(recording(rec, "timer on b"));
        later_on_b.async_wait(recording(rec, "later timer on b"));
        rec.record("a.run returned " + std::to_string(a.run()));
        rec.record("cancel on a's timer returned " + std::to_string(on_a.cancel()));
        rec.record("cancel later timer on b returned " + std::to_string(later_on_b.cancel()));
        rec.record("b.run returned " + std::to_string(b.run()));
      },
      expect_outcomes(
          ElementsAre("timer on a", at_least("a.run returned", 1), "cancel on a's timer returned 0",
                      "cancel later timer on b returned 1", "later timer on b [ECANCELED]",
                      "timer on b", at_least("b.run returned", 2))));
}

// poll() never waits for a pending timer, yet the timer is work: the context
// does not stop until its (cancelled) wait has completed.
TYPED_TEST_P(Timer, PollDoesNotWaitForAPendingTimer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1h);
        t.async_wait(recording(rec, "wait"));
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record("cancel returned " + std::to_string(t.cancel()));
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      expect_outcomes(ElementsAre(at_least("poll returned", 0), "not stopped", "cancel returned 1",
                                  "wait [ECANCELED]", at_least("poll returned", 1), "stopped")));
}

// run_one() runs one completion even when one reactor wake-up collected
// several expired timers; the others wait for the next run_one(). (On
// io_uring Asio's run_one may also return 1 after running only its own
// timeout operation: such calls are counted, not recorded.)
TYPED_TEST_P(Timer, RunOneRunsOneTimerCompletionAtATime) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto base = steady::now();
        typename B::steady_timer a(ctx, base + 2ms), b(ctx, base + 2ms), c(ctx, base + 3ms);
        int ours = 0, most = 0, without_ours = 0;
        for (auto [t, label] : {std::pair{&a, "a"}, {&b, "b"}, {&c, "c"}})
          t->async_wait([&rec, &ours, label](const typename B::error_code& ec) {
            rec.completion(label, ec);
            ++ours;
          });
        for (int call = 0; call < 1000; ++call) {
          const int before = ours;
          const std::size_t n = ctx.run_one();
          most = std::max(most, ours - before);
          if (n == 0) {
            rec.record("run_one returned 0");
            break;
          }
          if (ours == before)
            ++without_ours;
          else
            rec.record("run_one returned " + std::to_string(n));
        }
        rec.record("most of our handlers in one run_one: " + std::to_string(most));
        rec.record("run_one calls that ran none of ours: " + std::to_string(without_ours));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      expect_outcomes(ElementsAre("a", "run_one returned 1", "b", "run_one returned 1", "c",
                                  "run_one returned 1", "run_one returned 0",
                                  "most of our handlers in one run_one: 1",
                                  at_least("run_one calls that ran none of ours:", 0), "stopped")));
}

// run() with nothing but a pending timer blocks until it fires, then
// returns; the completion runs on the thread that called run().
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
      expect_outcomes(ElementsAre("run begins", "timer fired", "at or after its expiry: yes",
                                  at_least("run returned", 1), "stopped")));
}

// A run thread is blocked in the reactor with no timer at all; a timer armed
// from a foreign thread must reach it and complete on it (slot 1).
TYPED_TEST_P(Timer, TimerArmedFromForeignThreadWakesBlockedRunThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        B::start_reactor(ctx);
        typename B::steady_timer t(ctx);
        auto guard = make_work_guard(ctx);
        run_threads runners(ctx, 1, rec);
        record_blocked_in_reactor<B>(rec, runners);
        std::promise<void> fired;
        t.expires_after(1ms);
        t.async_wait([&](const typename B::error_code& ec) {
          rec.completion("timer fired", ec);
          fired.set_value();
        });
        if (!ready_in_time(fired.get_future())) rec.record("timer never fired");
        guard.reset();
        join_and_record_returned(rec, runners);
      },
      expect_outcomes(ElementsAre("runner 0 started @1", "runner blocked in reactor",
                                  "timer fired @1", "runners returned: 1")));
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
