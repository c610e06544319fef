// The `perf_syscalls_uring` program: the workloads on Boost.Asio with its
// io_uring backend, a program of its own (see epoll.cpp). Runs nothing
// when the kernel refuses io_uring, and says why.
#include "reference/asio_uring.hpp"
#include "syscalls/workloads.hpp"

std::vector<perf::syscalls::workload> perf::syscalls::program_workloads() {
  return backend_workloads<reference::asio_uring>();
}

std::optional<std::string> perf::syscalls::unavailable() {
  return reference::asio_uring::unavailable_reason();
}
