// twin::detail::timer_queue — the reactor's pending timers of one clock, in
// a binary heap keyed on (deadline, arming sequence).
//
// One heap entry per timer object (per_timer_data); all waits on that timer
// share its deadline and complete in the order they were started. Timers
// with equal deadlines fire in the order they were armed: the sequence
// number breaks ties (libuv's rule; Asio's heap compares deadlines only and
// leaves the order of equal deadlines unspecified). Not thread-safe: the
// reactor's timer mutex protects every queue.
//
// As in Asio, each clock (with its wait traits) has a queue of its own:
// `basic_timer_queue<Clock, WaitTraits>`. The steady clock's, `timer_queue`,
// is a member of the reactor and compiled once (timer_queue.cpp); a queue
// for another clock is made on first use and reached through
// timer_queue_base, whose virtual members the reactor calls only to collect
// due timers and to compute how long it may wait.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "twin/detail/op_queue.hpp"
#include "twin/detail/wait_op.hpp"
#include "twin/error.hpp"
#include "twin/wait_traits.hpp"

namespace twin::detail {

template <typename Clock, typename WaitTraits>
class basic_timer_queue;

// What the reactor needs of every clock's queue.
class timer_queue_base {
public:
  // The queue's bookkeeping inside each timer object.
  class per_timer_data {
  public:
    per_timer_data() = default;
    per_timer_data(const per_timer_data&) = delete;
    per_timer_data& operator=(const per_timer_data&) = delete;

  private:
    template <typename, typename>
    friend class basic_timer_queue;
    op_queue<wait_op> ops_;
    std::size_t heap_index_ = not_in_heap;
  };

  virtual ~timer_queue_base() = default;

  // Microseconds until the earliest deadline (rounded up, 0 when already
  // due), or `max` when there is none or it is further away.
  virtual long wait_duration_usec(long max) const = 0;

  // Moves the waits of every expired timer to `ops`, with success.
  virtual void get_ready_timers(op_queue<operation>& ops) = 0;

  // Moves every pending wait to `ops` (shutdown: they will be destroyed).
  virtual void get_all_timers(op_queue<operation>& ops) = 0;

protected:
  static constexpr std::size_t not_in_heap = std::numeric_limits<std::size_t>::max();
};

template <typename Clock, typename WaitTraits>
class basic_timer_queue final : public timer_queue_base {
public:
  using clock = Clock;
  using time_point = typename Clock::time_point;

  // Adds a wait on `timer`, which expires at `deadline` (all waits on one
  // timer share its current deadline). Returns true when this timer is now
  // the earliest, so the caller must re-arm the timerfd.
  bool enqueue_timer(time_point deadline, per_timer_data& timer, wait_op* op);

  long wait_duration_usec(long max) const override;
  void get_ready_timers(op_queue<operation>& ops) override;
  void get_all_timers(op_queue<operation>& ops) override;

  // Moves up to `max` waits of `timer`, oldest first, to `ops` with
  // operation_aborted; returns how many.
  std::size_t cancel_timer(per_timer_data& timer, op_queue<operation>& ops,
                           std::size_t max = std::numeric_limits<std::size_t>::max());

  // Transfers the pending waits of `source` to `target` (move assignment of
  // a timer object); `target` must have none.
  void move_timer(per_timer_data& target, per_timer_data& source);

private:
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

// The steady clock's queue, the reactor's own.
using timer_queue =
    basic_timer_queue<std::chrono::steady_clock, wait_traits<std::chrono::steady_clock>>;
extern template class basic_timer_queue<std::chrono::steady_clock,
                                        wait_traits<std::chrono::steady_clock>>;

template <typename Clock, typename WaitTraits>
bool basic_timer_queue<Clock, WaitTraits>::enqueue_timer(time_point deadline, per_timer_data& timer,
                                                         wait_op* op) {
  if (timer.heap_index_ == not_in_heap) {
    timer.heap_index_ = heap_.size();
    heap_.push_back({deadline, next_sequence_++, &timer});
    up_heap(heap_.size() - 1);
  }
  timer.ops_.push(op);
  return timer.heap_index_ == 0 && timer.ops_.front() == op;
}

template <typename Clock, typename WaitTraits>
long basic_timer_queue<Clock, WaitTraits>::wait_duration_usec(long max) const {
  if (heap_.empty()) return max;
  // Compare before subtracting: a deadline near time_point::min() would
  // overflow the difference.
  const time_point now = Clock::now();
  if (heap_.front().time <= now) return 0;
  const auto remaining = WaitTraits::to_wait_duration(heap_.front().time - now);
  if (remaining <= remaining.zero()) return 0;
  // Round up: waking a microsecond early would find nothing due and cost a
  // second wake-up.
  const auto usec = std::chrono::ceil<std::chrono::microseconds>(remaining).count();
  return usec > max ? max : static_cast<long>(usec);
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::get_ready_timers(op_queue<operation>& ops) {
  const time_point now = Clock::now();
  while (!heap_.empty() && heap_.front().time <= now) {
    per_timer_data& timer = *heap_.front().timer;
    while (wait_op* op = timer.ops_.front()) {
      timer.ops_.pop();
      op->ec_ = std::error_code();
      ops.push(op);
    }
    remove_timer(timer);
  }
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::get_all_timers(op_queue<operation>& ops) {
  for (heap_entry& entry : heap_) {
    ops.push(entry.timer->ops_);
    entry.timer->heap_index_ = not_in_heap;
  }
  heap_.clear();
}

template <typename Clock, typename WaitTraits>
std::size_t basic_timer_queue<Clock, WaitTraits>::cancel_timer(per_timer_data& timer,
                                                               op_queue<operation>& ops,
                                                               std::size_t max) {
  std::size_t cancelled = 0;
  if (timer.heap_index_ == not_in_heap) return 0;
  while (cancelled < max) {
    wait_op* op = timer.ops_.front();
    if (op == nullptr) break;
    timer.ops_.pop();
    op->ec_ = error::operation_aborted;
    ops.push(op);
    ++cancelled;
  }
  if (timer.ops_.empty()) remove_timer(timer);
  return cancelled;
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::move_timer(per_timer_data& target,
                                                      per_timer_data& source) {
  target.ops_.push(source.ops_);
  target.heap_index_ = source.heap_index_;
  source.heap_index_ = not_in_heap;
  if (target.heap_index_ != not_in_heap) heap_[target.heap_index_].timer = &target;
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::remove_timer(per_timer_data& timer) {
  const std::size_t index = timer.heap_index_;
  if (index == not_in_heap) return;
  const std::size_t last = heap_.size() - 1;
  if (index != last) {
    swap_heap(index, last);
    heap_.pop_back();
    // The entry moved into `index` may belong above or below it.
    if (index > 0 && earlier(heap_[index], heap_[(index - 1) / 2]))
      up_heap(index);
    else
      down_heap(index);
  } else {
    heap_.pop_back();
  }
  timer.heap_index_ = not_in_heap;
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::up_heap(std::size_t index) {
  while (index > 0) {
    const std::size_t parent = (index - 1) / 2;
    if (!earlier(heap_[index], heap_[parent])) break;
    swap_heap(index, parent);
    index = parent;
  }
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::down_heap(std::size_t index) {
  for (;;) {
    const std::size_t left = index * 2 + 1;
    if (left >= heap_.size()) break;
    const std::size_t right = left + 1;
    const std::size_t child =
        right < heap_.size() && earlier(heap_[right], heap_[left]) ? right : left;
    if (!earlier(heap_[child], heap_[index])) break;
    swap_heap(index, child);
    index = child;
  }
}

template <typename Clock, typename WaitTraits>
void basic_timer_queue<Clock, WaitTraits>::swap_heap(std::size_t a, std::size_t b) {
  std::swap(heap_[a], heap_[b]);
  heap_[a].timer->heap_index_ = a;
  heap_[b].timer->heap_index_ = b;
}

}  // namespace twin::detail
