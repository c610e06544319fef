// conformance::randomized::strand_ledger — what a pool program checks about
// strands on each backend, whatever the interleaving:
// - never concurrently: no handler enters a strand while a handler on
//   another thread is inside it (a handler run inline by one inside the
//   strand, on the same thread, nests — that is allowed);
// - FIFO: of two handlers submitted straight to one strand (post, defer, or
//   a dispatch that did not run inline), the one whose submitting call
//   returned before the other's began starts first.
//
// Order is measured with one atomic tick counter: a submission is the span
// [tick before the call, tick after it], a start is one tick. Strands are
// the small integers of objects.hpp (s_i = i, n_i = 100 + i, l_i = 200 + i).
//
// Thread-safe. Records are per step id, each written by the one thread that
// submits or first starts that handler; fifo_violations() reads them after
// every run thread is joined.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace conformance::randomized {

class strand_ledger {
public:
  // For step ids 0..ids-1.
  explicit strand_ledger(std::size_t ids) : submissions_(ids), starts_(ids) {}

  // "s0", "n1", "l0".
  static std::string strand_name(int key) {
    std::string out(1, key < 100 ? 's' : key < 200 ? 'n' : 'l');
    out += std::to_string(key % 100);
    return out;
  }

  std::uint64_t tick() { return clock_.fetch_add(1) + 1; }

  // Handler `id` enters strands `keys` on this thread; returns what broke
  // (one line per strand another thread is inside), or "".
  std::string enter(int id, const std::vector<int>& keys) {
    const std::thread::id me = std::this_thread::get_id();
    std::string broken;
    std::lock_guard lock(mutex_);
    for (const int key : keys) {
      std::map<std::thread::id, int>& inside = occupants_[key];
      for (const auto& [thread, depth] : inside)
        if (thread != me && depth > 0) {
          broken += 'h';  // (appended piecewise: g++ 12 warns falsely on "h" + ..., -Wrestrict)
          broken += std::to_string(id);
          broken += " entered " + strand_name(key) + " while another thread was inside it\n";
        }
      ++inside[me];
    }
    return broken;
  }

  // The handler that entered `keys` on this thread leaves them.
  void leave(const std::vector<int>& keys) {
    const std::thread::id me = std::this_thread::get_id();
    std::lock_guard lock(mutex_);
    for (const int key : keys) --occupants_[key][me];
  }

  // Handler `id` was submitted straight to strand `key` by this thread,
  // its call spanning ticks [begin, end].
  void submitted(int id, int key, std::uint64_t begin, std::uint64_t end) {
    submissions_[at(id)] = {key, begin, end, std::this_thread::get_id()};
  }

  // Handler `id` starts (its first invocation) on this thread.
  void started(int id) {
    const std::uint64_t now = tick();
    starts_[at(id)] = {now, std::this_thread::get_id()};
  }

  // Pairs of handlers that ran out of FIFO order, one line each.
  std::vector<std::string> fifo_violations() const {
    std::map<int, std::vector<int>> queued;  // per strand: submissions that queued
    for (std::size_t id = 0; id < submissions_.size(); ++id) {
      const submission& s = submissions_[id];
      const start& r = starts_[id];
      if (s.key < 0 || r.tick == 0) continue;
      const bool inline_run = r.thread == s.thread && s.begin < r.tick && r.tick < s.end;
      if (!inline_run) queued[s.key].push_back(static_cast<int>(id));
    }
    std::vector<std::string> out;
    for (const auto& [key, ids] : queued)
      for (const int a : ids)
        for (const int b : ids)
          if (submissions_[at(a)].end < submissions_[at(b)].begin &&
              starts_[at(b)].tick < starts_[at(a)].tick)
            out.push_back(strand_name(key) + " started h" + std::to_string(b) + " before h" +
                          std::to_string(a) + ", though h" + std::to_string(a) +
                          " was submitted first");
    return out;
  }

private:
  struct submission {
    int key = -1;  // -1: not submitted straight to a strand
    std::uint64_t begin = 0, end = 0;
    std::thread::id thread;
  };
  struct start {
    std::uint64_t tick = 0;  // 0: never started
    std::thread::id thread;
  };

  static std::size_t at(int id) { return static_cast<std::size_t>(id); }

  std::atomic<std::uint64_t> clock_{0};
  std::mutex mutex_;
  std::map<int, std::map<std::thread::id, int>> occupants_;  // strand -> thread -> depth
  std::vector<submission> submissions_;
  std::vector<start> starts_;
};

}  // namespace conformance::randomized
