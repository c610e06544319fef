// TCP scenarios: what the event loop costs around real socket I/O, over
// loopback connections with TCP_NODELAY (perf/include/perf/loopback.hpp).
//
// Each scenario is one body over its fixture (perf/include/perf/tcp_*.hpp),
// which runs the backend's io_context — twin, asio, asio_uring; raw: one
// epoll instance and read/write, where there is one. Connections are made
// before the timed loop; each iteration is one batch run to completion,
// after an untimed warm-up batch. All use real time: the kernel's half of
// the work (loopback delivery) and any wait in the reactor count.
// allocs_per_op is heap allocations per round trip (per chunk written for
// tcp_stream, per connection for tcp_accept_churn). Every scenario checks
// that everything it sent arrived intact and in the right number, and fails
// (perf::expect, perf::fail) otherwise. Sizes are a full run's; --perf_quick
// divides the batches by 10 (args.hpp). A lost completion ends the program
// after 60 s (perf::watchdog).
//
//   tcp_pingpong        one connection; a client writes a message of
//                       `bytes` (1, 64, 1024) and reads its echo, which the
//                       other end reads whole and writes back: 1000 round
//                       trips per iteration. Each round trip's latency is a
//                       sample: p50_ns, p99_ns, p999_ns, mean_ns. items/s
//                       counts round trips. raw baseline.
//   tcp_pingpong_pairs  1, 4 or 16 such pairs (64 B) in one context at
//                       once, 1000 round trips in all per iteration:
//                       throughput, round trips per second. raw baseline.
//   tcp_stream          one connection, writes of `bytes` (1 KiB, 16 KiB,
//                       64 KiB, 1 MiB) in one direction or both at once,
//                       16 MiB per direction per iteration (at least one
//                       write): bytes_per_second over every direction.
//   tcp_echo            an echo server (its own context and thread) with
//                       100 or 1000 client connections (another context,
//                       the benchmark's thread): 10000 round trips of 64 B
//                       per iteration, spread over the clients (at least
//                       one each). Needs 2 descriptors per client
//                       (perf::ensure_descriptors).
//   tcp_accept_churn    connect, accept, close: 200 connections per
//                       iteration, one at a time. items/s counts them.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "perf/args.hpp"
#include "perf/fd_limit.hpp"
#include "perf/latency.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"
#include "perf/stream_loop.hpp"
#include "perf/tcp_churn.hpp"
#include "perf/tcp_echo.hpp"
#include "perf/tcp_pingpong.hpp"

namespace perf::tcp {

// Round trips per iteration of the ping-pong and echo scenarios.
inline std::uint64_t round_trips() { return static_cast<std::uint64_t>(args::sized(1000)); }
inline std::uint64_t echo_round_trips() { return static_cast<std::uint64_t>(args::sized(10'000)); }
// Bytes per direction per iteration of tcp_stream.
inline std::uint64_t stream_bytes() { return static_cast<std::uint64_t>(args::sized(16 << 20)); }
inline std::uint64_t churn_connections() { return static_cast<std::uint64_t>(args::sized(200)); }

// Checks a ping-pong tally against the round trips asked for.
inline bool check(benchmark::State& state, const pingpong_tally& t, std::uint64_t want) {
  if (!t.error.empty()) {
    fail(state, t.error);
    return false;
  }
  return expect(state, "echoes that differ from the message sent", t.corrupt, 0) &&
         expect(state, "round trips", t.round_trips, want);
}

// The ping-pong body, for a backend's loop or the raw one: `pairs` pairs,
// `bytes` per message; latency samples with one pair.
template <typename Loop>
void pingpong(benchmark::State& state, std::size_t pairs, std::size_t bytes) {
  const std::uint64_t per_pair = std::max<std::uint64_t>(1, round_trips() / pairs);
  Loop loop(pairs, bytes);
  const bool sampled = pairs == 1;
  std::vector<std::int64_t> samples(sampled ? per_pair : 0);
  latency_recorder latencies;
  if (sampled)
    latencies.reserve(
        static_cast<std::size_t>(std::min<benchmark::IterationCount>(state.max_iterations, 5'000)) *
        per_pair);
  std::int64_t* const into = sampled ? samples.data() : nullptr;
  const alloc_meter allocs = run_batches(state, [&] {
    loop.play(per_pair, into);
    if (sampled) latencies.record(samples.begin(), samples.end());
  });
  const std::uint64_t done = per_pair * pairs * static_cast<std::uint64_t>(state.iterations());
  if (check(state, loop.tally(), per_pair * pairs * (state.iterations() + 1)) &&
      expect(state, "messages echoed", loop.tally().echoed, loop.tally().round_trips)) {
    report(state, done, allocs);
    if (sampled) latencies.report(state);
  }
}

// The bulk-transfer body, for any stream fixture (stream_loop over a TCP
// connection or pipes, the raw pipe loop): chunks of state.range(0) bytes,
// stream_bytes() per direction per iteration; bytes_per_second over every
// direction.
template <typename Loop, typename... Args>
void stream(benchmark::State& state, Args... args) {
  const auto chunk = static_cast<std::uint64_t>(state.range(0));
  const std::uint64_t chunks = std::max<std::uint64_t>(1, stream_bytes() / chunk);
  Loop loop(chunk, args...);
  const alloc_meter allocs = run_batches(state, [&] { loop.play(chunks); });
  const std::uint64_t per_batch = chunks * loop.directions();
  const stream_tally& t = loop.tally();
  if (!t.error.empty()) return fail(state, t.error);
  if (expect(state, "chunks with wrong stamps", t.corrupt, 0) &&
      expect(state, "chunks read", t.chunks, per_batch * (state.iterations() + 1)) &&
      expect(state, "bytes read", t.bytes, per_batch * chunk * (state.iterations() + 1))) {
    const std::uint64_t timed = per_batch * static_cast<std::uint64_t>(state.iterations());
    state.SetBytesProcessed(static_cast<std::int64_t>(timed * chunk));
    state.counters["allocs_per_op"] =
        static_cast<double>(allocs.count()) / static_cast<double>(timed);
  }
}

struct tcp_pingpong {
  static constexpr std::string_view name = "tcp_pingpong";
  static void configure(args::benchmark_t* b) {
    b->ArgName("bytes")->Arg(1)->Arg(64)->Arg(1024);
    b->UseRealTime();
  }
  template <typename Backend>
  static void run(benchmark::State& state) {
    pingpong<pingpong_loop<Backend>>(state, 1, static_cast<std::size_t>(state.range(0)));
  }
  static void raw(benchmark::State& state) {
    pingpong<raw_pingpong_loop>(state, 1, static_cast<std::size_t>(state.range(0)));
  }
};

struct tcp_pingpong_pairs {
  static constexpr std::string_view name = "tcp_pingpong_pairs";
  static void configure(args::benchmark_t* b) {
    b->ArgName("pairs")->Arg(1)->Arg(4)->Arg(16);
    b->UseRealTime();
  }
  template <typename Backend>
  static void run(benchmark::State& state) {
    pingpong<pingpong_loop<Backend>>(state, static_cast<std::size_t>(state.range(0)), 64);
  }
  static void raw(benchmark::State& state) {
    pingpong<raw_pingpong_loop>(state, static_cast<std::size_t>(state.range(0)), 64);
  }
};

struct tcp_stream {
  static constexpr std::string_view name = "tcp_stream";
  static void configure(args::benchmark_t* b) {
    b->ArgNames({"bytes", "directions"});
    for (std::int64_t directions : {1, 2})
      for (std::int64_t bytes : {1 << 10, 16 << 10, 64 << 10, 1 << 20})
        b->Args({bytes, directions});
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    stream<stream_loop<Backend>>(state, state.range(1) == 2);
  }
};

struct tcp_echo {
  static constexpr std::string_view name = "tcp_echo";
  static constexpr std::size_t bytes = 64;
  static void configure(args::benchmark_t* b) {
    b->ArgName("clients")->Arg(100)->Arg(1000);
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto clients = static_cast<std::uint64_t>(state.range(0));
    // Two sockets per client, plus the listener, epoll and eventfds and
    // whatever the process already holds.
    if (auto why = ensure_descriptors(2 * clients + 64)) return fail(state, *why);
    const std::uint64_t per_client = std::max<std::uint64_t>(1, echo_round_trips() / clients);
    echo_loop<Backend> loop(clients, bytes);
    const alloc_meter allocs = run_batches(state, [&] { loop.play(per_client); });
    const std::uint64_t want = per_client * clients * (state.iterations() + 1);
    if (check(state, loop.tally(), want) &&
        expect(state, "bytes the server read", loop.server_bytes(), want * bytes))
      report(state, per_client * clients * state.iterations(), allocs);
  }
};

struct tcp_accept_churn {
  static constexpr std::string_view name = "tcp_accept_churn";
  static void configure(args::benchmark_t* b) {
    b->ArgName("n")->Arg(churn_connections());
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    const auto n = static_cast<std::uint64_t>(state.range(0));
    churn_loop<Backend> loop;
    const alloc_meter allocs = run_batches(state, [&] { loop.play(n); });
    const churn_tally& t = loop.tally();
    if (!t.error.empty()) return fail(state, t.error);
    if (expect(state, "connections accepted", t.accepted, n * (state.iterations() + 1)) &&
        expect(state, "connections connected", t.connected, n * (state.iterations() + 1)))
      report(state, n * state.iterations(), allocs);
  }
};

using scenarios =
    scenario_list<tcp_pingpong, tcp_pingpong_pairs, tcp_stream, tcp_echo, tcp_accept_churn>;

}  // namespace perf::tcp
