#include "twin/detail/timer_queue.hpp"

#include "twin/error.hpp"

namespace twin::detail {

bool timer_queue::enqueue_timer(time_point deadline, per_timer_data& timer, wait_op* op) {
  if (timer.heap_index_ == not_in_heap) {
    timer.heap_index_ = heap_.size();
    heap_.push_back({deadline, next_sequence_++, &timer});
    up_heap(heap_.size() - 1);
  }
  timer.ops_.push(op);
  return timer.heap_index_ == 0 && timer.ops_.front() == op;
}

long timer_queue::wait_duration_usec(long max) const {
  if (heap_.empty()) return max;
  // Compare before subtracting: a deadline near time_point::min() would
  // overflow the difference.
  const time_point now = clock::now();
  if (heap_.front().time <= now) return 0;
  const auto remaining = heap_.front().time - now;
  // Round up: waking a microsecond early would find nothing due and cost a
  // second wake-up.
  const auto usec = std::chrono::ceil<std::chrono::microseconds>(remaining).count();
  return usec > max ? max : static_cast<long>(usec);
}

void timer_queue::get_ready_timers(op_queue<operation>& ops) {
  const time_point now = clock::now();
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

void timer_queue::get_all_timers(op_queue<operation>& ops) {
  for (heap_entry& entry : heap_) {
    ops.push(entry.timer->ops_);
    entry.timer->heap_index_ = not_in_heap;
  }
  heap_.clear();
}

std::size_t timer_queue::cancel_timer(per_timer_data& timer, op_queue<operation>& ops,
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

void timer_queue::move_timer(per_timer_data& target, per_timer_data& source) {
  target.ops_.push(source.ops_);
  target.heap_index_ = source.heap_index_;
  source.heap_index_ = not_in_heap;
  if (target.heap_index_ != not_in_heap) heap_[target.heap_index_].timer = &target;
}

void timer_queue::remove_timer(per_timer_data& timer) {
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

void timer_queue::up_heap(std::size_t index) {
  while (index > 0) {
    const std::size_t parent = (index - 1) / 2;
    if (!earlier(heap_[index], heap_[parent])) break;
    swap_heap(index, parent);
    index = parent;
  }
}

void timer_queue::down_heap(std::size_t index) {
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

void timer_queue::swap_heap(std::size_t a, std::size_t b) {
  std::swap(heap_[a], heap_[b]);
  heap_[a].timer->heap_index_ = a;
  heap_[b].timer->heap_index_ = b;
}

}  // namespace twin::detail
