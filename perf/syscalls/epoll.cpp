// The `perf_syscalls` program: the workloads on twin, on Boost.Asio with
// its epoll reactor and on the raw baselines. The backends with programs of
// their own (Asio on io_uring, whose Boost.Asio configuration must not meet
// this one) are in perf_syscalls<suffix>, generated from program.cpp.in.
#include "reference/asio.hpp"
#include "reference/twin.hpp"
#include "syscalls/workloads.hpp"

std::vector<perf::syscalls::workload> perf::syscalls::program_workloads() {
  auto all = backend_workloads<reference::twin, reference::asio>();
  for (auto& w : raw_workloads()) all.push_back(std::move(w));
  return all;
}

std::optional<std::string> perf::syscalls::unavailable() { return std::nullopt; }
