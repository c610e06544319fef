// twin::detail::scheduler — the engine behind io_context, shaped like Asio's.
//
// One mutex-protected FIFO of ready operations. While a reactor exists, the
// queue also holds a sentinel "task" operation: the thread that dequeues it
// runs the reactor (epoll_wait), blocking only when nothing else is queued,
// then puts the completions it gathered and the sentinel back at the end.
// Threads with nothing to do wait on a condition variable; a post wakes one
// idle thread, and interrupts the reactor only when no thread is idle.
//
// Each thread inside run() has a private queue and a private work count.
// Continuations (defer) and, with concurrency hint 1, every post from a run
// thread go there without taking the lock; they are flushed to the shared
// queue after the current handler returns.
//
// Outstanding work counts queued handlers plus work guards; when it drops to
// zero the scheduler stops and run() returns. It is counted under the
// queue's mutex.
//
// All members are safe to call from any thread unless noted.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <utility>

#include "twin/detail/call_stack.hpp"
#include "twin/detail/condition.hpp"
#include "twin/detail/mutex.hpp"
#include "twin/detail/op_queue.hpp"
#include "twin/detail/operation.hpp"

namespace twin::detail {

class epoll_reactor;

// Per-thread state of a thread inside run()/poll() of one scheduler.
struct scheduler_thread_info {
  // Posted by the running handler (defer, or any post under hint 1), and
  // the work they carry; published when the handler returns.
  op_queue<operation> private_op_queue;
  long private_outstanding_work = 0;

  // Hint 1 only: the handlers run() took from the shared queue in one go,
  // what the already-finished ones posted, and the work those changed (see
  // scheduler::run_batch).
  op_queue<operation> batch;
  op_queue<operation> batch_posted;
  long batch_work = 0;

  // An exception thrown by a handler that an executor ran inline (see
  // scheduler::capture_current_exception); a second one makes it a
  // multiple_exceptions. Rethrown once the current handler returns.
  std::exception_ptr pending_exception;
  int pending_exceptions = 0;

  void capture_current_exception();
  void rethrow_pending_exception() {
    if (pending_exceptions == 0) return;
    pending_exceptions = 0;
    std::rethrow_exception(std::exchange(pending_exception, nullptr));
  }
};

class scheduler {
public:
  using thread_call_stack = call_stack<scheduler, scheduler_thread_info>;

  // `concurrency_hint` == 1 promises a single run thread: enables the
  // lock-free private-queue path for every post from that thread, and lets
  // run() take the shared queue in batches (scheduler_batch.cpp) unless
  // `batch_runs` is false: a thread_pool of one thread, which attach() may
  // join, keeps Asio's hint-1 queueing but runs one handler at a time, so
  // that an attached thread can take what the busy one has not started.
  explicit scheduler(int concurrency_hint, bool batch_runs = true);

  // Destroys (without invoking) every handler still queued.
  ~scheduler();

  // Stops for good: destroys (without invoking) every handler still queued,
  // then the operations and timer waits pending in the reactor (which lives
  // on until the scheduler does). Called again, destroys what was queued
  // since. Not concurrently with anything else.
  void shutdown();

  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  // Runs handlers until stopped or out of work; returns how many ran.
  std::size_t run();
  // Runs at most one handler, blocking until one is ready.
  std::size_t run_one();
  // Runs at most one handler, waiting at most `timeout`.
  std::size_t wait_one(std::chrono::microseconds timeout);
  // Runs every handler that is ready without blocking.
  std::size_t poll();
  // Runs at most one ready handler without blocking.
  std::size_t poll_one();

  // Makes run() calls return as soon as possible; wakes every waiting thread.
  void stop();
  bool stopped() const;
  // Clears the stopped state so run() may be called again.
  void restart();

  // Counts one unit of outstanding work (a work guard, a pending operation).
  void work_started();
  // Releases one unit; stops the scheduler when none is left.
  void work_finished();

  // Counts one unit of work on the calling run thread, to offset the unit
  // the scheduler releases after a reactor handler that completed nothing.
  void compensating_work_started() noexcept {
    if (scheduler_thread_info* this_thread = thread_call_stack::contains(this))
      ++this_thread->private_outstanding_work;
  }

  // Keeps the exception being handled, to be rethrown by the run()/poll()
  // call of the calling thread once its current handler returns (what an
  // executor does with an exception of a function it ran inline). Call from
  // a catch block. Dropped when the caller is not a run thread.
  void capture_current_exception();

  // True when the calling thread is inside run()/poll() of this scheduler.
  bool can_dispatch() const noexcept { return thread_call_stack::contains(this) != nullptr; }

  // Queues a new operation (counting its work). A continuation (defer), or
  // any post under concurrency hint 1, from a run thread goes to that
  // thread's private queue.
  void post_immediate_completion(operation* op, bool is_continuation);

  // Queues an operation whose work is already counted (reactor and timer
  // completions).
  void post_deferred_completion(operation* op);
  void post_deferred_completions(op_queue<operation>& ops);

  // The reactor, created on first use; from then on the task sentinel is in
  // the queue and an idle run thread blocks in epoll_wait.
  epoll_reactor& reactor();

private:
  struct task_cleanup;
  struct work_cleanup;
  struct batch_cleanup;

  // Takes the lock, makes the calling thread a run thread of this scheduler
  // and calls `loop(lock, this_thread)`; 0 at once when there is no work.
  // A nested poll (`adopt_private`) sees its enclosing handler's posts.
  template <typename Loop>
  std::size_t enter(bool adopt_private, Loop loop);
  // run()/poll(): calls do_run_one/do_poll_one (`One`) until it runs
  // nothing; returns how many handlers ran.
  template <std::size_t (scheduler::*One)(std::unique_lock<mutex>&, scheduler_thread_info&)>
  std::size_t count_all(std::unique_lock<mutex>& lock, scheduler_thread_info& this_thread);
  // Counts one more handler; saturates rather than wraps, as Asio does.
  static void count_one(std::size_t& n) noexcept;
  // A handler's cleanup may already have re-taken the lock (to flush its
  // private queue); the loops re-take it only if not.
  static void relock(std::unique_lock<mutex>& lock);

  // The sentinel queued in place of the reactor; never completed.
  class task_operation final : public operation {
  public:
    task_operation() : operation(nullptr) {}
  };

  // The loop body shared by run(), run_one(), wait_one(), poll(), poll_one():
  // runs at most one handler; returns 0 when stopped or (for the non-blocking
  // forms) when nothing is ready.
  std::size_t do_run_one(std::unique_lock<mutex>& lock, scheduler_thread_info& this_thread);
  std::size_t do_wait_one(std::unique_lock<mutex>& lock, scheduler_thread_info& this_thread,
                          long usec);
  std::size_t do_poll_one(std::unique_lock<mutex>& lock, scheduler_thread_info& this_thread);

  // run() under hint 1: takes every queued handler at once and runs them
  // without touching the lock, settling the queue and the work count once
  // per batch instead of once per handler. When they are done, what they
  // posted runs on in the same batch, as long as nobody has pushed anything
  // onto the shared queue since the batch emptied it (so a chain of posts
  // takes no lock per hop). The order handlers run in, and
  // what stop() and nested run/poll calls see, are exactly as if they were
  // run one at a time. Falls back to do_run_one while a reactor exists (its
  // sentinel must keep its place). Lock held on entry and on exit.
  std::size_t run_batch(std::unique_lock<mutex>& lock, scheduler_thread_info& this_thread);
  // run() under hint 1: batch after batch until stopped or out of work;
  // returns how many handlers ran (scheduler_batch.cpp).
  std::size_t run_batches(std::unique_lock<mutex>& lock, scheduler_thread_info& this_thread);

  // Runs the handler `op` that was just dequeued (lock held on entry, released
  // before the handler runs). Returns 1.
  std::size_t complete_dequeued(operation* op, bool more_handlers, std::unique_lock<mutex>& lock,
                                scheduler_thread_info& this_thread);

  // Runs the reactor once with `usec` timeout (-1 = block). The sentinel has
  // been dequeued; the lock is held on entry and on exit. When handlers wait
  // behind the sentinel (`more_handlers`), another thread is woken for them
  // and the reactor is marked interrupted (it will not block).
  void run_task(long usec, bool more_handlers, std::unique_lock<mutex>& lock,
                scheduler_thread_info& this_thread);

  // Every push onto the shared queue goes through these (lock held). They
  // count the pushes (queue_pushes_), so that a hint-1 batch, which took the
  // whole queue, can tell without the lock that it is still empty.
  void enqueue(operation* op) {
    op_queue_.push(op);
    note_push();
  }
  void enqueue(op_queue<operation>& ops) {
    if (ops.empty()) return;
    op_queue_.push(ops);
    note_push();
  }
  void enqueue_front(op_queue<operation>& ops) {
    if (ops.empty()) return;
    op_queue_.push_front(ops);
    note_push();
  }
  // Queues `ops` (an operation* or a whole op_queue) whose work is already
  // counted: under hint 1 from a run thread on its private queue, else on
  // the shared queue, waking a thread. Defined in scheduler.cpp, its only user.
  template <typename Ops>
  void post_counted(Ops& ops);
  void note_push() noexcept {
    // Only ever written under mutex_: a plain increment, published by unlock.
    queue_pushes_.store(queue_pushes_.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
  }

  // Wakes one idle thread, or interrupts the reactor when none is idle; then
  // unlocks. Called with the lock held.
  void wake_one_thread_and_unlock(std::unique_lock<mutex>& lock);
  // Wakes one idle thread if any, releasing the lock; returns false (lock
  // still held) when no thread is waiting.
  bool maybe_unlock_and_signal_one(std::unique_lock<mutex>& lock);
  void stop_all_threads(std::unique_lock<mutex>& lock);
  // With no work left: stops (run() then returns 0) and says so. Lock held.
  bool out_of_work(std::unique_lock<mutex>& lock);
  // Hint 1, for a run/poll nested inside a handler of this scheduler: puts
  // the enclosing call's unrun batch back at the front of the shared queue
  // and what its finished handlers posted at the back, as one-at-a-time
  // running would have left them; a nested poll (`adopt_private`) also
  // takes the running handler's own posts, as Asio's does. Lock held.
  void adopt_outer_queues(const thread_call_stack::context& ctx, bool adopt_private);

  const bool one_thread_;  // concurrency hint 1
  const bool batch_runs_;  // run() under hint 1 takes the shared queue in batches

  mutable mutex mutex_{mutex::scheduler};
  condition wakeup_;
  int idle_threads_ = 0;           // threads waiting on wakeup_
  bool wakeup_signalled_ = false;  // a wake-up is pending; guards spurious ones

  op_queue<operation> op_queue_;
  task_operation task_operation_;
  std::unique_ptr<epoll_reactor> task_;  // created by reactor()
  bool task_interrupted_ = true;         // no need to interrupt the reactor
  // Written under mutex_; atomic so a batch can check it between handlers
  // without the lock.
  std::atomic<bool> stopped_{false};
  // How many times something was pushed onto op_queue_ (see enqueue).
  // Written under mutex_; read by a batch without it.
  std::atomic<unsigned long> queue_pushes_{0};
  bool shutdown_ = false;

  // Atomic, as Asio's: work_started/work_finished (an operation starting in
  // the reactor, a timer armed, a work guard) count without the lock — one
  // mutex round trip less per I/O operation and per timer wait. Everything
  // else changes it under mutex_ anyway; only reaching zero takes the lock
  // on its own, to stop the scheduler.
  std::atomic<long> outstanding_work_{0};
};

}  // namespace twin::detail
