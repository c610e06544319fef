// Conformance category Timer: timers on the io_context — in what order
// completions run, what cancel/cancel_one/expires_at/expires_after return
// and how the waits they abort complete, the timer object's life, timers in
// the run loop, timers with threads and strands, and timers on the system,
// high-resolution and a user's clock beside steady ones. The scenarios are in
// the headers beside this one; suites/timer.hpp registers them.
//
// No scenario measures time. Timers are ordered by deadlines that are
// distinct by at least 1 ms, or identical by construction, and each trace
// records per-completion labels whose order those deadlines fix, never how
// many completions one reactor wake-up happened to collect.
#pragma once

#include <chrono>

#include "conformance/backend_test.hpp"

namespace conformance::timer {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using sys = std::chrono::system_clock;
using hires = std::chrono::high_resolution_clock;

template <typename Backend>
class Timer : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Timer);

}  // namespace conformance::timer
