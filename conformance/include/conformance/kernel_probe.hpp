// conformance::kernel_probe — what the kernel says a thread of this process
// is doing, read from /proc/self/task/<tid>/.
//
// Interrupt scenarios must know that a run thread is really asleep (in
// epoll_wait, io_uring_enter or a futex) before they post to it, without
// sleeping "long enough": they poll the thread's current system call, and
// count its voluntary context switches to tell which threads a post woke.
// Any thread may call these.
#pragma once

#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "conformance/waiting.hpp"

namespace conformance::kernel_probe {

// The calling thread's kernel id.
inline pid_t this_thread_id() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// The system call `tid` is blocked in, or -1 when it is running (or not in a
// system call).
inline long blocked_syscall(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/syscall");
  std::string first;
  if (!(in >> first) || first == "running") return -1;
  try {
    return std::stol(first);
  } catch (...) {
    return -1;
  }
}

// How many times `tid` gave up the CPU voluntarily (i.e. went to sleep).
inline long voluntary_switches(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("voluntary_ctxt_switches:", 0) == 0)
      return std::stol(line.substr(line.find(':') + 1));
  return -1;
}

// Waits until `tid` is blocked in one of `syscalls` (any system call when
// `syscalls` is empty). Returns false if that does not happen within
// wait_limit: a hang is then reported by the scenario, not by the watchdog.
template <typename Syscalls>
bool wait_until_blocked(pid_t tid, const Syscalls& syscalls) {
  return wait_until([&] {
    const long nr = blocked_syscall(tid);
    return nr >= 0 && (std::empty(syscalls) || std::find(std::begin(syscalls), std::end(syscalls),
                                                         nr) != std::end(syscalls));
  });
}

// Blocked waiting for a handler: in the reactor, or on the scheduler's
// condition variable (a futex).
template <typename Backend>
bool wait_until_idle(pid_t tid) {
  long idle[std::size(Backend::reactor_wait_syscalls) + 1];
  std::copy(std::begin(Backend::reactor_wait_syscalls), std::end(Backend::reactor_wait_syscalls),
            idle);
  idle[std::size(idle) - 1] = SYS_futex;
  return wait_until_blocked(tid, idle);
}

}  // namespace conformance::kernel_probe
