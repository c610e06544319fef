// twin::detail::op_queue — an intrusive FIFO of operations.
//
// No allocation: the link lives in the operation. Whatever is still queued
// when the queue is destroyed is destroyed (not invoked). Not thread-safe:
// the owner's mutex, or thread confinement, protects it.
#pragma once

#include "twin/detail/operation.hpp"

namespace twin::detail {

template <typename Operation>
class op_queue {
public:
  op_queue() = default;
  op_queue(const op_queue&) = delete;
  op_queue& operator=(const op_queue&) = delete;

  // Destroys every operation still queued.
  ~op_queue() {
    while (Operation* op = front()) {
      pop();
      op->destroy();
    }
  }

  Operation* front() const noexcept { return front_; }
  Operation* back() const noexcept { return back_; }
  bool empty() const noexcept { return front_ == nullptr; }

  // Removes the front operation (which must exist).
  void pop() noexcept {
    Operation* op = front_;
    front_ = static_cast<Operation*>(op->next_);
    if (front_ == nullptr) back_ = nullptr;
    op->next_ = nullptr;
  }

  // True when `op` is in this queue — or linked into any other queue, which
  // for an op that only this queue's owner enqueues means the same.
  bool is_enqueued(const Operation* op) const noexcept {
    return op->next_ != nullptr || back_ == op;
  }

  // Appends one operation.
  void push(Operation* op) noexcept {
    op->next_ = nullptr;
    if (back_) {
      back_->next_ = op;
      back_ = op;
    } else {
      front_ = back_ = op;
    }
  }

  // Moves every operation of `other` to the back of this queue, in order.
  template <typename Other>
  void push(op_queue<Other>& other) noexcept {
    if (Operation* other_front = other.front_) {
      if (back_)
        back_->next_ = other_front;
      else
        front_ = other_front;
      back_ = other.back_;
      other.front_ = other.back_ = nullptr;
    }
  }

  // Moves every operation of `other` to the front of this queue, in order.
  template <typename Other>
  void push_front(op_queue<Other>& other) noexcept {
    if (Operation* other_front = other.front_) {
      other.back_->next_ = front_;
      if (!back_) back_ = other.back_;
      front_ = other_front;
      other.front_ = other.back_ = nullptr;
    }
  }

private:
  template <typename>
  friend class op_queue;

  Operation* front_ = nullptr;
  Operation* back_ = nullptr;
};

}  // namespace twin::detail
