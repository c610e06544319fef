// Conformance category Stress: the scheduler, strands, timers and sockets
// driven hard from foreign threads, judged on properties only — every
// handler runs exactly once (or, when the context is destroyed, is destroyed
// without running), nothing is lost, nothing overlaps that must not. The
// scenarios are in the headers beside this one; suites/stress.hpp registers
// them.
//
// Every scenario is bounded in count (fixed sizes, a tenth under a
// sanitizer) and in time: every wait for a handler gives up after
// wait_limit, recording the loss, so a lost wake-up fails the scenario
// instead of hanging it, and the watchdog ends anything else. Memory: once a
// scenario's context and threads are gone, malloc's bytes in use must be
// back where they started; where a scenario runs long enough for caches to
// fill, memory sampled over time must also stay flat (stress_support.hpp).
// What each scenario drove is a test property ("stressed.<what>").
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>

#include "conformance/backend_test.hpp"
#include "conformance/stress_support.hpp"
#include "conformance/trace.hpp"

namespace conformance::stress {

template <typename Backend>
class Stress : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Stress);

// Records whether memory stayed flat ("<prefix>memory flat: yes"); the
// samples go to the test's properties ("<prefix>memory_mib": resident/heap
// MiB at each checkpoint).
inline void record_memory(recorder& rec, const memory_watch& memory,
                          const std::string& prefix = "") {
  ::testing::Test::RecordProperty(prefix + "memory_mib", memory.mebibytes());
  rec.record(prefix + "memory flat: " + yes_no(memory.flat()));
}

// Records whether the heap came back to `baseline` once everything was
// torn down ("heap returned: yes"); the growth goes to the properties.
inline void record_heap_returned(recorder& rec, const heap_baseline& baseline) {
  ::testing::Test::RecordProperty("heap_growth_kib", std::to_string(baseline.growth_kib()));
  rec.record("heap returned: " + yes_no(baseline.returned()));
}

// Attaches how many operations of a kind a scenario drove to the test
// ("stressed.<what>"), for the figures of a run.
inline void count_stressed(const std::string& what, std::size_t n) {
  ::testing::Test::RecordProperty("stressed." + what, std::to_string(n));
}

// Posts handler number `i` of a producer: the odd ones through `strand`,
// the even ones straight to `ctx`, so that plain and strand handlers mix.
template <typename IoContext, typename Strand, typename Handler>
void post_mixed(IoContext& ctx, Strand& strand, std::size_t i, Handler handler) {
  if (i % 2)
    post(strand, std::move(handler));
  else
    post(ctx, std::move(handler));
}

}  // namespace conformance::stress
