// Timer scenarios: the timer object itself — destroying it aborts its wait
// (and destroying the context then destroys that handler uninvoked), moving
// it keeps its wait, the synchronous wait() returns after expiry, and
// expiry() reports what was set.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

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
