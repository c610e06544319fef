// UDP scenarios: what the event loop costs around datagrams over loopback.
//
//   udp_pingpong   one pair of connected UDP sockets; the client sends a
//                  datagram of `bytes` (64, 1024) and receives its echo,
//                  which the other end receives and sends back: 1000 round
//                  trips per iteration (udp_pingpong.hpp). Each round
//                  trip's latency is a sample (p50_ns, p99_ns, p999_ns,
//                  mean_ns); items/s counts round trips. raw baseline.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string_view>

#include "perf/args.hpp"
#include "perf/registry.hpp"
#include "perf/udp_pingpong.hpp"
#include "scenarios/tcp.hpp"

namespace perf::udp {

struct udp_pingpong {
  static constexpr std::string_view name = "udp_pingpong";
  static void configure(args::benchmark_t* b) {
    b->ArgName("bytes")->Arg(64)->Arg(1024);
    b->UseRealTime();
  }
  template <typename Backend>
  static void run(benchmark::State& state) {
    tcp::pingpong<udp_pingpong_loop<Backend>>(state, 1, static_cast<std::size_t>(state.range(0)));
  }
  static void raw(benchmark::State& state) {
    tcp::pingpong<raw_udp_pingpong_loop>(state, 1, static_cast<std::size_t>(state.range(0)));
  }
};

using scenarios = scenario_list<udp_pingpong>;

}  // namespace perf::udp
