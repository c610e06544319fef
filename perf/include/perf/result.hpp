// perf::run_batches, perf::report, perf::expect, perf::expect_and_report —
// how a benchmark runs its batches (run_post_batches: the plain post batch)
// and reports: the operations it did (items_per_second) and the heap
// allocations per operation (allocs_per_op), or why it failed its own check.
//
// A failure goes to Google Benchmark (State::SkipWithError: the run shows
// "error_occurred" in the JSON) and is counted, so the program exits with
// status 1 (perf/src/main.cpp). Call these on the benchmark's own thread.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "perf/alloc_counter.hpp"
#include "perf/registry.hpp"

namespace perf {

inline std::atomic<int>& failure_count() {
  static std::atomic<int> count{0};
  return count;
}

// Marks the running benchmark failed with `why`.
inline void fail(benchmark::State& state, const std::string& why) {
  ++failure_count();
  state.SkipWithError(why.c_str());
}

// Fails unless `got == want`; true when they are equal.
inline bool expect(benchmark::State& state, std::string_view what, std::uint64_t got,
                   std::uint64_t want) {
  if (got == want) return true;
  fail(state,
       std::string(what) + ": " + std::to_string(got) + ", expected " + std::to_string(want));
  return false;
}

// Sets items_per_second from `ops` and allocs_per_op from what `allocs`
// counted over the same operations.
inline void report(benchmark::State& state, std::uint64_t ops, const alloc_meter& allocs) {
  if (ops == 0) return;
  state.SetItemsProcessed(static_cast<std::int64_t>(ops));
  state.counters["allocs_per_op"] = static_cast<double>(allocs.count()) / static_cast<double>(ops);
}

// The usual ending of a benchmark made of run_batches: `got` must count
// `per_batch` for every batch run (the untimed one and each iteration);
// then per_batch operations per iteration are reported.
inline void expect_and_report(benchmark::State& state, std::string_view what, std::uint64_t got,
                              std::uint64_t per_batch, const alloc_meter& allocs) {
  const auto iterations = static_cast<std::uint64_t>(state.iterations());
  if (expect(state, what, got, per_batch * (iterations + 1)))
    report(state, per_batch * iterations, allocs);
}

// Runs `batch` once untimed — warming the handler-memory caches, so that
// allocs_per_op is the steady state — then once per iteration; returns the
// allocations the timed iterations made.
template <typename Batch>
alloc_meter run_batches(benchmark::State& state, Batch&& batch) {
  batch();
  alloc_meter allocs;
  allocs.start();
  for (auto _ : state) batch();
  allocs.stop();
  return allocs;
}

// run_batches for the common case: each batch calls `start` (which queues
// the work), runs `ctx` until it is out of work, and restarts it.
template <typename Context, typename Start>
alloc_meter run_context_batches(benchmark::State& state, Context& ctx, Start&& start) {
  return run_batches(state, [&] {
    start();
    ctx.run();
    ctx.restart();
  });
}

// The batch of post_throughput and strand_post: `n` counting handlers
// posted to `target` (`ctx` or a strand on it) per batch, checked and
// reported as "handlers run".
template <typename Context, typename Target>
void run_post_batches(benchmark::State& state, Context& ctx, Target& target, std::uint64_t n) {
  std::uint64_t ran = 0;
  const alloc_meter allocs = run_context_batches(state, ctx, [&] {
    for (std::uint64_t i = 0; i < n; ++i) post(target, [&ran] { ++ran; });
  });
  expect_and_report(state, "handlers run", ran, n, allocs);
}

// Ends the program when a benchmark hangs (a lost wake-up would otherwise
// block a run forever): names it and exits with status 3.
[[noreturn]] inline void hung(std::string_view what) {
  std::fprintf(stderr, "perf: %s: %.*s did not happen within 60 s (hang?)\n",
               current_benchmark().c_str(), static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::_Exit(3);
}

}  // namespace perf
