// twin::detail::futex — the two Linux futex calls twin's lock and condition
// are built on (futex(2)).
//
// wait() sleeps while a 32-bit word still holds the value the caller last
// saw; wake() wakes sleepers on the word. The kernel compares the word and
// queues the sleeper atomically, so a wake() that follows a change of the
// word cannot be lost. wait() may also return early (a signal, a spurious
// wake-up): callers re-check the word in a loop. Both are callable from any
// thread. Private futexes: the word is never shared between processes.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

namespace twin::detail::futex {

using word = std::atomic<unsigned>;
static_assert(sizeof(word) == sizeof(unsigned) && word::is_always_lock_free,
              "the kernel reads the futex word as a plain 32-bit integer");

// wait()'s timeout for "until woken".
inline constexpr std::chrono::microseconds no_limit = std::chrono::microseconds::max();

// Sleeps while `w` holds `expected`, at most `timeout`.
inline void wait(word& w, unsigned expected,
                 std::chrono::microseconds timeout = no_limit) noexcept {
  timespec limit{};
  const timespec* limit_arg = nullptr;
  if (timeout != no_limit) {
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1'000'000);
    limit.tv_nsec = static_cast<long>(timeout.count() % 1'000'000) * 1000;
    limit_arg = &limit;
  }
  ::syscall(SYS_futex, reinterpret_cast<unsigned*>(&w), FUTEX_WAIT_PRIVATE, expected, limit_arg,
            nullptr, 0);
}

// Wakes at most `count` threads sleeping on `w`.
inline void wake(word& w, int count) noexcept {
  ::syscall(SYS_futex, reinterpret_cast<unsigned*>(&w), FUTEX_WAKE_PRIVATE, count, nullptr, nullptr,
            0);
}

}  // namespace twin::detail::futex
