// perf::alloc_meter — how many heap allocations a stretch of a benchmark
// made, on any thread.
//
// Every perf program replaces the global operator new (all forms) and
// interposes C's aligned_alloc (perf/src/alloc_counter.cpp); each call bumps
// a process-wide relaxed atomic. aligned_alloc is counted because Boost.Asio
// takes handler memory from std::aligned_alloc (boost/asio/detail/memory.hpp,
// aligned_new), not from operator new: without it Asio's allocations would
// be invisible. Plain malloc calls are not counted (neither backend makes
// any for handlers).
#pragma once

#include <cstddef>
#include <cstdint>

namespace perf {

// Allocations (and bytes requested) since the program started.
std::uint64_t allocation_count() noexcept;
std::uint64_t allocated_bytes() noexcept;

// Bytes the C heap holds for the program now (mallinfo2: arena plus mmap'd
// chunks) — what an allocation still alive costs, headers and all.
std::size_t heap_in_use() noexcept;

// Counts allocations between start() and stop(); may be started again to
// add another stretch. Not thread-safe itself: use it on one thread.
class alloc_meter {
public:
  void start() noexcept {
    count_at_start_ = allocation_count();
    bytes_at_start_ = allocated_bytes();
  }
  void stop() noexcept {
    count_ += allocation_count() - count_at_start_;
    bytes_ += allocated_bytes() - bytes_at_start_;
  }

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t bytes() const noexcept { return bytes_; }

private:
  std::uint64_t count_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t count_at_start_ = 0;
  std::uint64_t bytes_at_start_ = 0;
};

}  // namespace perf
