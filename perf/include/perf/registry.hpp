// perf::registry — registers each scenario, written once, for several
// backends, under names that read `post_throughput<twin>/n:100000/hint:1`.
//
// A scenario is a struct (see scenarios/*.hpp):
//
//   struct post_throughput {
//     static constexpr std::string_view name = "post_throughput";
//     static void configure(benchmark::internal::Benchmark*);  // args, time kind
//     template <typename Backend> static void run(benchmark::State&);
//     static constexpr bool raw_loop_baseline = true;   // optional, see below
//   };
//
// The `raw` pseudo-backend is a baseline, registered only for scenarios that
// ask for it: either `raw_loop_baseline` (the same body runs on perf::raw_loop,
// a mutex-and-deque event loop) or a hand-written `static void raw(State&)`
// (the physical floor, such as an eventfd ping-pong). A category header lists
// its scenarios in a scenario_list; a backend file registers the lists for
// its backends with register_scenarios. A TCP category slots in the same way.
#pragma once

#include <benchmark/benchmark.h>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "perf/counted.hpp"
#include "perf/raw_loop.hpp"

namespace perf {

template <typename... Scenarios>
struct scenario_list {};

// The running benchmark's name without its arguments, for messages from
// helpers (a hang report, for instance). Set by the registered wrapper.
inline std::string& current_benchmark() {
  thread_local std::string name;
  return name;
}

// Iterations every benchmark runs, exactly, when above 0 (--perf_iterations,
// for the instruction counts: see counted.hpp); 0 lets Google Benchmark
// choose by --benchmark_min_time.
inline benchmark::IterationCount& fixed_iterations() {
  static benchmark::IterationCount n = 0;
  return n;
}

// Registers the benchmarks of this program (defined once per program, in
// perf/backends/*.cpp). Returns why this machine cannot run its backends
// (the kernel refuses io_uring, say), or nothing when it can.
std::optional<std::string> register_benchmarks();

namespace detail {

using body_fn = void (*)(benchmark::State&);
using configure_fn = void (*)(benchmark::internal::Benchmark*);

inline void add(std::string_view scenario, std::string_view backend, body_fn body,
                configure_fn configure) {
  std::string name = std::string(scenario) + "<" + std::string(backend) + ">";
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [body, name](benchmark::State& state) {
    current_benchmark() = name;
    counted_run(name, body, state);
  });
  b->Apply(configure);
  if (fixed_iterations() > 0) b->Iterations(fixed_iterations());
}

template <typename Scenario, typename Backend>
void add_one() {
  if constexpr (!std::is_same_v<Backend, raw>) {
    add(Scenario::name, Backend::name, &Scenario::template run<Backend>, &Scenario::configure);
  } else if constexpr (requires { &Scenario::raw; }) {
    add(Scenario::name, raw::name, &Scenario::raw, &Scenario::configure);
  } else if constexpr (requires { Scenario::raw_loop_baseline; }) {
    static_assert(Scenario::raw_loop_baseline);
    add(Scenario::name, raw::name, &Scenario::template run<raw>, &Scenario::configure);
  }
}

// One scenario for every backend, so a scenario's backends list together.
template <typename Scenario, typename... Backends>
void add_scenario() {
  (add_one<Scenario, Backends>(), ...);
}

template <typename... Backends, typename... Scenarios>
void add_list(scenario_list<Scenarios...>) {
  (add_scenario<Scenarios, Backends...>(), ...);
}

}  // namespace detail

// Registers every scenario of `lists` for each of Backends (traits structs
// from reference/, or perf::raw), in list order, backends side by side.
template <typename... Backends, typename... Lists>
void register_scenarios(Lists... lists) {
  (detail::add_list<Backends...>(lists), ...);
}

}  // namespace perf
