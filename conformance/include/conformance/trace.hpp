// conformance::trace — what a scenario observed, in order.
//
// A trace is the list of events a scenario records while it drives a
// backend: which handler ran (a label), on which thread slot, and for I/O
// completions with which error and byte count. Thread slots are numbered by
// first appearance, the recording thread (the test's main thread) being 0,
// so traces from two backends compare equal when the same logical threads did
// the same things in the same order.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "conformance/error_name.hpp"

namespace conformance {

struct event {
  std::string what;       // label chosen by the scenario
  int thread = 0;         // thread slot, 0 = the scenario's own thread
  std::string error;      // "" for success, else the error's errno name
  std::size_t bytes = 0;  // bytes transferred, for I/O completions

  friend bool operator==(const event&, const event&) = default;
};

using trace = std::vector<event>;

// Collects events from any number of threads. Thread-safe.
class recorder {
public:
  // The constructing thread becomes slot 0.
  recorder() { slots_.push_back(thread_serial()); }

  // Appends an event on behalf of the calling thread.
  void record(std::string what, std::string error = {}, std::size_t bytes = 0) {
    std::lock_guard lock(mutex_);
    events_.push_back({std::move(what), slot_of_caller(), std::move(error), bytes});
  }

  // Appends a completion: `what` with the operation's error (by name, see
  // error_name.hpp) and byte count.
  template <typename ErrorCode>
  void completion(std::string what, const ErrorCode& ec, std::size_t bytes = 0) {
    record(std::move(what), error_name(ec), bytes);
  }

  // The calling thread's slot (assigning one if it has none yet).
  int slot() {
    std::lock_guard lock(mutex_);
    return slot_of_caller();
  }

  // A copy of everything recorded so far.
  trace events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

private:
  // A number no other thread of this process ever had. std::thread::id is
  // not enough: a new thread may reuse a joined thread's id, and must not
  // inherit its slot.
  static std::uint64_t thread_serial() {
    static std::atomic<std::uint64_t> next{0};
    thread_local const std::uint64_t serial = next++;
    return serial;
  }

  int slot_of_caller() {
    const auto id = thread_serial();
    const auto it = std::find(slots_.begin(), slots_.end(), id);
    if (it != slots_.end()) return static_cast<int>(it - slots_.begin());
    slots_.push_back(id);
    return static_cast<int>(slots_.size() - 1);
  }

  mutable std::mutex mutex_;
  std::vector<std::uint64_t> slots_;
  trace events_;
};

// The labels of `t`, in order (for properties that ignore threads).
inline std::vector<std::string> labels(const trace& t) {
  std::vector<std::string> out;
  out.reserve(t.size());
  for (const event& e : t) out.push_back(e.what);
  return out;
}

// "yes" or "no": how a scenario puts a yes/no verdict into a label.
inline std::string yes_no(bool b) { return b ? "yes" : "no"; }

// The first n bytes of `buffer` (a char array), as text for a label.
template <std::size_t N>
std::string text(const char (&buffer)[N], std::size_t n) {
  return std::string(buffer, std::min(n, N));
}

// Position of the first event labelled `what`, or t.size() if none.
inline std::size_t position(const trace& t, const std::string& what) {
  const auto it = std::find_if(t.begin(), t.end(), [&](const event& e) { return e.what == what; });
  return static_cast<std::size_t>(it - t.begin());
}

}  // namespace conformance
