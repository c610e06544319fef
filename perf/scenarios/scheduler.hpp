// Scheduler scenarios: what queuing and running plain handlers costs —
// post, dispatch, posts from foreign threads, several run threads.
//
// Each scenario is one body over the backend (traits from reference/, or
// perf::raw: the mutex-and-deque loop of raw_loop.hpp where it applies).
// An iteration is a whole batch; items_per_second counts handlers (or
// hops), allocs_per_op the heap allocations per handler in the timed
// iterations, after one untimed warm-up batch. Every scenario checks that
// exactly the handlers it queued ran, and fails (perf::expect) otherwise.
// Sizes below are a full run's; --perf_quick divides them by 10 (args.hpp).
//
//   post_throughput   n handlers posted from outside run(), then one run()
//                     drains them; hint 1 and -1. CPU time of that thread.
//   post_chain        each handler posts the next: 1M hops in one run();
//                     hint 1 and -1. CPU time.
//   dispatch_inline   a handler dispatches n handlers, each run inline (the
//                     scenario checks they ran before it returned). CPU time.
//   foreign_post      1, 2 or 4 producer threads post n handlers (together)
//                     into a context one thread runs under a work guard.
//                     Real time from releasing the producers to the last
//                     handler having run.
//   multi_thread_run  n handlers queued, then 1, 2 or 4 threads run() until
//                     the queue is drained. Manual time: only the drain
//                     (wall clock, from releasing the threads until every
//                     run() returned), not the queuing before it.
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <thread>

#include "perf/args.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"
#include "perf/threads.hpp"

namespace perf::scheduler {

struct post_throughput {
  static constexpr std::string_view name = "post_throughput";
  static constexpr bool raw_loop_baseline = true;
  static void configure(args::benchmark_t* b) { args::batch_by_hint(b); }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    typename Backend::io_context ctx(static_cast<int>(state.range(1)));
    run_post_batches(state, ctx, ctx, n);
  }
};

// One hop of post_chain: counts itself and posts the next until `end`.
template <typename Context>
struct chain_link {
  Context* ctx;
  std::uint64_t* ran;
  std::uint64_t end;
  void operator()() const {
    if (++*ran != end) post(*ctx, *this);
  }
};

struct post_chain {
  static constexpr std::string_view name = "post_chain";
  static constexpr bool raw_loop_baseline = true;
  static void configure(args::benchmark_t* b) { args::chain_by_hint(b); }

  template <typename Backend>
  static void run(benchmark::State& state) {
    using context = typename Backend::io_context;
    const auto hops = static_cast<std::uint64_t>(state.range(0));
    context ctx(static_cast<int>(state.range(1)));
    std::uint64_t ran = 0;
    const alloc_meter allocs = run_context_batches(state, ctx, [&] {
      post(ctx, chain_link<context>{&ctx, &ran, ran + hops});
    });
    expect_and_report(state, "hops run", ran, hops, allocs);
  }
};

struct dispatch_inline {
  static constexpr std::string_view name = "dispatch_inline";
  static void configure(args::benchmark_t* b) { args::batch(b); }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    typename Backend::io_context ctx;
    std::uint64_t ran = 0;
    std::uint64_t queued_instead = 0;  // batches where a dispatch did not run inline
    const alloc_meter allocs = run_context_batches(state, ctx, [&] {
      post(ctx, [&] {
        const std::uint64_t before = ran;
        for (std::uint64_t i = 0; i < n; ++i) dispatch(ctx, [&ran] { ++ran; });
        if (ran - before != n) ++queued_instead;
      });
    });
    if (expect(state, "batches with a dispatch not run inline", queued_instead, 0))
      expect_and_report(state, "handlers run", ran, n, allocs);
  }
};

struct foreign_post {
  static constexpr std::string_view name = "foreign_post";
  static constexpr bool raw_loop_baseline = true;
  static void configure(args::benchmark_t* b) {
    args::batch_by_threads(b);
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    const auto producers = static_cast<std::uint64_t>(state.range(1));
    typename Backend::io_context ctx;
    auto guard = make_work_guard(ctx);
    std::thread runner([&ctx] { ctx.run(); });

    // `ran` and `target` belong to the run thread while a round is under
    // way; the team's and the queue's locks order them with this thread.
    std::uint64_t ran = 0;
    std::uint64_t target = 0;
    event last_ran;
    const auto handler = [&] {
      if (++ran == target) last_ran.set();
    };
    thread_team team(producers, [&](std::size_t i) {
      const std::uint64_t share = n / producers + (i < n % producers ? 1 : 0);
      for (std::uint64_t k = 0; k < share; ++k) post(ctx, handler);
    });

    const alloc_meter allocs = run_batches(state, [&] {
      target += n;
      team.run_round();
      last_ran.wait("the last handler posted by the producers");
    });
    guard.reset();
    runner.join();
    expect_and_report(state, "handlers run", ran, n, allocs);
  }
};

struct multi_thread_run {
  static constexpr std::string_view name = "multi_thread_run";
  static constexpr bool raw_loop_baseline = true;
  static void configure(args::benchmark_t* b) {
    args::batch_by_threads(b);
    b->UseManualTime();
  }

  // Handlers count on their own thread: a shared counter would measure
  // cache-line ping-pong instead of the scheduler.
  static inline thread_local std::uint64_t ran_here = 0;

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    typename Backend::io_context ctx;
    std::atomic<std::uint64_t> ran{0};
    thread_team team(static_cast<std::size_t>(state.range(1)), [&](std::size_t) {
      ran_here = 0;
      ctx.run();
      ran += ran_here;
    });

    auto drain = [&] {
      for (std::uint64_t i = 0; i < n; ++i) post(ctx, [] { ++ran_here; });
      const auto start = std::chrono::steady_clock::now();
      team.run_round();
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      ctx.restart();
      return took.count();
    };
    drain();  // warm-up, as run_batches does
    alloc_meter allocs;
    allocs.start();
    for (auto _ : state) state.SetIterationTime(drain());
    allocs.stop();
    expect_and_report(state, "handlers run", ran, n, allocs);
  }
};

using scenarios =
    scenario_list<post_throughput, post_chain, dispatch_inline, foreign_post, multi_thread_run>;

}  // namespace perf::scheduler
