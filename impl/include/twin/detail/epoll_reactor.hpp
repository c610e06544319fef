// twin::detail::epoll_reactor — the scheduler's task: waits for readiness
// with epoll, and owns the registered descriptors and the timers.
//
// Descriptors are registered once, edge-triggered, for input; EPOLLOUT is
// added only after a write would have blocked. A new operation is first
// tried at once ("speculatively") when nothing is queued ahead of it; only
// if it would block does it wait in its descriptor's queue. Timers live in
// one heap per clock (timer_queue.hpp), all behind one timerfd. Unlike
// Asio, which re-arms the timerfd with a system call whenever the earliest
// deadline changes, twin re-arms it only when it must: at once if a thread
// is blocked in epoll_wait, else just before the next epoll_wait — so
// arming and cancelling timers between two reactor runs costs no system
// call each. An eventfd interrupter wakes a blocked epoll_wait.
//
// run() is called only by the thread holding the scheduler's task
// sentinel; every other member is safe to call from any thread. The lock
// order (registry, then a descriptor's state, then the scheduler; timers,
// then the scheduler) is in mutex.hpp and checked in checking builds.
#pragma once

#include <atomic>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "twin/detail/descriptor_state.hpp"
#include "twin/detail/eventfd_interrupter.hpp"
#include "twin/detail/mutex.hpp"
#include "twin/detail/op_queue.hpp"
#include "twin/detail/reactor_op.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/detail/timer_queue.hpp"

namespace twin::detail {

class epoll_reactor {
public:
  // Creates the epoll instance, the interrupter and the timerfd.
  // Throws std::system_error on failure.
  explicit epoll_reactor(scheduler& owner);
  // Shuts down (if not yet done), then closes its descriptors.
  ~epoll_reactor();
  epoll_reactor(const epoll_reactor&) = delete;
  epoll_reactor& operator=(const epoll_reactor&) = delete;

  scheduler& owner() noexcept { return scheduler_; }

  // Destroys (without invoking) every pending operation and timer wait. The
  // reactor stays usable memory for the objects that still refer to it (a
  // service's socket or timer, destroyed later): their descriptors are
  // marked shut down, and a cancel finds nothing to cancel. Not
  // concurrently with run().
  void shutdown();

  // Registers `descriptor` (edge-triggered, input and errors) and gives it
  // a descriptor_state in `data`; on failure `data` stays null.
  std::error_code register_descriptor(int descriptor, descriptor_state*& data);

  // Starts `op` of kind `op_type` (descriptor_state::read_op, ...): at once
  // if `allow_speculative` and nothing is queued ahead of it and it does not
  // block, else when the descriptor becomes ready. The op counts as work.
  void start_op(int op_type, int descriptor, descriptor_state*& data, reactor_op* op,
                bool is_continuation, bool allow_speculative);

  // Registers a descriptor of twin's own (the signal pipe) with `op`
  // waiting on it for good: `op` is performed on every readiness and must
  // keep returning not_done. It counts as no work, so run() still returns
  // when nothing else is pending.
  std::error_code register_internal_descriptor(int op_type, int descriptor, descriptor_state*& data,
                                               reactor_op* op);

  // Stops watching a descriptor registered with register_internal_descriptor
  // and moves its op to `ops`, neither run nor aborted (the caller destroys
  // it); then returns the state to the pool.
  void deregister_internal_descriptor(int descriptor, descriptor_state*& data,
                                      op_queue<operation>& ops);

  // Completes every pending op of the descriptor with operation_aborted.
  void cancel_ops(descriptor_state*& data);

  // Aborts the descriptor's pending ops (operation_aborted) and stops
  // watching it; `closing` means the caller is about to close() it, which
  // removes it from epoll by itself.
  void deregister_descriptor(int descriptor, descriptor_state*& data, bool closing);

  // Returns the descriptor_state to the pool; `data` becomes null.
  void cleanup_descriptor_data(descriptor_state*& data);

  // The queue of timers on `Clock` (with `WaitTraits`): the reactor's own
  // for the steady clock, one made on first use for any other clock. Lives
  // as long as the reactor.
  template <typename Clock, typename WaitTraits>
  basic_timer_queue<Clock, WaitTraits>& timer_queue_for();

  // Adds a wait on `timer` in `queue`, due at `deadline`; it counts as work.
  template <typename Queue>
  void schedule_timer(Queue& queue, typename Queue::per_timer_data& timer,
                      typename Queue::time_point deadline, wait_op* op);

  // Cancels up to `max` waits on `timer` (operation_aborted); returns how many.
  template <typename Queue>
  std::size_t cancel_timer(Queue& queue, typename Queue::per_timer_data& timer,
                           std::size_t max = std::numeric_limits<std::size_t>::max());

  // Transfers `source`'s waits to `target` (a timer object being moved).
  template <typename Queue>
  void move_timer(Queue& queue, typename Queue::per_timer_data& target,
                  typename Queue::per_timer_data& source);

  // Waits up to `usec` microseconds (-1: until interrupted) and appends what
  // became ready — descriptor states and expired timer waits — to `ops`.
  void run(long usec, op_queue<operation>& ops);

  // Makes a blocked (or the next) run() return promptly.
  void interrupt();

  // In a forked child: a new epoll instance, interrupter and timerfd, with
  // every descriptor registered again.
  void recreate_after_fork();

private:
  friend class descriptor_state;

  void add_interrupter_and_timer();
  // start_op's decision, under the descriptor's lock: queues `op` (and
  // counts its work) and returns false, or returns true when it must
  // complete at once — performed speculatively, or failed (op->ec_).
  bool must_complete_now(int op_type, int descriptor, descriptor_state& state, reactor_op* op,
                         bool allow_speculative);
  // Moves every pending op of `state` to `ops`, with operation_aborted.
  // Descriptor lock held.
  static void abort_pending_ops(descriptor_state& state, op_queue<operation>& ops);

  // The step both deregistrations share: under the state's lock, stops
  // watching the descriptor (when `unwatch`), moves its pending ops to `ops`
  // (aborted with operation_aborted when `abort`) and marks it shut down.
  // False, with `data` null, when there was nothing to retire or the
  // reactor shut down first and owns the state.
  bool retire_descriptor(int descriptor, descriptor_state*& data, bool unwatch, bool abort,
                         op_queue<operation>& ops);
  // Re-arms the timerfd for the earliest deadline. Timer mutex held.
  void update_timeout();
  // The earliest deadline changed: re-arms the timerfd now if run() is
  // blocked in epoll_wait, otherwise leaves it to the next run(). Timer
  // mutex held.
  void earliest_deadline_changed();

  scheduler& scheduler_;
  int epoll_fd_;
  int timer_fd_;
  eventfd_interrupter interrupter_;

  mutex timer_mutex_{mutex::timers};
  timer_queue timers_;  // guarded by timer_mutex_
  // The queues of the other clocks, each with the address of its key
  // (queue_key); guarded by timer_mutex_.
  std::vector<std::pair<const void*, std::unique_ptr<timer_queue_base>>> clock_queues_;
  template <typename Queue>
  static inline const char queue_key = 0;
  // The timerfd does not match the earliest deadline (set under
  // timer_mutex_), and run() is in a blocking epoll_wait. Each side sets its
  // own flag and then reads the other's, both sequentially consistent, so at
  // least one of them sees the other and re-arms: a deadline is never missed
  // by a thread that blocks.
  std::atomic<bool> timeout_stale_{false};
  std::atomic<bool> blocking_{false};

  // Every descriptor_state ever made; freed ones are reused, never deleted
  // before the reactor is: a state may still sit in the scheduler's queue
  // after its descriptor was closed, and must stay valid memory.
  mutex registry_mutex_{mutex::registry};
  std::vector<std::unique_ptr<descriptor_state>> states_;  // guarded
  descriptor_state* free_states_ = nullptr;                // guarded
};

template <typename Clock, typename WaitTraits>
basic_timer_queue<Clock, WaitTraits>& epoll_reactor::timer_queue_for() {
  using queue = basic_timer_queue<Clock, WaitTraits>;
  if constexpr (std::is_same_v<queue, timer_queue>) {
    return timers_;
  } else {
    std::lock_guard lock(timer_mutex_);
    for (auto& [key, q] : clock_queues_)
      if (key == &queue_key<queue>) return static_cast<queue&>(*q);
    clock_queues_.emplace_back(&queue_key<queue>, std::make_unique<queue>());
    return static_cast<queue&>(*clock_queues_.back().second);
  }
}

template <typename Queue>
void epoll_reactor::schedule_timer(Queue& queue, typename Queue::per_timer_data& timer,
                                   typename Queue::time_point deadline, wait_op* op) {
  std::lock_guard lock(timer_mutex_);
  const bool earliest = queue.enqueue_timer(deadline, timer, op);
  scheduler_.work_started();
  if (earliest) earliest_deadline_changed();
}

template <typename Queue>
std::size_t epoll_reactor::cancel_timer(Queue& queue, typename Queue::per_timer_data& timer,
                                        std::size_t max) {
  op_queue<operation> ops;
  std::size_t n;
  {
    std::lock_guard lock(timer_mutex_);
    n = queue.cancel_timer(timer, ops, max);
  }
  scheduler_.post_deferred_completions(ops);
  return n;
}

template <typename Queue>
void epoll_reactor::move_timer(Queue& queue, typename Queue::per_timer_data& target,
                               typename Queue::per_timer_data& source) {
  op_queue<operation> ops;
  {
    std::lock_guard lock(timer_mutex_);
    queue.cancel_timer(target, ops);
    queue.move_timer(target, source);
  }
  scheduler_.post_deferred_completions(ops);
}

}  // namespace twin::detail
