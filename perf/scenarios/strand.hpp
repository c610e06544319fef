// Strand scenarios: what serialising handlers through a strand
// (make_strand(ctx), a strand<io_context::executor_type>) costs, alone and
// with run threads competing for it.
//
// items_per_second counts strand handlers; allocs_per_op the heap
// allocations per handler in the timed iterations, after one untimed
// warm-up batch. Each scenario checks that exactly the handlers it queued
// ran.
//
//   strand_post   n handlers posted to one strand from outside run(), then
//                 one run() on the same thread drains them. CPU time.
//   strand_chain  `strands` strands, each running a chain of handlers (each
//                 posts the next to its own strand), n hops in all per
//                 iteration, on `threads` run threads: 1 strand on 1, 2 and
//                 4 threads (the strand's invoker moves between threads but
//                 only one handler can run), 64 strands on 2 threads (work
//                 for both). Real time of the whole iteration: seeding the
//                 chains, the run threads waking, running and returning.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "perf/args.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"
#include "perf/threads.hpp"

namespace perf::strand {

struct strand_post {
  static constexpr std::string_view name = "strand_post";
  static void configure(args::benchmark_t* b) { args::batch(b); }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    typename Backend::io_context ctx;
    auto strand = make_strand(ctx);
    run_post_batches(state, ctx, strand, n);
  }
};

// One strand and the chain running on it. `ran` and `end` need no lock:
// the strand orders the handlers, and the round's start and end order them
// with the benchmark thread.
template <typename Strand>
struct lane {
  Strand strand;
  std::uint64_t ran = 0;
  std::uint64_t end = 0;
};

// One hop of a chain: counts itself and posts the next to its strand.
template <typename Strand>
struct lane_hop {
  lane<Strand>* on;
  void operator()() const {
    if (++on->ran != on->end) post(on->strand, *this);
  }
};

struct strand_chain {
  static constexpr std::string_view name = "strand_chain";
  static void configure(args::benchmark_t* b) {
    b->ArgNames({"n", "strands", "threads"});
    const std::int64_t n = args::batch_size();
    b->Args({n, 1, 1})->Args({n, 1, 2})->Args({n, 1, 4})->Args({n, 64, 2});
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    typename Backend::io_context ctx;
    using strand_type = decltype(make_strand(ctx));
    std::vector<lane<strand_type>> lanes;
    const auto strands = static_cast<std::size_t>(state.range(1));
    for (std::size_t i = 0; i < strands; ++i) lanes.push_back({make_strand(ctx)});
    const std::uint64_t per_lane = static_cast<std::uint64_t>(state.range(0)) / strands;
    thread_team team(static_cast<std::size_t>(state.range(2)), [&](std::size_t) { ctx.run(); });

    const alloc_meter allocs = run_batches(state, [&] {
      for (auto& l : lanes) {
        l.end = l.ran + per_lane;
        post(l.strand, lane_hop<strand_type>{&l});
      }
      team.run_round();
      ctx.restart();
    });
    std::uint64_t ran = 0;
    for (const auto& l : lanes) ran += l.ran;
    const std::uint64_t per_batch = per_lane * strands;
    expect_and_report(state, "strand handlers run", ran, per_batch, allocs);
  }
};

using scenarios = scenario_list<strand_post, strand_chain>;

}  // namespace perf::strand
