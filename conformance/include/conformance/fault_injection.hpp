// conformance::fault — the faults the Fault scenarios inject, each undone by
// a guard: the process's descriptors used up under a lowered RLIMIT_NOFILE,
// a signal handler installed for a while, and a storm of signals aimed at
// chosen threads while they sleep in system calls.
//
// All of them act on the whole process, so a scenario sets them up from its
// own thread and tears them down before it returns; GoogleTest runs one
// scenario at a time.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "conformance/kernel_probe.hpp"

namespace conformance::fault {

// Made, it notes the highest descriptor now open; exhaust() then lowers the
// soft RLIMIT_NOFILE to just above it and opens /dev/null until the kernel
// refuses with EMFILE: from then on, whatever needs a new descriptor
// (accept, socket) fails with EMFILE. exhaust() makes only plain system
// calls, so what a scenario rehearsed just before it stays fresh (see the
// EMFILE scenario). release() closes the spare descriptors (the limit stays
// low, but there is room again); the destructor also restores the limit.
// The hard limit is never touched, so restoring needs no privilege.
class descriptor_exhaustion {
public:
  descriptor_exhaustion() : highest_(highest_open_descriptor()) {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
  }

  void exhaust() {
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(highest_ + 1 + spare_room);
    if (lowered.rlim_cur > saved_.rlim_cur) lowered.rlim_cur = saved_.rlim_cur;
    lowered_ = ::setrlimit(RLIMIT_NOFILE, &lowered) == 0;
    held_.reserve(static_cast<std::size_t>(lowered.rlim_cur));
    for (int i = 0; i < 100000; ++i) {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        exhausted_ = errno == EMFILE;
        break;
      }
      held_.push_back(fd);
    }
  }

  ~descriptor_exhaustion() {
    release();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }

  descriptor_exhaustion(const descriptor_exhaustion&) = delete;
  descriptor_exhaustion& operator=(const descriptor_exhaustion&) = delete;

  // True when the limit was lowered and the last open() failed with EMFILE.
  bool exhausted() const { return lowered_ && exhausted_; }
  // How many descriptors it opened to get there.
  std::size_t held() const { return held_.size(); }

  // Closes the descriptors it holds; the lowered limit stays.
  void release() {
    for (const int fd : held_) ::close(fd);
    held_.clear();
  }

private:
  // Room left below the lowered limit, used up by the /dev/null copies (and
  // by what a scenario opens between construction and exhaust()).
  static constexpr int spare_room = 16;

  static int highest_open_descriptor() {
    int highest = 2;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
      try {
        highest = std::max(highest, std::stoi(entry.path().filename().string()));
      } catch (...) {
      }
    }
    return highest;
  }

  int highest_;
  rlimit saved_{};
  bool lowered_ = false;
  bool exhausted_ = false;
  std::vector<int> held_;
};

// Installs `handler` for `signo` with no SA_RESTART — so a blocking system
// call the signal interrupts fails with EINTR rather than resuming — and
// restores the previous action when destroyed. Destroy it only after every
// thread a signal was aimed at has ended: a signal still pending would meet
// the restored action (for SIGUSR1 the default one ends the process).
class scoped_signal_handler {
public:
  scoped_signal_handler(int signo, void (*handler)(int)) : signo_(signo) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    ::sigaction(signo_, &action, &saved_);
  }
  ~scoped_signal_handler() { ::sigaction(signo_, &saved_, nullptr); }
  scoped_signal_handler(const scoped_signal_handler&) = delete;
  scoped_signal_handler& operator=(const scoped_signal_handler&) = delete;

private:
  int signo_;
  struct sigaction saved_ {};
};

// A handler that does nothing: the signal's only effect is the EINTR.
inline void ignore_signal(int) {}

// Counts SIGPIPE while alive instead of letting it end the process, so a
// scenario can assert that none was raised.
class sigpipe_counter {
public:
  sigpipe_counter() : guard_(SIGPIPE, &count_one) { raised() = 0; }
  int count() const { return raised(); }

private:
  static std::atomic<int>& raised() {
    static std::atomic<int> value{0};
    return value;
  }
  static void count_one(int) { ++raised(); }

  scoped_signal_handler guard_;
};

// Sends `signo` (whose handler must be installed) from a thread of its own
// to the target threads (kernel ids, of this process) whenever one is
// blocked in a system call — epoll_wait, io_uring_enter, a futex, recv,
// accept... — so that nearly every signal interrupts a sleep. It keeps going
// until stop(), or until `limit` passes; `goal` is the number of signals the
// scenario wants sent before it winds down (see reached_goal()).
class signal_storm {
public:
  signal_storm(int signo, std::vector<pid_t> targets, std::size_t goal, std::chrono::seconds limit)
      : signo_(signo),
        targets_(std::move(targets)),
        goal_(goal),
        thread_([this, limit] { blow(limit); }) {}

  ~signal_storm() { stop(); }
  signal_storm(const signal_storm&) = delete;
  signal_storm& operator=(const signal_storm&) = delete;

  // True once `goal` signals were sent, or the storm gave up (time limit):
  // the workload under the storm may then finish its round and stop.
  bool reached_goal() const { return sent_ >= goal_ || over_; }
  // Ends the storm (joins its thread); returns how many signals were sent.
  std::size_t stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    return sent_;
  }
  std::size_t sent() const { return sent_; }

private:
  void blow(std::chrono::seconds limit) {
    const pid_t pid = ::getpid();
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!stopping_) {
      for (const pid_t tid : targets_)
        if (kernel_probe::blocked_syscall(tid) >= 0 && ::syscall(SYS_tgkill, pid, tid, signo_) == 0)
          ++sent_;
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::yield();
    }
    over_ = true;
  }

  int signo_;
  std::vector<pid_t> targets_;
  std::size_t goal_;
  std::atomic<std::size_t> sent_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> over_{false};
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace conformance::fault
