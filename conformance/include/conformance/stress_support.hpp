// conformance::stress — what the Stress scenarios share: sizes (smaller
// under a sanitizer), the soak's duration, per-handler "exactly once"
// slots, a census of handler objects (constructed vs destroyed), and memory
// and descriptor checkpoints.
//
// Stress scenarios judge properties only (which thread runs what is the
// kernel's choice), so none of this records into a trace by itself: the
// scenarios record the verdicts (counts, "yes"/"no") it computes. Every
// function and class here is safe to use from any thread unless it says
// otherwise.
#pragma once

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace conformance::stress {

// Sanitizer builds do a tenth of every size: they look for races and leaks,
// which show at lower volume, and run several times slower.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool under_sanitizer = true;
#else
inline constexpr bool under_sanitizer = false;
#endif
inline constexpr std::size_t sanitizer_divisor = under_sanitizer ? 10 : 1;

// ASIO_TWIN_STRESS_DIVISOR from the environment (a positive integer, 1 when
// unset): how much smaller every stress size is. scripts/mutate sets it, so
// that a mutant meets the stress scenarios' races in seconds, not minutes.
// Read once.
inline std::size_t stress_divisor() {
  static const std::size_t value = [] {
    if (const char* env = std::getenv("ASIO_TWIN_STRESS_DIVISOR"))
      if (const long n = std::strtol(env, nullptr, 10); n > 0) return static_cast<std::size_t>(n);
    return std::size_t{1};
  }();
  return value;
}

// A size: n, or a tenth of it under a sanitizer, divided by
// stress_divisor(); never 0.
inline std::size_t scaled(std::size_t n) {
  const std::size_t size = n / sanitizer_divisor / stress_divisor();
  return size == 0 ? 1 : size;
}

// ASIO_TWIN_SOAK_SECONDS from the environment: how long the soak scenario
// runs, or 0 (unset, the CI run) for its short version, a fixed number of
// rounds. Read once.
inline std::chrono::seconds soak_seconds() {
  static const std::chrono::seconds value = [] {
    if (const char* env = std::getenv("ASIO_TWIN_SOAK_SECONDS"))
      if (const long n = std::strtol(env, nullptr, 10); n > 0) return std::chrono::seconds(n);
    return std::chrono::seconds(0);
  }();
  return value;
}

// One counter per handler of a batch: mark(i) when handler i runs (any
// thread); settle() then tells how many never ran and how many ran more
// than once, and clears the slots for the next batch. A handler that runs
// again after its batch was settled shows up in a later settle().
class once_slots {
public:
  explicit once_slots(std::size_t n) : counts_(n) {}

  void mark(std::size_t i) { counts_[i].fetch_add(1, std::memory_order_relaxed); }

  struct verdict {
    std::size_t missing = 0;   // never ran
    std::size_t repeated = 0;  // ran more than once
  };

  // Judges and clears the first n slots. Call once every handler of the
  // batch is known to have run (or given up on).
  verdict settle(std::size_t n) {
    verdict v;
    for (std::size_t i = 0; i < n && i < counts_.size(); ++i) {
      const unsigned seen = counts_[i].exchange(0, std::memory_order_relaxed);
      v.missing += seen == 0;
      v.repeated += seen > 1;
    }
    return v;
  }

private:
  std::vector<std::atomic<std::uint16_t>> counts_;
};

// Counts a scenario's handler objects: each `counted` (held by a handler)
// marks its construction — also by copy or move — and its destruction, so
// live() == 0 at the end means no handler object leaked.
class census {
public:
  long constructed() const { return constructed_; }
  long destroyed() const { return destroyed_; }
  long live() const { return constructed_ - destroyed_; }

private:
  friend class counted;
  std::atomic<long> constructed_{0};
  std::atomic<long> destroyed_{0};
};

class counted {
public:
  explicit counted(census& c) : census_(&c) { ++census_->constructed_; }
  counted(const counted& other) : census_(other.census_) { ++census_->constructed_; }
  counted(counted&& other) noexcept : census_(other.census_) { ++census_->constructed_; }
  counted& operator=(const counted&) = delete;
  ~counted() { ++census_->destroyed_; }

private:
  census* census_;
};

// This process's resident set size, from /proc/self/statm.
inline std::size_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// Bytes malloc has handed out and not had back, over every arena
// (mallinfo2): a far finer leak detector than the resident set, which
// fragmentation and arena growth move. A sanitizer replaces malloc, and
// glibc's figure then means nothing: 0.
inline std::size_t heap_bytes_in_use() {
  if constexpr (under_sanitizer) return 0;
  const struct mallinfo2 info = ::mallinfo2();
  return info.uordblks + info.hblkhd;
}

// How many descriptors this process has open.
inline std::size_t open_descriptors() {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

// Resident and heap memory sampled at checkpoints (from any thread), taken
// where the workload is quiescent (no handlers in flight). Memory is "flat"
// when no checkpoint of the later half exceeds the highest of the earlier
// half by more than a slack. Caches grow early and then stay — twin keeps up
// to 8 MiB of freed handler memory per thread, Asio a few blocks, glibc a
// cache per thread and arenas — while a leak keeps growing into the later
// half. The heap slack (4 MiB) is far above what quiescent checkpoints
// differ by; the resident slack is generous (the resident set moves with
// fragmentation). Under a sanitizer, whose quarantine and shadow memory
// grow on their own, LeakSanitizer at exit judges leaks instead.
class memory_watch {
public:
  void checkpoint() {
    const sample now{resident_bytes(), heap_bytes_in_use()};
    std::lock_guard lock(mutex_);
    samples_.push_back(now);
  }

  bool flat() const {
    std::lock_guard lock(mutex_);
    if (samples_.size() < 2 || under_sanitizer) return true;
    const std::size_t half = samples_.size() / 2;
    sample earlier{0, 0};
    for (std::size_t i = 0; i < half; ++i) {
      earlier.resident = std::max(earlier.resident, samples_[i].resident);
      earlier.heap = std::max(earlier.heap, samples_[i].heap);
    }
    for (std::size_t i = half; i < samples_.size(); ++i)
      if (samples_[i].resident > earlier.resident + (std::size_t{64} << 20) ||
          samples_[i].heap > earlier.heap + (std::size_t{4} << 20))
        return false;
    return true;
  }

  std::size_t checkpoints() const {
    std::lock_guard lock(mutex_);
    return samples_.size();
  }

  // "12/3 13/3 ..." — resident/heap MiB at (at most 60 evenly spread)
  // checkpoints — for the test's properties.
  std::string mebibytes() const {
    std::lock_guard lock(mutex_);
    std::string out;
    const std::size_t stride = samples_.size() / 60 + 1;
    for (std::size_t i = 0; i < samples_.size(); i += stride) {
      if (!out.empty()) out += ' ';
      out +=
          std::to_string(samples_[i].resident >> 20) + "/" + std::to_string(samples_[i].heap >> 20);
    }
    return out;
  }

private:
  struct sample {
    std::size_t resident;
    std::size_t heap;
  };

  mutable std::mutex mutex_;
  std::vector<sample> samples_;
};

// malloc's bytes in use when it was made. Once a scenario has torn down its
// io_context and joined its threads (whose exit frees their caches),
// returned() tells whether the heap is back where it was: within 1 MiB —
// the calling thread's own malloc cache and the scenario's bookkeeping. A
// leak of anything a context, a socket or a handler allocates shows here
// at once, however short the run. Always true under a sanitizer.
class heap_baseline {
public:
  bool returned() const { return heap_bytes_in_use() <= before_ + (std::size_t{1} << 20); }
  std::size_t growth_kib() const {
    const std::size_t now = heap_bytes_in_use();
    return now > before_ ? (now - before_) >> 10 : 0;
  }

private:
  std::size_t before_ = heap_bytes_in_use();
};

}  // namespace conformance::stress
