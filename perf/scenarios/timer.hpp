// Timer scenarios: what arming, cancelling and firing steady_timers costs,
// and what a million armed timers weigh.
//
// items_per_second counts timer operations (one arm-and-wait, one schedule-
// and-cancel, one firing); allocs_per_op the heap allocations per operation.
// The timer objects are constructed before the timed loop. Every scenario
// checks how many waits completed, and with which outcome (success for an
// expiry, an error — operation_aborted — for a cancel). Sizes below are a
// full run's; --perf_quick divides n and firings by 10 (args.hpp).
//
//   timer_arm_fire        n (100000) timers armed with deadlines spread from
//                         now (timer i at now + i*10ns), then one run() fires
//                         them all. Real time (run() may sleep until a
//                         deadline), after one untimed warm-up batch.
//   timer_schedule_cancel one timer: expires_after(1h) + async_wait + cancel,
//                         1000 times, then one poll() runs the 1000 aborted
//                         handlers; with 0 or 10000 other timers armed an
//                         hour ahead (the queue has depth). CPU time, after
//                         a warm-up batch.
//   timer_fire_rate       one timer re-armed to expire at once from its own
//                         handler, 10000 firings per run(): each firing is a
//                         round trip through the reactor. Real time.
//   timer_armed           n (1M) timers armed an hour ahead, deadlines in a
//                         scrambled order (timer i at +((i*7919) mod n) us).
//                         Manual time of the arming only; cancelling them
//                         and running the aborted handlers is untimed.
//                         allocs_per_op counts the arming; heap_bytes_per_timer
//                         is how much the C heap grew while they were armed
//                         (wait operations, the timer queue's heap; measured
//                         on the last iteration from before the first),
//                         timer_object_bytes the size of one timer object.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "perf/alloc_counter.hpp"
#include "perf/args.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"

namespace perf::timer {

using steady_clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How the waits of a scenario completed.
struct outcomes {
  std::uint64_t expired = 0;
  std::uint64_t aborted = 0;
};

// A completion handler that files its outcome in `into`.
template <typename Backend>
auto tally(outcomes& into) {
  return [&into](const typename Backend::error_code& ec) {
    if (ec)
      ++into.aborted;
    else
      ++into.expired;
  };
}

// `n` timers on `ctx`, constructed in place (a timer cannot be copied).
template <typename Backend>
std::vector<typename Backend::steady_timer> make_timers(typename Backend::io_context& ctx,
                                                        std::size_t n) {
  std::vector<typename Backend::steady_timer> timers;
  timers.reserve(n);
  for (std::size_t i = 0; i < n; ++i) timers.emplace_back(ctx);
  return timers;
}

struct timer_arm_fire {
  static constexpr std::string_view name = "timer_arm_fire";
  static void configure(args::benchmark_t* b) {
    args::batch(b);
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    typename Backend::io_context ctx;
    auto timers = make_timers<Backend>(ctx, n);
    outcomes seen;
    const alloc_meter allocs = run_context_batches(state, ctx, [&] {
      const auto base = steady_clock::now();
      for (std::size_t i = 0; i < n; ++i) {
        timers[i].expires_at(base + std::chrono::nanoseconds(10 * i));
        timers[i].async_wait(tally<Backend>(seen));
      }
    });
    if (expect(state, "waits aborted", seen.aborted, 0))
      expect_and_report(state, "timers fired", seen.expired, n, allocs);
  }
};

struct timer_schedule_cancel {
  static constexpr std::string_view name = "timer_schedule_cancel";
  static constexpr std::uint64_t ops = 1000;
  static void configure(args::benchmark_t* b) { b->ArgName("armed")->Arg(0)->Arg(10'000); }

  template <typename Backend>
  static void run(benchmark::State& state) {
    typename Backend::io_context ctx;
    typename Backend::steady_timer timer(ctx);
    outcomes seen;
    outcomes others;
    auto armed = make_timers<Backend>(ctx, static_cast<std::size_t>(state.range(0)));
    for (auto& t : armed) {
      t.expires_after(1h);
      t.async_wait(tally<Backend>(others));
    }
    const alloc_meter allocs = run_batches(state, [&] {
      for (std::uint64_t i = 0; i < ops; ++i) {
        timer.expires_after(1h);
        timer.async_wait(tally<Backend>(seen));
        timer.cancel();
      }
      ctx.poll();
      ctx.restart();  // poll() stops the context when it runs out of work
    });
    for (auto& t : armed) t.cancel();
    ctx.poll();
    if (expect(state, "waits expired", seen.expired + others.expired, 0) &&
        expect(state, "waits aborted", seen.aborted, ops * (state.iterations() + 1)) &&
        expect(state, "other timers aborted", others.aborted, armed.size()))
      report(state, ops * state.iterations(), allocs);
  }
};

// The handler of timer_fire_rate: re-arms its timer to expire at once
// until `end` firings have been counted.
template <typename Backend>
struct rearm {
  typename Backend::steady_timer* timer;
  outcomes* seen;
  std::uint64_t end;
  void operator()(const typename Backend::error_code& ec) const {
    if (ec) {
      ++seen->aborted;
    } else if (++seen->expired != end) {
      timer->expires_after(steady_clock::duration::zero());
      timer->async_wait(*this);
    }
  }
};

struct timer_fire_rate {
  static constexpr std::string_view name = "timer_fire_rate";
  static void configure(args::benchmark_t* b) {
    b->ArgName("firings")->Arg(args::sized(10'000));
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto firings = static_cast<std::uint64_t>(state.range(0));
    typename Backend::io_context ctx;
    typename Backend::steady_timer timer(ctx);
    outcomes seen;
    const alloc_meter allocs = run_context_batches(state, ctx, [&] {
      timer.expires_after(steady_clock::duration::zero());
      timer.async_wait(rearm<Backend>{&timer, &seen, seen.expired + firings});
    });
    if (expect(state, "waits aborted", seen.aborted, 0))
      expect_and_report(state, "firings", seen.expired, firings, allocs);
  }
};

struct timer_armed {
  static constexpr std::string_view name = "timer_armed";
  static void configure(args::benchmark_t* b) {
    b->ArgName("n")->Arg(args::sized(1'000'000));
    b->UseManualTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    typename Backend::io_context ctx;
    auto timers = make_timers<Backend>(ctx, n);
    outcomes seen;
    alloc_meter allocs;
    const std::size_t heap_before = heap_in_use();
    std::size_t heap_armed = heap_before;
    for (auto _ : state) {
      const auto base = steady_clock::now() + 1h;
      allocs.start();
      const auto start = steady_clock::now();
      for (std::size_t i = 0; i < n; ++i) {
        timers[i].expires_at(base + std::chrono::microseconds(i * 7919 % n));
        timers[i].async_wait(tally<Backend>(seen));
      }
      const std::chrono::duration<double> took = steady_clock::now() - start;
      allocs.stop();
      state.SetIterationTime(took.count());
      heap_armed = heap_in_use();
      for (auto& t : timers) t.cancel();
      ctx.poll();
      ctx.restart();
    }
    if (!expect(state, "waits expired", seen.expired, 0) ||
        !expect(state, "waits aborted", seen.aborted, n * state.iterations()))
      return;
    report(state, n * state.iterations(), allocs);
    state.counters["heap_bytes_per_timer"] =
        (static_cast<double>(heap_armed) - static_cast<double>(heap_before)) /
        static_cast<double>(n);
    state.counters["timer_object_bytes"] = sizeof(typename Backend::steady_timer);
  }
};

using scenarios =
    scenario_list<timer_arm_fire, timer_schedule_cancel, timer_fire_rate, timer_armed>;

}  // namespace perf::timer
