// The `perf` program: every scenario on twin and on Boost.Asio with its
// epoll reactor, side by side, plus the raw baselines where a scenario has
// one. The backends with programs of their own (Asio on io_uring, whose
// Boost.Asio configuration must not meet this one) are in perf<suffix>,
// generated from program.cpp.in.
#include "perf/registry.hpp"
#include "reference/asio.hpp"
#include "reference/twin.hpp"
#include "scenarios/all.hpp"

std::optional<std::string> perf::register_benchmarks() {
  register_all<reference::twin, reference::asio, raw>();
  return std::nullopt;
}
