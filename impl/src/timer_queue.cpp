#include "twin/detail/timer_queue.hpp"

#include "twin/error.hpp"

namespace twin::detail {

bool timer_queue::enqueue_timer(time_point deadline, per_timer_data& timer, wait_op* op) {
  if (timer.position_ == not_queued) {
    timer.key_ = {deadline, next_sequence_++};
    // No earlier than the run's last (and so, being armed later, after it):
    // the run stays sorted.
    if (run_tail_ == nullptr || !(deadline < run_tail_->key_.time))
      append_to_run(timer);
    else
      push_heap(timer);
  }
  timer.ops_.push(op);
  return earliest() == &timer && timer.ops_.front() == op;
}

long timer_queue::wait_duration_usec(long max) const {
  const per_timer_data* first = earliest();
  if (first == nullptr) return max;
  // Compare before subtracting: a deadline near time_point::min() would
  // overflow the difference.
  const time_point now = clock::now();
  if (first->key_.time <= now) return 0;
  const auto remaining = first->key_.time - now;
  // Round up: waking a microsecond early would find nothing due and cost a
  // second wake-up.
  const auto usec = std::chrono::ceil<std::chrono::microseconds>(remaining).count();
  return usec > max ? max : static_cast<long>(usec);
}

void timer_queue::get_ready_timers(op_queue<operation>& ops) {
  const time_point now = clock::now();
  while (per_timer_data* timer = earliest()) {
    if (timer->key_.time > now) break;
    while (wait_op* op = timer->ops_.front()) {
      timer->ops_.pop();
      op->ec_ = std::error_code();
      ops.push(op);
    }
    remove_timer(*timer);
  }
}

void timer_queue::get_all_timers(op_queue<operation>& ops) {
  for (heap_entry& entry : heap_) {
    ops.push(entry.timer->ops_);
    entry.timer->position_ = not_queued;
  }
  heap_.clear();
  while (per_timer_data* timer = run_head_) {
    ops.push(timer->ops_);
    unlink_from_run(*timer);
    timer->position_ = not_queued;
  }
}

std::size_t timer_queue::cancel_timer(per_timer_data& timer, op_queue<operation>& ops,
                                      std::size_t max) {
  std::size_t cancelled = 0;
  if (timer.position_ == not_queued) return 0;
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
  target.position_ = source.position_;
  target.key_ = source.key_;
  source.position_ = not_queued;
  if (target.position_ == in_run) {
    // Take the source's place between its neighbours.
    target.prev_ = source.prev_;
    target.next_ = source.next_;
    (target.prev_ ? target.prev_->next_ : run_head_) = &target;
    (target.next_ ? target.next_->prev_ : run_tail_) = &target;
  } else if (target.position_ != not_queued) {
    heap_[target.position_].timer = &target;
  }
}

timer_queue::per_timer_data* timer_queue::earliest() const noexcept {
  if (heap_.empty()) return run_head_;
  if (run_head_ == nullptr || earlier(heap_.front().key, run_head_->key_))
    return heap_.front().timer;
  return run_head_;
}

void timer_queue::remove_timer(per_timer_data& timer) {
  if (timer.position_ == in_run)
    unlink_from_run(timer);
  else if (timer.position_ != not_queued)
    remove_from_heap(timer);
  timer.position_ = not_queued;
}

// ---- the run ----------------------------------------------------------------

void timer_queue::append_to_run(per_timer_data& timer) {
  timer.position_ = in_run;
  timer.prev_ = run_tail_;
  timer.next_ = nullptr;
  (run_tail_ ? run_tail_->next_ : run_head_) = &timer;
  run_tail_ = &timer;
}

void timer_queue::unlink_from_run(per_timer_data& timer) {
  (timer.prev_ ? timer.prev_->next_ : run_head_) = timer.next_;
  (timer.next_ ? timer.next_->prev_ : run_tail_) = timer.prev_;
  timer.prev_ = timer.next_ = nullptr;
}

// ---- the heap ---------------------------------------------------------------

void timer_queue::push_heap(per_timer_data& timer) {
  heap_.push_back({timer.key_, &timer});
  up_heap(heap_.size() - 1);
}

void timer_queue::remove_from_heap(per_timer_data& timer) {
  const std::size_t index = timer.position_;
  const heap_entry last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;  // it was the last entry
  // The last entry fills the hole; it may belong above or below it.
  place(index, last);
  if (index > 0 && earlier(last.key, heap_[parent_of(index)].key))
    up_heap(index);
  else
    down_heap(index);
}

// Both sifts move the entry to its place through a hole, writing each entry
// they pass over (and its timer's position) once, instead of swapping.
void timer_queue::up_heap(std::size_t index) {
  const heap_entry moving = heap_[index];
  while (index > 0) {
    const std::size_t parent = parent_of(index);
    if (!earlier(moving.key, heap_[parent].key)) break;
    place(index, heap_[parent]);
    index = parent;
  }
  place(index, moving);
}

void timer_queue::down_heap(std::size_t index) {
  const heap_entry moving = heap_[index];
  const std::size_t size = heap_.size();
  for (;;) {
    const std::size_t first = index * arity + 1;
    if (first >= size) break;
    const std::size_t end = first + arity < size ? first + arity : size;
    std::size_t child = first;
    for (std::size_t c = first + 1; c < end; ++c)
      if (earlier(heap_[c].key, heap_[child].key)) child = c;
    if (!earlier(heap_[child].key, moving.key)) break;
    place(index, heap_[child]);
    index = child;
  }
  place(index, moving);
}

void timer_queue::place(std::size_t index, const heap_entry& entry) {
  heap_[index] = entry;
  entry.timer->position_ = index;
}

}  // namespace twin::detail
