// The scheduler's loop. The comments here say why the order of steps is what
// it is; the contracts are in scheduler.hpp.
#include "twin/detail/scheduler.hpp"

#include <limits>

#include "twin/detail/epoll_reactor.hpp"
#include "twin/multiple_exceptions.hpp"

namespace twin::detail {

void scheduler::count_one(std::size_t& n) noexcept {
  if (n != std::numeric_limits<std::size_t>::max()) ++n;
}

void scheduler::relock(std::unique_lock<mutex>& lock) {
  if (!lock.owns_lock()) lock.lock();
}

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
  std::unique_lock<mutex>* lock;
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
  std::unique_lock<mutex>* lock;
  scheduler_thread_info* this_thread;
};

scheduler::scheduler(int concurrency_hint, bool batch_runs)
    : one_thread_(concurrency_hint == 1), batch_runs_(one_thread_ && batch_runs) {}

scheduler::~scheduler() {
  shutdown();
  task_.reset();
}

void scheduler::shutdown() {
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
  // The reactor itself lives on until the scheduler does: objects of
  // services destroyed after this still refer to it.
  if (task_) task_->shutdown();
}

// Every way into the loop starts alike: return at once when there is no
// work, else make the calling thread a run thread of this scheduler (its
// private state, found through the call stack) for the duration of `loop`.
template <typename Loop>
std::size_t scheduler::enter(bool adopt_private, Loop loop) {
  std::unique_lock lock(mutex_);
  if (out_of_work(lock)) return 0;
  scheduler_thread_info this_thread;
  thread_call_stack::context ctx(this, this_thread);
  adopt_outer_queues(ctx, adopt_private);
  return loop(lock, this_thread);
}

// Calls `one` until it runs nothing; returns how many handlers it ran.
template <std::size_t (scheduler::*One)(std::unique_lock<mutex>&, scheduler_thread_info&)>
std::size_t scheduler::count_all(std::unique_lock<mutex>& lock,
                                 scheduler_thread_info& this_thread) {
  std::size_t n = 0;
  for (; (this->*One)(lock, this_thread); relock(lock)) count_one(n);
  return n;
}

std::size_t scheduler::run() {
  return enter(false, [this](std::unique_lock<mutex>& lock, scheduler_thread_info& t) {
    return batch_runs_ ? run_batches(lock, t) : count_all<&scheduler::do_run_one>(lock, t);
  });
}

std::size_t scheduler::run_one() {
  return enter(false, [this](std::unique_lock<mutex>& lock, scheduler_thread_info& t) {
    return do_run_one(lock, t);
  });
}

std::size_t scheduler::wait_one(std::chrono::microseconds timeout) {
  return enter(false, [&](std::unique_lock<mutex>& lock, scheduler_thread_info& t) {
    return do_wait_one(lock, t, static_cast<long>(timeout.count()));
  });
}

std::size_t scheduler::poll() {
  return enter(true, [this](std::unique_lock<mutex>& lock, scheduler_thread_info& t) {
    return count_all<&scheduler::do_poll_one>(lock, t);
  });
}

std::size_t scheduler::poll_one() {
  return enter(true, [this](std::unique_lock<mutex>& lock, scheduler_thread_info& t) {
    return do_poll_one(lock, t);
  });
}

bool scheduler::out_of_work(std::unique_lock<mutex>& lock) {
  assert_owns(lock);
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

void scheduler::work_started() { outstanding_work_.fetch_add(1, std::memory_order_relaxed); }

void scheduler::work_finished() {
  if (outstanding_work_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    std::unique_lock lock(mutex_);
    stop_all_threads(lock);
  }
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

void scheduler::post_immediate_completion(operation* op, bool is_continuation) {
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

template <typename Ops>
void scheduler::post_counted(Ops& ops) {
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

void scheduler::post_deferred_completion(operation* op) { post_counted(op); }

void scheduler::post_deferred_completions(op_queue<operation>& ops) {
  if (ops.empty()) return;
  post_counted(ops);
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

std::size_t scheduler::do_run_one(std::unique_lock<mutex>& lock,
                                  scheduler_thread_info& this_thread) {
  assert_owns(lock);
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

std::size_t scheduler::do_wait_one(std::unique_lock<mutex>& lock,
                                   scheduler_thread_info& this_thread, long usec) {
  assert_owns(lock);
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

std::size_t scheduler::do_poll_one(std::unique_lock<mutex>& lock,
                                   scheduler_thread_info& this_thread) {
  assert_owns(lock);
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

void scheduler::run_task(long usec, bool more_handlers, std::unique_lock<mutex>& lock,
                         scheduler_thread_info& this_thread) {
  assert_owns(lock);
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
                                         std::unique_lock<mutex>& lock,
                                         scheduler_thread_info& this_thread) {
  assert_owns(lock);
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

void scheduler::wake_one_thread_and_unlock(std::unique_lock<mutex>& lock) {
  assert_owns(lock);
  if (!maybe_unlock_and_signal_one(lock)) {
    if (!task_interrupted_ && task_) {
      task_interrupted_ = true;
      task_->interrupt();
    }
    lock.unlock();
  }
}

bool scheduler::maybe_unlock_and_signal_one(std::unique_lock<mutex>& lock) {
  assert_owns(lock);
  wakeup_signalled_ = true;
  if (idle_threads_ == 0) return false;
  lock.unlock();
  wakeup_.notify_one();
  return true;
}

void scheduler::stop_all_threads(std::unique_lock<mutex>& lock) {
  assert_owns(lock);
  stopped_ = true;
  wakeup_signalled_ = true;
  wakeup_.notify_all();
  if (!task_interrupted_ && task_) {
    task_interrupted_ = true;
    task_->interrupt();
  }
}

}  // namespace twin::detail
