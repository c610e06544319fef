// The scheduler's loop. The comments here say why the order of steps is what
// it is; the contracts are in scheduler.hpp.
#include "twin/detail/scheduler.hpp"

#include <limits>

#include "twin/detail/epoll_reactor.hpp"
#include "twin/multiple_exceptions.hpp"

namespace twin::detail {

namespace {

// Counts one more handler; saturates rather than wraps, as Asio does.
void count_one(std::size_t& n) {
  if (n != std::numeric_limits<std::size_t>::max()) ++n;
}

// A handler's cleanup may already have re-taken the lock (to flush its
// private queue); the loops re-take it only if not.
void relock(std::unique_lock<std::mutex>& lock) {
  if (!lock.owns_lock()) lock.lock();
}

}  // namespace

// After the reactor ran: publish the work its completions carry, and put the
// completions and then the sentinel back at the end of the shared queue, so
// handlers queued meanwhile run before the next epoll_wait.
struct scheduler::task_cleanup {
  ~task_cleanup() {
    lock->lock();
    if (this_thread->private_outstanding_work > 0)
      self->outstanding_work_ += this_thread->private_outstanding_work;
    this_thread->private_outstanding_work = 0;
    self->task_interrupted_ = true;
    self->enqueue(this_thread->private_op_queue);
    self->enqueue(&self->task_operation_);
  }
  scheduler* self;
  std::unique_lock<std::mutex>* lock;
  scheduler_thread_info* this_thread;
};

// After a handler ran (or threw): settle the work count (the handler's own
// unit against whatever it queued privately) and flush the private queue.
struct scheduler::work_cleanup {
  ~work_cleanup() {
    // The run loop re-takes the lock for the next handler anyway; settling
    // under it costs nothing extra.
    lock->lock();
    const long work = this_thread->private_outstanding_work;
    this_thread->private_outstanding_work = 0;
    if (work > 1)
      self->outstanding_work_ += work - 1;
    else if (work < 1 && --self->outstanding_work_ == 0)
      self->stop_all_threads(*lock);
    self->enqueue(this_thread->private_op_queue);
  }
  scheduler* self;
  std::unique_lock<std::mutex>* lock;
  scheduler_thread_info* this_thread;
};

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
  std::unique_lock<std::mutex>* lock;
  scheduler_thread_info* this_thread;
  bool handler_running = false;
};

scheduler::scheduler(int concurrency_hint)
    : concurrency_hint_(concurrency_hint), one_thread_(concurrency_hint == 1) {}

scheduler::~scheduler() {
  // Shut down: nothing queued may run any more, but every handler must be
  // destroyed. The sentinel is not an allocated operation.
  // Destroyed without the lock: a handler's destructor may still call back
  // (a strand invoker's tracked executor releases its work).
  std::unique_lock lock(mutex_);
  shutdown_ = true;
  stopped_ = true;
  for (;;) {
    op_queue<operation> abandoned;
    abandoned.push(op_queue_);
    if (abandoned.empty()) break;
    lock.unlock();
    while (operation* op = abandoned.front()) {
      abandoned.pop();
      if (op != &task_operation_) op->destroy();
    }
    lock.lock();
  }
  lock.unlock();
  task_.reset();
}

std::size_t scheduler::run() {
  std::unique_lock lock(mutex_);
  if (out_of_work(lock)) return 0;
  scheduler_thread_info this_thread;
  thread_call_stack::context ctx(this, this_thread);
  adopt_outer_queues(ctx, false);
  std::size_t n = 0;
  if (one_thread_) {
    while (const std::size_t ran = run_batch(lock, this_thread)) {
      n = ran > std::numeric_limits<std::size_t>::max() - n ? std::numeric_limits<std::size_t>::max()
                                                            : n + ran;
      relock(lock);
    }
    return n;
  }
  for (; do_run_one(lock, this_thread); relock(lock)) count_one(n);
  return n;
}

std::size_t scheduler::run_one() {
  std::unique_lock lock(mutex_);
  if (out_of_work(lock)) return 0;
  scheduler_thread_info this_thread;
  thread_call_stack::context ctx(this, this_thread);
  adopt_outer_queues(ctx, false);
  return do_run_one(lock, this_thread);
}

std::size_t scheduler::wait_one(std::chrono::microseconds timeout) {
  std::unique_lock lock(mutex_);
  if (out_of_work(lock)) return 0;
  scheduler_thread_info this_thread;
  thread_call_stack::context ctx(this, this_thread);
  adopt_outer_queues(ctx, false);
  return do_wait_one(lock, this_thread, static_cast<long>(timeout.count()));
}

std::size_t scheduler::poll() {
  std::unique_lock lock(mutex_);
  if (out_of_work(lock)) return 0;
  scheduler_thread_info this_thread;
  thread_call_stack::context ctx(this, this_thread);
  adopt_outer_queues(ctx, true);
  std::size_t n = 0;
  for (; do_poll_one(lock, this_thread); relock(lock)) count_one(n);
  return n;
}

std::size_t scheduler::poll_one() {
  std::unique_lock lock(mutex_);
  if (out_of_work(lock)) return 0;
  scheduler_thread_info this_thread;
  thread_call_stack::context ctx(this, this_thread);
  adopt_outer_queues(ctx, true);
  return do_poll_one(lock, this_thread);
}

bool scheduler::out_of_work(std::unique_lock<std::mutex>& lock) {
  if (outstanding_work_ != 0) return false;
  stop_all_threads(lock);
  return true;
}

void scheduler_thread_info::capture_current_exception() {
  if (pending_exceptions++ == 0)
    pending_exception = std::current_exception();
  else if (pending_exceptions == 2)
    pending_exception = std::make_exception_ptr(multiple_exceptions(pending_exception));
}

void scheduler::capture_current_exception() {
  if (scheduler_thread_info* this_thread = thread_call_stack::contains(this))
    this_thread->capture_current_exception();
}

void scheduler::work_started() {
  std::lock_guard lock(mutex_);
  ++outstanding_work_;
}

void scheduler::work_finished() {
  std::unique_lock lock(mutex_);
  if (--outstanding_work_ == 0) stop_all_threads(lock);
}

void scheduler::adopt_outer_queues(const thread_call_stack::context& ctx, bool adopt_private) {
  if (!one_thread_) return;
  scheduler_thread_info* outer = ctx.next_by_key();
  if (outer == nullptr) return;
  enqueue_front(outer->batch);
  enqueue(outer->batch_posted);
  outstanding_work_ += outer->batch_work;
  outer->batch_work = 0;
  // Under hint 1 a handler's posts wait in its thread's private queue until
  // it returns; a poll nested in that handler would not see them otherwise.
  if (adopt_private) enqueue(outer->private_op_queue);
}

void scheduler::stop() {
  std::unique_lock lock(mutex_);
  stop_all_threads(lock);
}

bool scheduler::stopped() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

void scheduler::restart() {
  std::lock_guard lock(mutex_);
  stopped_ = false;
}

void scheduler::post_immediate_completion(operation* op,
                                          bool is_continuation) {
  if (one_thread_ || is_continuation) {
    if (scheduler_thread_info* this_thread = thread_call_stack::contains(this)) {
      ++this_thread->private_outstanding_work;
      this_thread->private_op_queue.push(op);
      return;
    }
  }
  std::unique_lock lock(mutex_);
  ++outstanding_work_;
  enqueue(op);
  wake_one_thread_and_unlock(lock);
}

void scheduler::post_deferred_completion(operation* op) {
  if (one_thread_) {
    if (scheduler_thread_info* this_thread = thread_call_stack::contains(this)) {
      this_thread->private_op_queue.push(op);
      return;
    }
  }
  std::unique_lock lock(mutex_);
  enqueue(op);
  wake_one_thread_and_unlock(lock);
}

void scheduler::post_deferred_completions(op_queue<operation>& ops) {
  if (ops.empty()) return;
  if (one_thread_) {
    if (scheduler_thread_info* this_thread = thread_call_stack::contains(this)) {
      this_thread->private_op_queue.push(ops);
      return;
    }
  }
  std::unique_lock lock(mutex_);
  enqueue(ops);
  wake_one_thread_and_unlock(lock);
}

epoll_reactor& scheduler::reactor() {
  std::unique_lock lock(mutex_);
  if (!task_ && !shutdown_) {
    task_ = std::make_unique<epoll_reactor>(*this);
    enqueue(&task_operation_);
    wake_one_thread_and_unlock(lock);
  }
  return *task_;
}

void scheduler::notify_fork(bool in_child) {
  epoll_reactor* task = nullptr;
  {
    std::lock_guard lock(mutex_);
    task = task_.get();
  }
  // Not under the queue's lock: the reactor takes descriptor locks, and
  // those are taken before the queue's lock everywhere else.
  if (in_child && task) task->recreate_after_fork();
}

std::size_t scheduler::run_batch(std::unique_lock<std::mutex>& lock,
                                 scheduler_thread_info& this_thread) {
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

std::size_t scheduler::do_run_one(std::unique_lock<std::mutex>& lock,
                                  scheduler_thread_info& this_thread) {
  while (!stopped_) {
    operation* op = op_queue_.front();
    if (op == nullptr) {
      // Nothing to do: sleep until a post or stop() signals us.
      wakeup_signalled_ = false;
      ++idle_threads_;
      while (!wakeup_signalled_) wakeup_.wait(lock);
      --idle_threads_;
      continue;
    }
    op_queue_.pop();
    const bool more_handlers = !op_queue_.empty();
    if (op == &task_operation_) {
      // Block in epoll_wait only when no handler is waiting behind us; if one
      // is, hand it to another thread first.
      run_task(more_handlers ? 0 : -1, more_handlers, lock, this_thread);
      continue;
    }
    return complete_dequeued(op, more_handlers, lock, this_thread);
  }
  return 0;
}

std::size_t scheduler::do_wait_one(std::unique_lock<std::mutex>& lock,
                                   scheduler_thread_info& this_thread,
                                   long usec) {
  if (stopped_) return 0;
  operation* op = op_queue_.front();
  if (op == nullptr) {
    // Wait at most once, then take whatever is there.
    wakeup_signalled_ = false;
    ++idle_threads_;
    wakeup_.wait_for(lock, std::chrono::microseconds(usec));
    --idle_threads_;
    usec = 0;
    op = op_queue_.front();
  }
  if (op == &task_operation_) {
    op_queue_.pop();
    const bool more_handlers = !op_queue_.empty();
    run_task(more_handlers ? 0 : usec, more_handlers, lock, this_thread);
    op = op_queue_.front();
    if (op == &task_operation_) {
      // Only the sentinel came back: let another thread have the reactor.
      if (!one_thread_) maybe_unlock_and_signal_one(lock);
      return 0;
    }
  }
  if (op == nullptr) return 0;
  op_queue_.pop();
  return complete_dequeued(op, !op_queue_.empty(), lock, this_thread);
}

std::size_t scheduler::do_poll_one(std::unique_lock<std::mutex>& lock,
                                   scheduler_thread_info& this_thread) {
  if (stopped_) return 0;
  operation* op = op_queue_.front();
  if (op == &task_operation_) {
    // Poll never blocks, so it neither hands the queue to another thread nor
    // marks the reactor as needing an interrupt.
    op_queue_.pop();
    lock.unlock();
    {
      task_cleanup on_exit{this, &lock, &this_thread};
      task_->run(0, this_thread.private_op_queue);
    }
    op = op_queue_.front();
    if (op == &task_operation_) {
      maybe_unlock_and_signal_one(lock);
      return 0;
    }
  }
  if (op == nullptr) return 0;
  op_queue_.pop();
  return complete_dequeued(op, !op_queue_.empty(), lock, this_thread);
}

void scheduler::run_task(long usec, bool more_handlers,
                         std::unique_lock<std::mutex>& lock,
                         scheduler_thread_info& this_thread) {
  task_interrupted_ = more_handlers;
  if (more_handlers && !one_thread_) {
    wakeup_signalled_ = true;
    const bool have_waiters = idle_threads_ > 0;
    lock.unlock();
    if (have_waiters) wakeup_.notify_one();
  } else {
    lock.unlock();
  }
  task_cleanup on_exit{this, &lock, &this_thread};
  task_->run(usec, this_thread.private_op_queue);
}

std::size_t scheduler::complete_dequeued(operation* op, bool more_handlers,
                                         std::unique_lock<std::mutex>& lock,
                                         scheduler_thread_info& this_thread) {
  const std::size_t task_result = op->task_result_;
  if (more_handlers && !one_thread_)
    wake_one_thread_and_unlock(lock);
  else
    lock.unlock();
  // Settles work and the private queue even if the handler throws; the
  // exception then leaves run() with the rest of the queue intact.
  work_cleanup on_exit{this, &lock, &this_thread};
  op->complete(this, std::error_code(), task_result);
  this_thread.rethrow_pending_exception();
  return 1;
}

void scheduler::wake_one_thread_and_unlock(std::unique_lock<std::mutex>& lock) {
  if (!maybe_unlock_and_signal_one(lock)) {
    if (!task_interrupted_ && task_) {
      task_interrupted_ = true;
      task_->interrupt();
    }
    lock.unlock();
  }
}

bool scheduler::maybe_unlock_and_signal_one(std::unique_lock<std::mutex>& lock) {
  wakeup_signalled_ = true;
  if (idle_threads_ == 0) return false;
  lock.unlock();
  wakeup_.notify_one();
  return true;
}

void scheduler::stop_all_threads(std::unique_lock<std::mutex>&) {
  stopped_ = true;
  wakeup_signalled_ = true;
  wakeup_.notify_all();
  if (!task_interrupted_ && task_) {
    task_interrupted_ = true;
    task_->interrupt();
  }
}

}  // namespace twin::detail
