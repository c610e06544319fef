// perf::counted_run — runs one benchmark body so that callgrind counts it
// alone, when the program was given --perf_callgrind (perf/src/main.cpp).
//
// scripts/perf --instructions (scripts/asio_twin/instructions.py) starts the
// program under `valgrind --tool=callgrind --instr-atstart=no`: nothing is
// counted until a client request turns instrumentation on. Around each body
// this turns it on, and after it dumps the counts (every thread's, summed)
// into a file of their own, described `scenario<backend> ops=N bytes=B`: the
// operations and bytes the body reported (items and bytes processed, warm-up
// excluded; tcp_stream counts bytes only). Set-up,
// the warm-up batch and teardown are in the count too: the script runs the
// program twice, with a fixed number of iterations and with twice as many
// (--perf_iterations), and divides the difference by the operations'.
//
// Without --perf_callgrind, or outside valgrind, it only runs the body.
#pragma once

#include <benchmark/benchmark.h>
#include <valgrind/callgrind.h>

#include <string>

namespace perf {

// True when each benchmark body is to be counted by callgrind on its own.
inline bool& callgrind_counts() {
  static bool on = false;
  return on;
}

// Runs `body(state)`; with callgrind_counts(), counted and dumped as above.
template <typename Body>
void counted_run(const std::string& name, Body&& body, benchmark::State& state) {
  if (!callgrind_counts()) return body(state);
  CALLGRIND_ZERO_STATS;
  CALLGRIND_START_INSTRUMENTATION;
  body(state);
  CALLGRIND_STOP_INSTRUMENTATION;
  const std::string description = name + " ops=" + std::to_string(state.items_processed()) +
                                  " bytes=" + std::to_string(state.bytes_processed());
  CALLGRIND_DUMP_STATS_AT(description.c_str());
}

}  // namespace perf
