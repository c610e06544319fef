// Timer scenarios: cancellation and the timer object — what cancel,
// cancel_one, expires_at and expires_after return, which waits they abort
// (operation_aborted) and where the aborted completions are queued; a
// completion already queued by expiry is not aborted; a wait on
// time_point::max() lasts until cancelled; destroying a timer aborts its
// wait (and destroying the context then destroys that handler uninvoked),
// moving it keeps its wait; the synchronous wait() and expiry().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

TYPED_TEST_P(Timer, CancelAbortsEveryPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1h);
        for (int i = 0; i < 3; ++i) t.async_wait(recording(rec, "wait " + std::to_string(i)));
        rec.record("cancel returned " + std::to_string(t.cancel()));
        rec.record("cancel again returned " + std::to_string(t.cancel()));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("cancel returned 3", "cancel again returned 0",
                                  "wait 0 [ECANCELED]", "wait 1 [ECANCELED]", "wait 2 [ECANCELED]",
                                  at_least("run returned", 3))));
}

TYPED_TEST_P(Timer, CancelWithoutWaitsReturnsZero) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer fresh(ctx);
        rec.record("fresh timer: cancel returned " + std::to_string(fresh.cancel()));
        rec.record("fresh timer: cancel_one returned " + std::to_string(fresh.cancel_one()));
        typename B::steady_timer armed(ctx, 1h);
        rec.record("armed, no wait: cancel returned " + std::to_string(armed.cancel()));
        typename B::steady_timer fired(ctx, 1ms);
        fired.async_wait(recording(rec, "fired"));
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("after it fired: cancel returned " + std::to_string(fired.cancel()));
        rec.record("after it fired: cancel_one returned " + std::to_string(fired.cancel_one()));
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("fresh timer: cancel returned 0",
                                  "fresh timer: cancel_one returned 0",
                                  "armed, no wait: cancel returned 0", "fired",
                                  at_least("run returned", 1), "after it fired: cancel returned 0",
                                  "after it fired: cancel_one returned 0", "run returned 0")));
}

TYPED_TEST_P(Timer, CancelOneAbortsOnlyTheOldestWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 2ms);
        for (int i = 0; i < 3; ++i) t.async_wait(recording(rec, "wait " + std::to_string(i)));
        rec.record("cancel_one returned " + std::to_string(t.cancel_one()));
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("cancel_one with no wait returned " + std::to_string(t.cancel_one()));
      },
      expect_outcomes(ElementsAre("cancel_one returned 1", "wait 0 [ECANCELED]", "wait 1", "wait 2",
                                  at_least("run returned", 3),
                                  "cancel_one with no wait returned 0")));
}

// A cancelled wait's completion is queued at cancel() time, behind what was
// posted before and ahead of what is posted after.
TYPED_TEST_P(Timer, CancelledWaitIsQueuedAtCancelTime) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1h);
        post(ctx, [&] { rec.record("posted a"); });
        t.async_wait(recording(rec, "wait"));
        post(ctx, [&] { rec.record("posted b"); });
        t.cancel();
        post(ctx, [&] { rec.record("posted c"); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("posted a", "posted b", "wait [ECANCELED]", "posted c",
                                  at_least("run returned", 4))));
}

// Inside a handler, Asio hands a cancelled wait to the shared queue like a
// post (a defer waits in the thread's private queue, so it comes last);
// with concurrency hint 1 all three go to the private queue in program order.
TYPED_TEST_P(Timer, CancelInsideHandlerQueuesLikeAPost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for (const int hint : {0, 1}) {
          auto ctx = hint ? std::make_unique<typename B::io_context>(1)
                          : std::make_unique<typename B::io_context>();
          typename B::steady_timer t(*ctx, 1h);
          t.async_wait(recording(rec, "wait"));
          post(*ctx, [&] {
            rec.record(hint ? "hint 1: handler" : "default hint: handler");
            defer(*ctx, [&] { rec.record("deferred"); });
            t.cancel();
            post(*ctx, [&] { rec.record("posted"); });
          });
          ctx->run();
        }
      },
      expect_outcomes(ElementsAre("default hint: handler", "wait [ECANCELED]", "posted", "deferred",
                                  "hint 1: handler", "deferred", "wait [ECANCELED]", "posted")));
}

TYPED_TEST_P(Timer, ExpiresAfterOnPendingTimerAbortsItsWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1h);
        t.async_wait(recording(rec, "old wait 0"));
        t.async_wait(recording(rec, "old wait 1"));
        rec.record("expires_after returned " + std::to_string(t.expires_after(2ms)));
        t.async_wait(recording(rec, "new wait"));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("expires_after returned 2", "old wait 0 [ECANCELED]",
                                  "old wait 1 [ECANCELED]", "new wait",
                                  at_least("run returned", 3))));
}

TYPED_TEST_P(Timer, ExpiresAtOnPendingTimerAbortsItsWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1h);
        t.async_wait(recording(rec, "old wait"));
        rec.record("expires_at returned " + std::to_string(t.expires_at(steady::now() + 2ms)));
        t.async_wait(recording(rec, "new wait"));
        typename B::steady_timer idle(ctx, 1h);
        rec.record("expires_at without waits returned " +
                   std::to_string(idle.expires_at(steady::now() + 1ms)));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("expires_at returned 1", "expires_at without waits returned 0",
                                  "old wait [ECANCELED]", "new wait",
                                  at_least("run returned", 2))));
}

// Once a timer has expired its completion is queued: cancel() or re-arming
// from a handler that runs first finds nothing to cancel, and the queued
// completion still reports success.
TYPED_TEST_P(Timer, CancelAfterExpiryDoesNotAbortQueuedCompletion) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer first(ctx), second(ctx), third(ctx);
        const auto deadline = steady::now() + 2ms;
        for (auto* t : {&first, &second, &third}) t->expires_at(deadline);
        first.async_wait([&](const typename B::error_code& ec) {
          rec.completion("first", ec);
          rec.record("cancel second returned " + std::to_string(second.cancel()));
          rec.record("expires_after on third returned " + std::to_string(third.expires_after(1h)));
        });
        second.async_wait(recording(rec, "second"));
        third.async_wait(recording(rec, "third"));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("first", "cancel second returned 0",
                                  "expires_after on third returned 0", "second", "third",
                                  at_least("run returned", 3))));
}

// A wait on time_point::max() (or expires_after(duration::max())) never
// fires but keeps run() going until it is cancelled.
TYPED_TEST_P(Timer, TimerAtTimePointMaxWaitsUntilCancelled) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer forever(ctx, steady::time_point::max());
        typename B::steady_timer saturated(ctx);
        saturated.expires_after(steady::duration::max());
        typename B::steady_timer soon(ctx, 2ms);
        forever.async_wait(recording(rec, "forever"));
        saturated.async_wait(recording(rec, "saturated"));
        soon.async_wait([&](const typename B::error_code& ec) {
          rec.completion("soon", ec);
          rec.record("cancel forever returned " + std::to_string(forever.cancel()));
          rec.record("cancel saturated returned " + std::to_string(saturated.cancel()));
        });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("soon", "cancel forever returned 1",
                                  "cancel saturated returned 1", "forever [ECANCELED]",
                                  "saturated [ECANCELED]", at_least("run returned", 3))));
}

TYPED_TEST_P(Timer, DestroyingTimerAbortsItsPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        {
          typename B::steady_timer t(ctx, 1h);
          t.async_wait(recording(rec, "wait"));
        }
        rec.record("timer destroyed");
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(
          ElementsAre("timer destroyed", "wait [ECANCELED]", at_least("run returned", 1))));
}

// The wait aborted by the timer's destructor is queued; destroying the
// io_context then destroys that handler without invoking it.
TYPED_TEST_P(Timer, DestroyingContextDestroysAbortedWaitWithoutInvoking) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        {
          typename B::io_context ctx;
          {
            typename B::steady_timer t(ctx, 1h);
            t.async_wait([&rec, w = destruction_witness(rec, "wait")](
                             const typename B::error_code& ec) { rec.completion("wait", ec); });
          }
          rec.record("timer destroyed");
        }
        rec.record("io_context destroyed");
      },
      expect_outcomes(ElementsAre("timer destroyed", "destroyed wait", "io_context destroyed")));
}

TYPED_TEST_P(Timer, MovedTimerKeepsItsPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto expiry = steady::now() + 1h;
        typename B::steady_timer from(ctx, expiry);
        from.async_wait(recording(rec, "wait"));
        typename B::steady_timer to(std::move(from));
        rec.record("moved-to expiry kept: " + yes_no(to.expiry() == expiry));
        rec.record("moved-to cancel returned " + std::to_string(to.cancel()));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("moved-to expiry kept: yes", "moved-to cancel returned 1",
                                  "wait [ECANCELED]", at_least("run returned", 1))));
}

TYPED_TEST_P(Timer, SynchronousWaitReturnsAfterExpiry) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 3ms);
        t.wait();
        rec.record("wait() returned at or after expiry: " + yes_no(steady::now() >= t.expiry()));
        typename B::error_code ec;
        t.expires_after(2ms);
        t.wait(ec);
        rec.completion(
            "wait(ec) returned at or after expiry: " + yes_no(steady::now() >= t.expiry()), ec);
        t.expires_at(steady::now() - 1h);
        t.wait();
        rec.record("wait() on an expired timer returned");
        // A synchronous wait is not work for the io_context.
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(ElementsAre("wait() returned at or after expiry: yes",
                                  "wait(ec) returned at or after expiry: yes",
                                  "wait() on an expired timer returned", "run returned 0")));
}

// Asio: a default-constructed timer's expiry is the clock's epoch, and
// expires_after(duration::max()) saturates to time_point::max().
TYPED_TEST_P(Timer, ExpiryReportsWhatWasSet) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        rec.record("default expiry is the epoch: " + yes_no(t.expiry() == steady::time_point{}));
        rec.record("executor is the context's: " + yes_no(t.get_executor() == ctx.get_executor()));
        const auto at = steady::now() + 1234ms;
        t.expires_at(at);
        rec.record("expires_at: " + yes_no(t.expiry() == at));
        const auto before = steady::now();
        t.expires_after(5s);
        const auto after = steady::now();
        rec.record("expires_after: " +
                   yes_no(t.expiry() >= before + 5s && t.expiry() <= after + 5s));
        t.expires_after(steady::duration::max());
        rec.record("expires_after(max) saturates: " +
                   yes_no(t.expiry() == steady::time_point::max()));
        typename B::steady_timer at_ctor(ctx, at);
        rec.record("time_point constructor: " + yes_no(at_ctor.expiry() == at));
        const auto before_ctor = steady::now();
        typename B::steady_timer after_ctor(ctx, 5s);
        const auto after_ctor_done = steady::now();
        rec.record("duration constructor: " + yes_no(after_ctor.expiry() >= before_ctor + 5s &&
                                                     after_ctor.expiry() <= after_ctor_done + 5s));
      },
      expect_outcomes(ElementsAre("default expiry is the epoch: yes",
                                  "executor is the context's: yes", "expires_at: yes",
                                  "expires_after: yes", "expires_after(max) saturates: yes",
                                  "time_point constructor: yes", "duration constructor: yes")));
}

}  // namespace conformance::timer
