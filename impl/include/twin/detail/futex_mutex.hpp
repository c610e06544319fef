// twin::detail::futex_mutex — a mutex whose uncontended lock and unlock are
// one atomic instruction each.
//
// Why not std::mutex: twin takes a lock per queue operation (a post, a
// handler's end, a descriptor's start_op and perform_io), and a 64-byte TCP
// round trip takes about twenty. pthread_mutex_lock and unlock cost some 55
// instructions a pair even uncontended (they dispatch on the mutex's type,
// robustness and elision); this lock's fast path inlines to a compare-and-
// swap and an exchange. Under contention it spins briefly (lock hold times
// here are a few dozen instructions) and then sleeps on a futex, so a thread
// preempted while holding it costs the others a sleep, not a spin.
//
// The state word follows the classic three-state futex mutex: 0 unlocked,
// 1 locked, 2 locked and perhaps waited for. Unlock wakes a sleeper only from
// state 2. Not recursive; any thread may lock, the holder unlocks. Meets the
// Lockable requirements.
#pragma once

#include "twin/detail/futex.hpp"

namespace twin::detail {

class futex_mutex {
public:
  futex_mutex() = default;
  futex_mutex(const futex_mutex&) = delete;
  futex_mutex& operator=(const futex_mutex&) = delete;

  void lock() noexcept {
    unsigned seen = unlocked;
    if (!state_.compare_exchange_strong(seen, locked, std::memory_order_acquire,
                                        std::memory_order_relaxed))
      lock_contended();
  }

  bool try_lock() noexcept {
    unsigned seen = unlocked;
    return state_.compare_exchange_strong(seen, locked, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }

  void unlock() noexcept {
    if (state_.exchange(unlocked, std::memory_order_release) == contended) futex::wake(state_, 1);
  }

private:
  enum : unsigned { unlocked = 0, locked = 1, contended = 2 };

  [[gnu::noinline]] void lock_contended() noexcept {
    // A short spin first: the holder is most likely running on the other
    // core and about to release.
    for (int i = 0; i < spins; ++i) {
      relax();
      unsigned seen = unlocked;
      if (state_.load(std::memory_order_relaxed) == unlocked &&
          state_.compare_exchange_weak(seen, locked, std::memory_order_acquire,
                                       std::memory_order_relaxed))
        return;
    }
    // Then sleep. Whoever takes the lock from here on marks it contended,
    // so its unlock wakes the next sleeper.
    while (state_.exchange(contended, std::memory_order_acquire) != unlocked)
      futex::wait(state_, contended);
  }

  static void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  static constexpr int spins = 100;
  futex::word state_{unlocked};
};

}  // namespace twin::detail
