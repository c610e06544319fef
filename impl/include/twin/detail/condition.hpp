// twin::detail::condition — the scheduler's condition variable, for
// twin::detail::mutex (std::condition_variable works only with std::mutex).
//
// A sequence number counts notifications. wait() reads it while the caller
// still holds the lock, releases the lock and sleeps while the number is
// unchanged, so a notification that follows a change the waiter checked
// under the lock is never lost: either the waiter's futex sees the new
// number and does not sleep, or it sleeps and is woken. Like any condition
// variable it may wake spuriously: callers wait in a loop on their
// predicate. notify_one/notify_all are callable from any thread, with or
// without the lock; they make a system call only when a thread waits.
#pragma once

#include <atomic>
#include <chrono>
#include <climits>

#include "twin/detail/futex.hpp"

namespace twin::detail {

class condition {
public:
  condition() = default;
  condition(const condition&) = delete;
  condition& operator=(const condition&) = delete;

  // `lock` holds its mutex on entry and on return.
  template <typename Lock>
  void wait(Lock& lock) {
    sleep(lock, futex::no_limit);
  }

  // As wait(), for at most `timeout`; a timeout of zero or less returns at
  // once, as std::condition_variable's does.
  template <typename Lock>
  void wait_for(Lock& lock, std::chrono::microseconds timeout) {
    if (timeout.count() > 0) sleep(lock, timeout);
  }

  void notify_one() noexcept { notify(1); }
  void notify_all() noexcept { notify(INT_MAX); }

private:
  template <typename Lock>
  void sleep(Lock& lock, std::chrono::microseconds timeout) {
    const unsigned seen = sequence_.load();
    waiters_.fetch_add(1);
    lock.unlock();
    futex::wait(sequence_, seen, timeout);
    waiters_.fetch_sub(1);
    lock.lock();
  }

  void notify(int count) noexcept {
    // Both steps, like the waiter's, are sequentially consistent: if this
    // load misses a waiter, its increment of waiters_ comes after ours of
    // the sequence in the one total order, so the futex it then enters
    // compares against the new number and returns at once.
    sequence_.fetch_add(1);
    if (waiters_.load() > 0) futex::wake(sequence_, count);
  }

  futex::word sequence_{0};
  std::atomic<int> waiters_{0};
};

}  // namespace twin::detail
