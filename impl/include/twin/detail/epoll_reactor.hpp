// twin::detail::epoll_reactor — the scheduler's task: waits for readiness
// with epoll and turns it into completed operations.
//
// Exactly one thread at a time runs it: the thread that dequeued the
// scheduler's task sentinel. Everything it completes goes to that thread's
// private queue, which the scheduler publishes after run() returns.
// `interrupt()` may be called from any thread.
#pragma once

#include "twin/detail/eventfd_interrupter.hpp"
#include "twin/detail/op_queue.hpp"
#include "twin/detail/operation.hpp"

namespace twin::detail {

class scheduler;

class epoll_reactor {
public:
  // Creates the epoll instance and registers the interrupter.
  // Throws std::system_error on failure.
  explicit epoll_reactor(scheduler& owner);
  ~epoll_reactor();
  epoll_reactor(const epoll_reactor&) = delete;
  epoll_reactor& operator=(const epoll_reactor&) = delete;

  // Waits up to `usec` microseconds (-1: until interrupted) and appends the
  // completed operations to `ops`. Only the thread holding the task calls it.
  void run(long usec, op_queue<operation>& ops);

  // Makes a blocked (or the next) run() return promptly. Any thread.
  void interrupt();

private:
  static int timeout_msec(long usec);

  scheduler& scheduler_;
  int epoll_fd_;
  eventfd_interrupter interrupter_;
};

}  // namespace twin::detail
