// Signal scenarios around fork(): after notify_fork(fork_child) a forked
// child's signal sets hear the signals raised in the child, and those
// signals stay in the child — the parent's sets, which share the process's
// signal handling up to the fork, never hear them.
#pragma once

#include <unistd.h>

#include <csignal>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/signal/suite.hpp"

namespace conformance::signal {

// In a forked child, after notify_fork(fork_child): a wait on the inherited
// set, then the signal raised; then the signal raised once more, left for
// no one, as the child exits — were the child still writing into the
// parent's signal pipe, the parent would read it. Returns the child's exit
// status, 0 when the wait saw the signal.
template <typename B>
int wait_for_a_signal_after_fork(typename B::io_context& ctx, typename B::signal_set& set) {
  // A hung child dies instead of outliving the scenario.
  ::alarm(static_cast<unsigned>(wait_limit.count()));
  ctx.notify_fork(B::io_context::fork_child);
  int seen = 0;
  set.async_wait([&](const auto& ec, int signal_number) { seen = ec ? -1 : signal_number; });
  post(ctx, [] { std::raise(signal_a); });
  ctx.run();
  std::raise(signal_a);
  return seen == signal_a ? 0 : 1;
}

// The child hears its own signal; the parent, once the child is gone, has
// nothing counted (the sentinel finds its wait still pending), and hears
// the next signal raised in the parent.
TYPED_TEST_P(Signal, AForkedChildHearsItsOwnSignalsOnly) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::signal_set set(ctx, signal_a);
        typename B::signal_set sentinel_set(ctx, sentinel);
        ctx.notify_fork(B::io_context::fork_prepare);
        const pid_t pid = ::fork();
        if (pid == 0) ::_exit(wait_for_a_signal_after_fork<B>(ctx, set));
        ctx.notify_fork(B::io_context::fork_parent);
        if (pid < 0) return rec.record("fork failed");
        rec.record(wait_for_child(pid));
        set.async_wait(recording_signal(rec, "parent's wait"));
        raise_then_on_sentinel(ctx, sentinel_set, rec, {}, [&] {
          rec.record("raising in the parent");
          std::raise(signal_a);
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("child exited with status 0", "sentinel: WINCH",
                                  "raising in the parent", "parent's wait: USR1")));
}

}  // namespace conformance::signal
