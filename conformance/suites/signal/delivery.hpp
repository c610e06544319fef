// Signal scenarios: how an arriving signal reaches the waits — every
// pending wait of the set at once; a signal with no wait pending kept and
// counted for the next waits, the lowest number first; every set holding
// it, on one context or two; cancel() and the set's destruction abort the
// waits.
#pragma once

#include <csignal>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/signal/suite.hpp"

namespace conformance::signal {

// One signal completes every wait pending on the set, in the order they
// were started, each with the signal's number.
TYPED_TEST_P(Signal, OneSignalCompletesEveryPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        set.async_wait(recording_signal(rec, "wait 1"));
        set.async_wait(recording_signal(rec, "wait 2"));
        post(ctx, [] { std::raise(signal_a); });
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("wait 1: USR1", "wait 2: USR1", "run returned")));
}

// Signals that arrive while no wait is pending are kept, one count each,
// and each later wait takes one at once — the lowest signal number first,
// whatever order they arrived in.
TYPED_TEST_P(Signal, KeptSignalsGoToLaterWaitsLowestNumberFirst) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a, signal_b);
        typename B::signal_set sentinel_set(ctx, sentinel);
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_b, signal_a, signal_b}, [&] {
          for (int i = 1; i <= 3; ++i)
            set.async_wait(recording_signal(rec, "later wait " + std::to_string(i)));
        });
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("sentinel: WINCH", "later wait 1: USR1", "later wait 2: USR2",
                                  "later wait 3: USR2", "run returned")));
}

// Two sets holding the same signal both see it: the set that added it
// last completes first. (Asio's order, which its documentation leaves
// open: its registrations are kept newest first.)
TYPED_TEST_P(Signal, EverySetHoldingTheSignalSeesIt) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set older(ctx, signal_a);
        typename B::signal_set newer(ctx);
        newer.add(signal_a);
        older.async_wait(recording_signal(rec, "older set"));
        newer.async_wait(recording_signal(rec, "newer set"));
        post(ctx, [] { std::raise(signal_a); });
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("newer set: USR1", "older set: USR1", "run returned")));
}

// A signal reaches the sets of every io_context in the process, whichever
// context reads it: the second context's wait completes when it runs.
TYPED_TEST_P(Signal, ASignalReachesSetsOnEveryContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context first, second;
        typename B::signal_set on_first(first, signal_a);
        typename B::signal_set on_second(second, signal_a);
        on_first.async_wait(recording_signal(rec, "first context's set"));
        on_second.async_wait(recording_signal(rec, "second context's set"));
        post(first, [] { std::raise(signal_a); });
        first.run();
        rec.record("first context ran");
        second.run();
        rec.record("second context ran");
      },
      expect_outcomes(ElementsAre("first context's set: USR1", "first context ran",
                                  "second context's set: USR1", "second context ran")));
}

// cancel() completes the pending waits with operation_aborted and no
// signal, and keeps the signals counted: the next wait takes one at once.
TYPED_TEST_P(Signal, CancelAbortsWaitsAndKeepsCountedSignals) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        typename B::signal_set sentinel_set(ctx, sentinel);
        set.async_wait(recording_signal(rec, "wait before cancel"));
        set.cancel();
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a}, [&] {
          set.cancel();  // nothing pending: the kept signal stays
          set.async_wait(recording_signal(rec, "wait after cancel"));
        });
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("wait before cancel: none [ECANCELED]", "sentinel: WINCH",
                                  "wait after cancel: USR1", "run returned")));
}

// Destroying a set completes its pending waits with operation_aborted.
TYPED_TEST_P(Signal, DestroyingTheSetAbortsItsWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        {
          typename B::signal_set set(ctx, signal_a);
          set.async_wait(recording_signal(rec, "wait"));
          rec.record("destroying the set");
        }
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("destroying the set", "wait: none [ECANCELED]", "run returned")));
}

}  // namespace conformance::signal
