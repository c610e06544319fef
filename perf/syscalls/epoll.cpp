// The `perf_syscalls` program: the workloads on twin, on Boost.Asio with
// its epoll reactor and on the raw baselines. Asio on io_uring is in
// perf_syscalls_uring (uring.cpp): its Boost.Asio configuration must not
// meet this one in a program.
#include "reference/asio.hpp"
#include "reference/twin.hpp"
#include "syscalls/workloads.hpp"

std::vector<perf::syscalls::workload> perf::syscalls::program_workloads() {
  auto all = backend_workloads<reference::twin, reference::asio>();
  for (auto& w : raw_workloads()) all.push_back(std::move(w));
  return all;
}

std::optional<std::string> perf::syscalls::unavailable() { return std::nullopt; }
