// The `perf` program: every scenario on twin and on Boost.Asio with its
// epoll reactor, side by side, plus the raw baselines where a scenario has
// one. Asio on io_uring is in perf_uring (uring.cpp): its Boost.Asio
// configuration must not meet this one in a program.
#include "perf/registry.hpp"
#include "reference/asio.hpp"
#include "reference/twin.hpp"
#include "scenarios/all.hpp"

std::optional<std::string> perf::register_benchmarks() {
  register_all<reference::twin, reference::asio, raw>();
  return std::nullopt;
}
