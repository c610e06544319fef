// Conformance category Signal: Asio's signal_set — a signal of the set
// completes every pending wait with its number; one that arrives with no
// wait pending is kept and counted, and the next wait takes it at once
// (the lowest signal number first); cancel() aborts the waits and keeps
// what was counted; remove() forgets it; two sets, even on two contexts,
// both see a signal; add() refuses numbers out of range and signals that
// cannot be caught; the last set to let go of a signal restores its
// default action. The scenarios are in the headers beside this one;
// suites/signal.hpp registers them.
//
// Signals are raised with std::raise from the scenario's own thread (the
// process's handler runs before raise returns) and only while a set holds
// them. When the reactor reads them is the backend's business, so a
// scenario that needs a signal kept raises a "sentinel" signal of another
// set last: the sentinel's handler runs only after the reactor has read
// every signal raised before it. Every trace is then fixed, so twin's must
// equal Asio's event for event.
#pragma once

#include <csignal>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/error_name.hpp"
#include "conformance/trace.hpp"

namespace conformance::signal {

template <typename Backend>
class Signal : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Signal);

// The signal a scenario raises to have its sets' waits complete.
inline constexpr int signal_a = SIGUSR1;
// A second one, of a higher number.
inline constexpr int signal_b = SIGUSR2;
// The sentinel (see above): ignored by default, harmless if it strays.
inline constexpr int sentinel = SIGWINCH;

// "USR1", "USR2", "WINCH"; "none" for 0 (a wait that saw no signal).
inline std::string signal_name(int signal_number) {
  if (signal_number == 0) return "none";
  const char* name = ::sigabbrev_np(signal_number);
  return name ? name : std::to_string(signal_number);
}

// A wait handler recording "<label>: <signal>" with its error.
inline auto recording_signal(recorder& rec, std::string label) {
  return [&rec, label = std::move(label)](const auto& ec, int signal_number) {
    rec.record(label + ": " + signal_name(signal_number), error_name(ec));
  };
}

// From a handler of `ctx`, raises `signals` in order, then the sentinel,
// which `sentinel_set` (holding it) waits for: its handler records
// "sentinel: WINCH" and calls then() — after the reactor has read every
// signal raised before the sentinel, so those a set had no wait for are
// kept and counted by then.
template <typename Context, typename SignalSet, typename Then>
void raise_then_on_sentinel(Context& ctx, SignalSet& sentinel_set, recorder& rec,
                            std::vector<int> signals, Then then) {
  sentinel_set.async_wait([&rec, then = std::move(then)](const auto& ec, int signal_number) {
    recording_signal(rec, "sentinel")(ec, signal_number);
    then();
  });
  post(ctx, [signals = std::move(signals)] {
    for (int signal_number : signals) std::raise(signal_number);
    std::raise(sentinel);
  });
}

}  // namespace conformance::signal
