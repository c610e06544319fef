// perf::syscalls — the workloads a system-call driver runs: a fixed number
// of operations of a benchmark's own fixture on one backend, so that
// scripts/perf can count the system calls they make.
//
// Counting is `strace -f -c` over the whole driver, once with COUNT
// operations and once with 0, subtracted: the set-up (contexts,
// connections, threads), a warm-up of `warmup` operations done by both runs
// and the teardown cancel out, and what is left is COUNT operations'
// worth. A workload is named like the benchmark it counts for
// (`tcp_pingpong/bytes:64` is tcp_pingpong<backend>/bytes:64), so the
// results line up with the times:
//
//   tcp_pingpong/bytes:64          one 64 B round trip over loopback
//                                  (perf::pingpong_loop, raw_pingpong_loop)
//   interrupt_ping_pong/reactor:0  one cross-thread wake-up: a post to a
//   interrupt_ping_pong/reactor:1  context whose run thread sleeps on the
//                                  scheduler's condition variable (0) or in
//                                  the reactor (1) (interrupt::context_pair,
//                                  raw_pair)
//
// Each run checks its own work as the benchmark does (every round trip
// echoed intact, every hop on its context) and returns why it failed.
// Construct and run on the driver's main thread.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "perf/tcp_pingpong.hpp"
#include "scenarios/interrupt.hpp"

namespace perf::syscalls {

// Operations every run does before the counted ones: handler memory,
// EPOLLOUT registrations and the like settle in it, in both runs.
inline constexpr std::uint64_t warmup = 200;

struct workload {
  std::string scenario;  // as in the benchmark's name, with its arguments
  std::string backend;
  // Runs the warm-up and `count` operations; an empty string when they
  // passed their checks, else why not.
  std::function<std::string(std::uint64_t count)> run;
};

// The workloads of this program (defined in epoll.cpp / uring.cpp), and
// why the machine cannot run them, if it cannot.
std::vector<workload> program_workloads();
std::optional<std::string> unavailable();

template <typename Loop>
std::string pingpong(std::uint64_t count) {
  Loop loop(1, 64);
  loop.play(warmup);
  if (count > 0) loop.play(count);
  const pingpong_tally& t = loop.tally();
  if (!t.error.empty()) return t.error;
  if (t.corrupt != 0) return std::to_string(t.corrupt) + " echoes differ from the message sent";
  if (t.round_trips != warmup + count || t.echoed != warmup + count)
    return std::to_string(t.round_trips) + " round trips, expected " +
           std::to_string(warmup + count);
  return {};
}

// `Players` is built from the rally (and `reactor`, for a backend's pair).
template <typename Players, typename... Args>
std::string wakeups(std::uint64_t count, Args... args) {
  interrupt::rally r(std::max<std::uint64_t>(warmup, count));
  Players players(r, args...);
  r.hops = warmup;
  interrupt::play_rally(r, players);
  if (count > 0) {
    r.hops = count;
    interrupt::play_rally(r, players);
  }
  if (r.misplaced != 0) return std::to_string(r.misplaced) + " hops ran on the wrong context";
  return {};
}

// Every workload for each of Backends (traits from reference/).
template <typename... Backends>
std::vector<workload> backend_workloads() {
  std::vector<workload> out;
  auto add = [&out]<typename Backend>() {
    const std::string b(Backend::name);
    out.push_back({"tcp_pingpong/bytes:64", b, &pingpong<pingpong_loop<Backend>>});
    for (const bool reactor : {false, true})
      out.push_back({std::string("interrupt_ping_pong/reactor:") + (reactor ? "1" : "0"), b,
                     [reactor](std::uint64_t n) {
                       return wakeups<interrupt::context_pair<Backend>>(n, reactor);
                     }});
  };
  (add.template operator()<Backends>(), ...);
  return out;
}

// The raw baselines' workloads: the benchmarks' raw floors.
inline std::vector<workload> raw_workloads() {
  return {
      {"tcp_pingpong/bytes:64", "raw", &pingpong<raw_pingpong_loop>},
      {"interrupt_ping_pong/reactor:0", "raw",
       &wakeups<interrupt::raw_pair<interrupt::futex_channel>>},
      {"interrupt_ping_pong/reactor:1", "raw",
       &wakeups<interrupt::raw_pair<interrupt::eventfd_channel>>},
  };
}

}  // namespace perf::syscalls
