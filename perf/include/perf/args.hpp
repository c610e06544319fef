// perf::args — the argument sets scenarios share, each one function applied
// with Benchmark::Apply, so sizes and thread counts are set in one place.
//
// Sizes are per iteration: a benchmark iteration does a whole batch, and
// items_per_second divides by the batch, so the batch can be large enough
// to swamp the loop's own overhead without changing what is reported.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>

namespace perf::args {

using benchmark_t = benchmark::internal::Benchmark;

// Every size below is divided by this: 10 when the program was given
// --perf_quick (quick runs and the smoke test, see perf/src/main.cpp), else
// 1. Sizes appear in the benchmark names, so a quick run's names say so.
inline std::int64_t& size_divisor() {
  static std::int64_t divisor = 1;
  return divisor;
}
inline std::int64_t sized(std::int64_t full) {
  return std::max<std::int64_t>(1, full / size_divisor());
}

// Handlers per batch in the queue scenarios.
inline std::int64_t batch_size() { return sized(100'000); }
// Hops per iteration in the chain scenarios (each handler posts the next).
inline std::int64_t chain_hops() { return sized(1'000'000); }

// n handlers, under each concurrency hint: 1 (one thread promised) and -1
// (the default: any number of threads).
inline void batch_by_hint(benchmark_t* b) {
  b->ArgNames({"n", "hint"});
  for (std::int64_t hint : {1, -1}) b->Args({batch_size(), hint});
}

// A chain of hops, under each concurrency hint.
inline void chain_by_hint(benchmark_t* b) {
  b->ArgNames({"hops", "hint"});
  for (std::int64_t hint : {1, -1}) b->Args({chain_hops(), hint});
}

// n handlers, default hint.
inline void batch(benchmark_t* b) { b->ArgName("n")->Arg(batch_size()); }

// n handlers shared among 1, 2 and 4 threads (producers or run threads).
inline void batch_by_threads(benchmark_t* b) {
  b->ArgNames({"n", "threads"});
  for (std::int64_t threads : {1, 2, 4}) b->Args({batch_size(), threads});
}

}  // namespace perf::args
