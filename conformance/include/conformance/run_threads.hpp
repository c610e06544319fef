// conformance::run_threads — N threads calling io_context::run(), each
// recording who it is, joined on destruction; and what scenarios record
// about them (blocked in the reactor, how many returned).
//
// Each thread records "runner i started" before it enters run() (which
// fixes its trace slot) and publishes its kernel thread id, so interrupt
// scenarios can watch it with kernel_probe.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "conformance/kernel_probe.hpp"
#include "conformance/trace.hpp"

namespace conformance {

template <typename IoContext>
class run_threads {
public:
  run_threads(IoContext& ctx, std::size_t n, recorder& rec) : tids_(n) {
    for (std::size_t i = 0; i < n; ++i) {
      // Threads start one at a time so that slot numbers follow i.
      std::atomic<bool> started{false};
      threads_.emplace_back([&ctx, &rec, &started, this, i] {
        tids_[i] = kernel_probe::this_thread_id();
        rec.record("runner " + std::to_string(i) + " started");
        started = true;
        started.notify_one();
        ctx.run();
        ++returned_;
      });
      started.wait(false);
    }
  }

  ~run_threads() { join(); }
  run_threads(const run_threads&) = delete;
  run_threads& operator=(const run_threads&) = delete;

  // Waits for every run() to return.
  void join() {
    for (std::thread& t : threads_)
      if (t.joinable()) t.join();
  }

  // Kernel thread id of runner i.
  pid_t tid(std::size_t i) const { return tids_[i]; }
  std::size_t size() const { return tids_.size(); }
  // How many runners have returned from run().
  std::size_t returned() const { return returned_; }

private:
  std::vector<pid_t> tids_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> returned_{0};
};

// Waits until runner `i` is blocked in the backend's reactor (one of
// Backend::reactor_wait_syscalls) and records "runner blocked in reactor",
// or "runner never blocked in reactor" when that does not happen within
// wait_limit.
template <typename Backend, typename IoContext>
void record_blocked_in_reactor(recorder& rec, const run_threads<IoContext>& runners,
                               std::size_t i = 0) {
  rec.record(kernel_probe::wait_until_blocked(runners.tid(i), Backend::reactor_wait_syscalls)
                 ? "runner blocked in reactor"
                 : "runner never blocked in reactor");
}

// Waits for every run() to return and records "runners returned: <how many>".
template <typename IoContext>
void join_and_record_returned(recorder& rec, run_threads<IoContext>& runners) {
  runners.join();
  rec.record("runners returned: " + std::to_string(runners.returned()));
}

// What `n` runners record as they start, in order: "runner 0 started", ...
inline std::vector<std::string> runners_started(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("runner " + std::to_string(i) + " started");
  return out;
}

}  // namespace conformance
