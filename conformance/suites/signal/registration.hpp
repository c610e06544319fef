// Signal scenarios: what a set holds — add() of a signal already there is
// harmless, out-of-range numbers and signals that cannot be caught are
// refused; remove() forgets what was counted; a set with no signals waits
// until cancelled; the last set to let go of a signal restores its default
// action (not the one before).
#pragma once

#include <csignal>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/signal/suite.hpp"

namespace conformance::signal {

// add() and remove() of a number out of range are invalid_argument; add()
// of SIGKILL or SIGSTOP is sigaction's refusal; remove() of a signal the
// set does not hold and a second add() of one it does succeed — and the
// signal, added twice, still completes a wait once.
TYPED_TEST_P(Signal, AddAndRemoveReportTheirErrors) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx);
        auto attempt = [&](const std::string& label, auto call) {
          typename B::error_code ec;
          call(ec);
          rec.record(label, error_name(ec));
        };
        attempt("add -1", [&](auto& ec) { set.add(-1, ec); });
        attempt("add NSIG", [&](auto& ec) { set.add(NSIG, ec); });
        attempt("add KILL", [&](auto& ec) { set.add(SIGKILL, ec); });
        attempt("add STOP", [&](auto& ec) { set.add(SIGSTOP, ec); });
        attempt("remove -1", [&](auto& ec) { set.remove(-1, ec); });
        attempt("remove a signal not held", [&](auto& ec) { set.remove(signal_b, ec); });
        attempt("add USR1", [&](auto& ec) { set.add(signal_a, ec); });
        attempt("add USR1 again", [&](auto& ec) { set.add(signal_a, ec); });
        typename B::signal_set sentinel_set(ctx, sentinel);
        set.async_wait(recording_signal(rec, "wait 1"));
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a}, [&] {
          // Were USR1 held twice, a second count would complete this wait.
          set.async_wait(recording_signal(rec, "wait 2"));
          post(ctx, [&] { set.cancel(); });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("add -1 [EINVAL]", "add NSIG [EINVAL]", "add KILL [EINVAL]",
                                  "add STOP [EINVAL]", "remove -1 [EINVAL]",
                                  "remove a signal not held", "add USR1", "add USR1 again",
                                  "wait 1: USR1", "sentinel: WINCH", "wait 2: none [ECANCELED]")));
}

// remove() forgets what the set had kept of that signal: of two kept
// signals, the next wait takes the one still held, and a second wait
// finds nothing kept (cancel() ends it).
TYPED_TEST_P(Signal, RemoveForgetsKeptSignals) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a, signal_b);
        typename B::signal_set sentinel_set(ctx, sentinel);
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a, signal_b}, [&] {
          set.remove(signal_a);
          set.async_wait(recording_signal(rec, "wait after remove"));
          set.async_wait(recording_signal(rec, "second wait after remove"));
          post(ctx, [&] {
            rec.record("cancelling");
            set.cancel();
          });
        });
        ctx.run();
      },
      // The first wait takes USR2 (still held, kept); USR1's count is gone.
      expect_outcomes(ElementsAre("sentinel: WINCH", "wait after remove: USR2", "cancelling",
                                  "second wait after remove: none [ECANCELED]")));
}

// clear() forgets every signal of the set and what it kept.
TYPED_TEST_P(Signal, ClearForgetsEverySignal) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a, signal_b);
        typename B::signal_set sentinel_set(ctx, sentinel);
        raise_then_on_sentinel(ctx, sentinel_set, rec, {signal_a, signal_b}, [&] {
          set.clear();
          set.async_wait(recording_signal(rec, "wait after clear"));
          post(ctx, [&] {
            rec.record("cancelling");
            set.cancel();
          });
        });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("sentinel: WINCH", "cancelling", "wait after clear: none [ECANCELED]")));
}

// While a set holds a signal, the signal's disposition is the backend's
// handler; when the last set lets go, it is the default action — not the
// disposition it replaced (here: ignore).
TYPED_TEST_P(Signal, LastSetToLetGoRestoresTheDefaultAction) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        auto disposition = [] {
          struct sigaction action {};
          ::sigaction(signal_b, nullptr, &action);
          if (action.sa_handler == SIG_DFL) return std::string("default");
          if (action.sa_handler == SIG_IGN) return std::string("ignore");
          return std::string("a handler");
        };
        std::signal(signal_b, SIG_IGN);
        rec.record("before: " + disposition());
        typename B::io_context ctx;
        {
          typename B::signal_set first(ctx, signal_b);
          typename B::signal_set second(ctx, signal_b);
          rec.record("two sets hold it: " + disposition());
          first.remove(signal_b);
          rec.record("one set holds it: " + disposition());
        }
        rec.record("no set holds it: " + disposition());
        std::signal(signal_b, SIG_DFL);
      },
      expect_outcomes(ElementsAre("before: ignore", "two sets hold it: a handler",
                                  "one set holds it: a handler", "no set holds it: default")));
}

}  // namespace conformance::signal
