// twin::detail::strand_queue — the state of one strand: a lock flag, a ready
// queue and a waiting queue, as in Asio.
//
// The first handler to arrive at an idle strand "locks" it and its poster
// schedules an invoker on the underlying executor. The invoker runs the
// ready queue as the strand, then moves whatever waited meanwhile into the
// ready queue and, if there is anything, schedules itself again. Handlers
// that arrive while the strand is locked wait in the waiting queue. At most
// one invoker exists per strand, so the strand's handlers never overlap.
//
// Unlike Asio's legacy io_context::strand, which hashes every strand onto one
// of 193 shared implementations (so unrelated strands can serialize against
// each other, chriskohlhoff/asio#147), every twin strand has a queue of its
// own. enqueue() and running_in_this_thread() are safe from any thread; run()
// is called only by the invoker that holds the strand.
#pragma once

#include <mutex>

#include "twin/detail/call_stack.hpp"
#include "twin/detail/mutex.hpp"
#include "twin/detail/op_queue.hpp"
#include "twin/detail/operation.hpp"

namespace twin::detail {

class strand_queue {
public:
  strand_queue() = default;
  strand_queue(const strand_queue&) = delete;
  strand_queue& operator=(const strand_queue&) = delete;
  // Destroys (without invoking) any handler still queued: the waiting ones
  // first, then the ready ones, the order in which Asio's strand service
  // abandons them at shutdown.
  ~strand_queue() {
    op_queue<operation> abandoned;
    abandoned.push(waiting_);
    abandoned.push(ready_);
  }

  // True when the calling thread is running one of this strand's handlers.
  bool running_in_this_thread() const noexcept {
    return call_stack<strand_queue>::contains(this) != nullptr;
  }

  // Queues `op`. Returns true when the strand was idle: the caller now holds
  // it and must schedule an invoker that calls run().
  bool enqueue(operation* op) {
    std::lock_guard lock(mutex_);
    if (locked_) {
      waiting_.push(op);
      return false;
    }
    locked_ = true;
    ready_.push(op);
    return true;
  }

  // Runs the ready handlers as the strand. On the way out — also when a
  // handler throws — releases the strand, or, if handlers arrived meanwhile,
  // keeps it and calls `reschedule()` to queue the next invoker.
  template <typename Reschedule>
  void run(Reschedule&& reschedule) {
    call_stack<strand_queue>::context inside(this);
    struct on_exit {
      strand_queue* self;
      Reschedule& reschedule;
      ~on_exit() {
        if (self->release()) reschedule();
      }
    } exit{this, reschedule};
    while (operation* op = ready_.front()) {
      ready_.pop();
      op->complete(this, std::error_code(), 0);
    }
  }

private:
  // Moves the waiting handlers to the ready queue; the strand stays locked
  // (and true is returned) exactly when there is something to run.
  bool release() {
    std::lock_guard lock(mutex_);
    ready_.push(waiting_);
    locked_ = !ready_.empty();
    return locked_;
  }

  mutex mutex_{mutex::strand};
  bool locked_ = false;          // guarded by mutex_
  op_queue<operation> waiting_;  // guarded by mutex_
  op_queue<operation> ready_;    // only the strand's holder touches it
};

}  // namespace twin::detail
