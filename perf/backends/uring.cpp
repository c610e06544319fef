// The `perf_uring` program: every scenario on Boost.Asio with its io_uring
// backend, a program of its own (see epoll.cpp). Registers nothing when the
// kernel refuses io_uring, and says why.
#include "perf/registry.hpp"
#include "reference/asio_uring.hpp"
#include "scenarios/all.hpp"

std::optional<std::string> perf::register_benchmarks() {
  if (auto reason = reference::asio_uring::unavailable_reason()) return reason;
  register_all<reference::asio_uring>();
  return std::nullopt;
}
