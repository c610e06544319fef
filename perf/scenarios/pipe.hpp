// Pipe scenarios: what the event loop costs around a byte stream that is
// no socket (posix::stream_descriptor on a pipe).
//
//   pipe_stream   one pipe, writes of `bytes` (1 KiB, 64 KiB) from one end
//                 while the other reads them (async_write / async_read of
//                 exactly one chunk, stream_loop.hpp), 16 MiB per
//                 iteration: bytes_per_second. Every chunk's stamps are
//                 checked. raw baseline: write(2) and read(2) on one
//                 non-blocking pipe (pipe_stream.hpp).
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string_view>

#include "perf/args.hpp"
#include "perf/pipe_stream.hpp"
#include "perf/registry.hpp"
#include "scenarios/tcp.hpp"

namespace perf::pipe {

struct pipe_stream {
  static constexpr std::string_view name = "pipe_stream";
  static void configure(args::benchmark_t* b) {
    b->ArgName("bytes")->Arg(1 << 10)->Arg(64 << 10);
    b->UseRealTime();
  }
  template <typename Backend>
  static void run(benchmark::State& state) {
    tcp::stream<stream_loop<Backend, pipe_channel<Backend>>>(state, false);
  }
  static void raw(benchmark::State& state) { tcp::stream<raw_pipe_stream_loop>(state); }
};

using scenarios = scenario_list<pipe_stream>;

}  // namespace perf::pipe
