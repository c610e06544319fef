// Signal scenarios: waits over a set's life — a signal raised before run()
// reaches the wait; clear() and remove() leave a pending wait pending; a
// wait started after cancel() takes the next signal; a signal counted
// several times completes as many later waits; each of two sets holding a
// signal keeps its own count; one set's end leaves the other holding it;
// a stopped context keeps the wait for its next run.
#pragma once

#include <csignal>
#include <functional>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/signal/suite.hpp"

namespace conformance::signal {

// The signal arrives before the context runs: its handler has written it
// down, and the pending wait takes it once run() reads it.
TYPED_TEST_P(Signal, ASignalRaisedBeforeRunReachesThePendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        set.async_wait(recording_signal(rec, "wait"));
        std::raise(signal_a);
        rec.record("raised before run");
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("raised before run", "wait: USR1", "run returned")));
}

// clear() and remove() change what the set holds, not its waits: a wait
// pending through either completes only when cancelled.
TYPED_TEST_P(Signal, ClearAndRemoveLeaveAPendingWaitPending) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set cleared(ctx, signal_a);
        typename B::signal_set removed(ctx, signal_b);
        cleared.async_wait(recording_signal(rec, "wait on the cleared set"));
        removed.async_wait(recording_signal(rec, "wait on the set removed from"));
        post(ctx, [&] {
          cleared.clear();
          removed.remove(signal_b);
          rec.record("cleared and removed");
          post(ctx, [&] {
            rec.record("cancelling");
            cleared.cancel();
            removed.cancel();
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("cleared and removed", "cancelling",
                                  "wait on the cleared set: none [ECANCELED]",
                                  "wait on the set removed from: none [ECANCELED]")));
}

// cancel() ends the waits pending, not the set: a wait started afterwards
// (from the aborted wait's handler) takes the next signal.
TYPED_TEST_P(Signal, AWaitAfterCancelTakesTheNextSignal) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        set.async_wait([&](const auto& ec, int signal_number) {
          recording_signal(rec, "first wait")(ec, signal_number);
          set.async_wait(recording_signal(rec, "second wait"));
          post(ctx, [] { std::raise(signal_a); });
        });
        post(ctx, [&] { set.cancel(); });
        ctx.run();
      },
      expect_outcomes(ElementsAre("first wait: none [ECANCELED]", "second wait: USR1")));
}

// A signal raised three times with no wait pending is counted three times:
// three later waits complete at once, the fourth waits (until cancelled).
TYPED_TEST_P(Signal, ASignalCountedThreeTimesCompletesThreeWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        typename B::signal_set sentinel_set(ctx, sentinel);
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a, signal_a, signal_a}, [&] {
          for (int i = 1; i <= 4; ++i)
            set.async_wait(recording_signal(rec, "wait " + std::to_string(i)));
          post(ctx, [&] {
            rec.record("cancelling");
            set.cancel();
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("sentinel: WINCH", "wait 1: USR1", "wait 2: USR1", "wait 3: USR1",
                                  "cancelling", "wait 4: none [ECANCELED]")));
}

// Two sets hold a signal that arrives with no wait pending: each keeps a
// count of its own, and a later wait on each takes it.
TYPED_TEST_P(Signal, EachSetHoldingAKeptSignalCountsItOnce) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set first(ctx, signal_a);
        typename B::signal_set second(ctx, signal_a);
        typename B::signal_set sentinel_set(ctx, sentinel);
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a}, [&] {
          first.async_wait(recording_signal(rec, "first set"));
          second.async_wait(recording_signal(rec, "second set"));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("sentinel: WINCH", "first set: USR1", "second set: USR1")));
}

// When one of two sets holding a signal is destroyed, the other still
// holds it: the signal reaches its wait (and the process keeps the
// backend's handler, not the default action, which would end it).
TYPED_TEST_P(Signal, OneSetsEndLeavesTheOtherHoldingTheSignal) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set staying(ctx, signal_a);
        { typename B::signal_set leaving(ctx, signal_a); }
        staying.async_wait(recording_signal(rec, "staying set"));
        post(ctx, [] { std::raise(signal_a); });
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("staying set: USR1", "run returned")));
}

// One signal completes every pending wait; a second signal, of another
// number, raised in the same handler, is kept for the next wait.
TYPED_TEST_P(Signal, ASecondSignalAfterEveryWaitCompletedIsKept) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a, signal_b);
        typename B::signal_set sentinel_set(ctx, sentinel);
        set.async_wait(recording_signal(rec, "wait 1"));
        set.async_wait(recording_signal(rec, "wait 2"));
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a, signal_b},
                               [&] { set.async_wait(recording_signal(rec, "wait 3")); });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("wait 1: USR1", "wait 2: USR1", "sentinel: WINCH", "wait 3: USR2")));
}

// stop() with a wait pending: run() returns and the wait stays pending,
// neither run nor aborted; after restart(), the next run delivers the
// signal to it.
TYPED_TEST_P(Signal, AStoppedContextKeepsTheWaitForItsNextRun) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        set.async_wait(recording_signal(rec, "wait"));
        post(ctx, [&] { ctx.stop(); });
        ctx.run();
        rec.record("run returned, stopped");
        ctx.restart();
        post(ctx, [] { std::raise(signal_a); });
        ctx.run();
        rec.record("second run returned");
      },
      expect_outcomes(ElementsAre("run returned, stopped", "wait: USR1", "second run returned")));
}

// A set made with three signals holds them all: kept ones go to the waits
// lowest number first (USR1 10, USR2 12, URG 23), whatever order they
// arrived in.
TYPED_TEST_P(Signal, ASetMadeWithThreeSignalsHoldsThemAll) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a, signal_b, SIGURG);
        typename B::signal_set sentinel_set(ctx, sentinel);
        raise_then_on_sentinel(ctx, sentinel_set, rec, {SIGURG, signal_b, signal_a}, [&] {
          for (int i = 1; i <= 3; ++i)
            set.async_wait(recording_signal(rec, "wait " + std::to_string(i)));
        });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("sentinel: WINCH", "wait 1: USR1", "wait 2: USR2", "wait 3: URG")));
}

// A handler that waits again gets the next signal, and each signal one
// handler: raised one after another from the handlers, three signals make
// a chain of three completions.
TYPED_TEST_P(Signal, AHandlerThatWaitsAgainGetsTheNextSignal) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        int left = 3;
        std::function<void(const typename B::error_code&, int)> on_signal =
            [&](const typename B::error_code& ec, int signal_number) {
              recording_signal(rec, "wait " + std::to_string(4 - left))(ec, signal_number);
              if (--left > 0) {
                set.async_wait(on_signal);
                post(ctx, [] { std::raise(signal_a); });
              }
            };
        set.async_wait(on_signal);
        post(ctx, [] { std::raise(signal_a); });
        ctx.run();
      },
      expect_outcomes(ElementsAre("wait 1: USR1", "wait 2: USR1", "wait 3: USR1")));
}

}  // namespace conformance::signal
