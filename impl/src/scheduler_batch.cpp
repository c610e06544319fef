// Concurrency hint 1: run() takes the whole shared queue at once and runs it
// as a batch without the lock (see run_batch in scheduler.hpp). The one-at-
// a-time loop in scheduler.cpp is the reference: everything here must be
// observably the same as it, only cheaper.
#include <limits>

#include "twin/detail/scheduler.hpp"

namespace twin::detail {

// After a batch — finished, stopped, or cut short by a throwing handler:
// the unrun rest goes back to the front of the shared queue, what the batch
// posted to its back, and the work count is settled once.
struct scheduler::batch_cleanup {
  ~batch_cleanup() {
    lock->lock();
    // A handler that threw still consumed its unit of work.
    this_thread->batch_work += this_thread->private_outstanding_work - (handler_running ? 1 : 0);
    this_thread->private_outstanding_work = 0;
    this_thread->batch_posted.push(this_thread->private_op_queue);
    self->outstanding_work_ += this_thread->batch_work;
    this_thread->batch_work = 0;
    self->enqueue_front(this_thread->batch);
    self->enqueue(this_thread->batch_posted);
    if (self->outstanding_work_ == 0) self->stop_all_threads(*lock);
  }
  scheduler* self;
  std::unique_lock<mutex>* lock;
  scheduler_thread_info* this_thread;
  bool handler_running = false;
};

std::size_t scheduler::run_batches(std::unique_lock<mutex>& lock,
                                   scheduler_thread_info& this_thread) {
  std::size_t n = 0;
  while (const std::size_t ran = run_batch(lock, this_thread)) {
    // Saturates rather than wraps, as Asio's count does.
    n = ran > std::numeric_limits<std::size_t>::max() - n ? std::numeric_limits<std::size_t>::max()
                                                          : n + ran;
    relock(lock);
  }
  return n;
}

std::size_t scheduler::run_batch(std::unique_lock<mutex>& lock,
                                 scheduler_thread_info& this_thread) {
  assert_owns(lock);
  if (task_ || stopped_ || op_queue_.empty()) return do_run_one(lock, this_thread);
  this_thread.batch.push(op_queue_);
  const unsigned long pushes_seen = queue_pushes_.load(std::memory_order_relaxed);
  lock.unlock();
  batch_cleanup on_exit{this, &lock, &this_thread};
  std::size_t n = 0;
  for (;;) {
    while (operation* op = this_thread.batch.front()) {
      // stop() from a handler (or another thread) ends the batch at once;
      // the rest stays queued, as it would have one at a time.
      if (stopped_.load(std::memory_order_relaxed)) return n;
      this_thread.batch.pop();
      on_exit.handler_running = true;
      op->complete(this, std::error_code(), op->task_result_);
      this_thread.rethrow_pending_exception();
      on_exit.handler_running = false;
      // What work_cleanup does after each handler, minus the lock: its posts
      // join the batch's, its work is counted for the batch's end.
      this_thread.batch_work += this_thread.private_outstanding_work - 1;
      this_thread.private_outstanding_work = 0;
      this_thread.batch_posted.push(this_thread.private_op_queue);
      ++n;
    }
    // One at a time, the batch's posts would now be at the front of the
    // shared queue — if nothing else was pushed there since the batch took
    // it all (another thread's post, a nested run or poll, the reactor's
    // sentinel). Then they can run on without the lock. A push this check
    // misses is still being made under the lock, so it is not yet ordered
    // before anything this thread does; the next check sees it.
    if (this_thread.batch_posted.empty() ||
        queue_pushes_.load(std::memory_order_relaxed) != pushes_seen)
      return n;
    this_thread.batch.push(this_thread.batch_posted);
  }
}

}  // namespace twin::detail
