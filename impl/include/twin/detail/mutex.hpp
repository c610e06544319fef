// twin::detail::mutex — the reactor's mutexes, with their lock order and
// "held" preconditions checked in checking builds.
//
// The reactor's lock order, outermost first (a thread holding one may take
// only those to its right):
//
//   registry (descriptor pool)  ->  one descriptor's state  ->  signals  ->  scheduler
//                      timers  ->  scheduler
//   one strand's queue (a leaf: taken alone, nothing taken under it)
//
// No thread holds two descriptor states, or a descriptor state and the
// timers, at once; the scheduler's lock is always the innermost of the
// reactor's.
//
// In a checking build (TWIN_CHECK_LOCKS, set by the build for Debug and the
// sanitizer builds, the same for every translation unit) each mutex knows
// its thread of ownership and each thread the ranks it holds: locking out of
// order, or calling a function that needs a lock without it, aborts at the
// faulty call. Otherwise it is a futex_mutex (futex_mutex.hpp: why not
// std::mutex) and nothing else. Meets the Lockable requirements
// (std::lock_guard, std::unique_lock, detail::condition).
#pragma once

#include <mutex>

#include "twin/detail/futex_mutex.hpp"

#if TWIN_CHECK_LOCKS
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#endif

namespace twin::detail {

#if TWIN_CHECK_LOCKS
// Not assert(): the sanitizer builds define NDEBUG and must check too.
inline void require_lock_rule(bool ok, const char* what) noexcept {
  if (ok) return;
  std::fprintf(stderr, "twin: %s\n", what);
  std::abort();
}
#endif

// Aborts (in a checking build) unless `lock` holds its mutex: the "lock
// held" precondition of the scheduler's functions that take its lock.
template <typename Mutex>
void assert_owns(const std::unique_lock<Mutex>& lock) noexcept {
#if TWIN_CHECK_LOCKS
  require_lock_rule(lock.owns_lock(), "a function that needs its lock called without it");
#else
  (void)lock;
#endif
}

class mutex {
public:
  // Position in the lock order: a thread may lock a mutex only while every
  // mutex it holds has a lower rank.
  enum rank : unsigned {
    registry = 1,
    descriptor = 2,
    timers = 2,
    signals = 3,  // the process's signal registrations (signal_set_service.cpp)
    scheduler = 4,
    strand = 5
  };

  explicit mutex(rank r) noexcept
#if TWIN_CHECK_LOCKS
      : rank_(r)
#endif
  {
    (void)r;
  }
  mutex(const mutex&) = delete;
  mutex& operator=(const mutex&) = delete;

  void lock() {
#if TWIN_CHECK_LOCKS
    require_lock_rule((held_ranks() >> rank_) == 0, "a mutex taken out of the lock order");
#endif
    mutex_.lock();
#if TWIN_CHECK_LOCKS
    owner_.store(std::this_thread::get_id(), std::memory_order_relaxed);
    held_ranks() |= 1u << rank_;
#endif
  }

  void unlock() {
#if TWIN_CHECK_LOCKS
    assert_held();
    held_ranks() &= ~(1u << rank_);
    owner_.store(std::thread::id(), std::memory_order_relaxed);
#endif
    mutex_.unlock();
  }

  // Aborts (in a checking build) unless the calling thread holds this mutex.
  void assert_held() const noexcept {
#if TWIN_CHECK_LOCKS
    require_lock_rule(owner_.load(std::memory_order_relaxed) == std::this_thread::get_id(),
                      "a function that needs this lock called without it");
#endif
  }

private:
  futex_mutex mutex_;
#if TWIN_CHECK_LOCKS
  static unsigned& held_ranks() noexcept {
    static thread_local unsigned ranks = 0;
    return ranks;
  }
  unsigned rank_;
  std::atomic<std::thread::id> owner_{};
#endif
};

}  // namespace twin::detail
