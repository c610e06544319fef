// twin::detail::timer_queue — the reactor's pending timers, in a binary heap
// keyed on (deadline, arming sequence).
//
// One heap entry per timer object (per_timer_data); all waits on that timer
// share its deadline and complete in the order they were started. Timers
// with equal deadlines fire in the order they were armed: the sequence
// number breaks ties (libuv's rule; Asio's heap compares deadlines only and
// leaves the order of equal deadlines unspecified). Not thread-safe: the
// reactor's timer mutex protects it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "twin/detail/op_queue.hpp"
#include "twin/detail/wait_op.hpp"

namespace twin::detail {

class timer_queue {
public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  // The queue's bookkeeping inside each timer object.
  class per_timer_data {
  public:
    per_timer_data() = default;
    per_timer_data(const per_timer_data&) = delete;
    per_timer_data& operator=(const per_timer_data&) = delete;

  private:
    friend class timer_queue;
    op_queue<wait_op> ops_;
    std::size_t heap_index_ = not_in_heap;
  };

  // Adds a wait on `timer`, which expires at `deadline` (all waits on one
  // timer share its current deadline). Returns true when this timer is now
  // the earliest, so the caller must re-arm the timerfd.
  bool enqueue_timer(time_point deadline, per_timer_data& timer, wait_op* op);

  // Microseconds until the earliest deadline (rounded up, 0 when already
  // due), or `max` when there is none or it is further away.
  long wait_duration_usec(long max) const;

  // Moves the waits of every expired timer to `ops`, with success.
  void get_ready_timers(op_queue<operation>& ops);

  // Moves every pending wait to `ops` (shutdown: they will be destroyed).
  void get_all_timers(op_queue<operation>& ops);

  // Moves up to `max` waits of `timer`, oldest first, to `ops` with
  // operation_aborted; returns how many.
  std::size_t cancel_timer(per_timer_data& timer, op_queue<operation>& ops,
                           std::size_t max = std::numeric_limits<std::size_t>::max());

  // Transfers the pending waits of `source` to `target` (move assignment of
  // a timer object); `target` must have none.
  void move_timer(per_timer_data& target, per_timer_data& source);

private:
  static constexpr std::size_t not_in_heap = std::numeric_limits<std::size_t>::max();

  struct heap_entry {
    time_point time;
    std::uint64_t sequence;
    per_timer_data* timer;
  };

  static bool earlier(const heap_entry& a, const heap_entry& b) noexcept {
    return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
  }

  void remove_timer(per_timer_data& timer);
  void up_heap(std::size_t index);
  void down_heap(std::size_t index);
  void swap_heap(std::size_t a, std::size_t b);

  std::vector<heap_entry> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace twin::detail
