#include "twin/detail/epoll_reactor.hpp"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "twin/detail/scheduler.hpp"
#include "twin/detail/syscall.hpp"
#include "twin/error.hpp"

namespace twin::detail {

static_assert(EPOLLIN == 0x001 && EPOLLPRI == 0x002 && EPOLLOUT == 0x004,
              "epoll event bits are passed through the scheduler as a task result");

namespace {

constexpr int max_events = 128;

// Every registered descriptor starts like this: input, errors, hang-ups
// (EPOLLRDHUP: the peer's FIN, see descriptor_state::read_hup_) and urgent
// data, edge-triggered. EPOLLOUT joins only when a write blocks.
constexpr std::uint32_t initial_events =
    EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP | EPOLLPRI | EPOLLET;

epoll_event make_event(std::uint32_t events, void* tag) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = tag;
  return ev;
}

}  // namespace

epoll_reactor::epoll_reactor(scheduler& owner)
    : scheduler_(owner),
      epoll_fd_(throw_on_error(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      timer_fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) {
  if (timer_fd_ == -1) {
    const std::error_code ec = last_error();
    ::close(epoll_fd_);
    throw std::system_error(ec, "timerfd_create");
  }
  add_interrupter_and_timer();
}

epoll_reactor::~epoll_reactor() {
  shutdown();
  ::close(timer_fd_);
  ::close(epoll_fd_);
}

void epoll_reactor::shutdown() {
  // Nothing pending may run, but everything must be freed.
  op_queue<operation> abandoned;
  {
    std::lock_guard lock(registry_mutex_);
    for (auto& state : states_) {
      std::lock_guard state_lock(state->mutex_);
      for (auto& queue : state->op_queue_) abandoned.push(queue);
      state->shutdown_ = true;
    }
  }
  {
    std::lock_guard lock(timer_mutex_);
    timers_.get_all_timers(abandoned);
    for (auto& entry : clock_queues_) entry.second->get_all_timers(abandoned);
  }
}  // `abandoned` destroys the operations, the reactor still whole

void epoll_reactor::add_interrupter_and_timer() {
  epoll_event ev = make_event(EPOLLIN | EPOLLERR | EPOLLET, &interrupter_);
  throw_on_error(::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, interrupter_.descriptor(), &ev),
                 "epoll_ctl");
  // Level-triggered: re-arming with timerfd_settime clears its readiness.
  ev = make_event(EPOLLIN | EPOLLERR, &timer_fd_);
  throw_on_error(::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &ev), "epoll_ctl");
}

std::error_code epoll_reactor::register_descriptor(int descriptor, descriptor_state*& data) {
  {
    std::lock_guard lock(registry_mutex_);
    if (free_states_) {
      data = free_states_;
      free_states_ = data->next_free_;
    } else {
      states_.push_back(std::make_unique<descriptor_state>(*this));
      data = states_.back().get();
    }
  }
  std::error_code ec;
  {
    std::lock_guard lock(data->mutex_);
    data->descriptor_ = descriptor;
    data->shutdown_ = false;
    data->read_hup_ = false;
    data->next_free_ = nullptr;
    for (bool& speculative : data->try_speculative_) speculative = true;
    data->registered_events_ = initial_events;
    epoll_event ev = make_event(initial_events, data);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, descriptor, &ev) != 0) {
      // Regular files cannot be polled: ops on them are then refused with
      // operation_not_supported rather than waiting forever.
      if (errno == EPERM)
        data->registered_events_ = 0;
      else
        ec = last_error();
    }
  }
  // A refused descriptor gives its state back: the caller keeps nothing to
  // clean up. (After the state's lock: the registry's ranks before it.)
  if (ec) cleanup_descriptor_data(data);
  return ec;
}

std::error_code epoll_reactor::register_internal_descriptor(int op_type, int descriptor,
                                                            descriptor_state*& data,
                                                            reactor_op* op) {
  if (const std::error_code ec = register_descriptor(descriptor, data)) return ec;
  // No work_started(): the op waits as long as the reactor lives, and a
  // context with nothing else to do must still run out of work.
  std::lock_guard lock(data->mutex_);
  data->op_queue_[op_type].push(op);
  return {};
}

void epoll_reactor::deregister_internal_descriptor(int descriptor, descriptor_state*& data,
                                                   op_queue<operation>& ops) {
  // Its op is handed back as it is, neither run nor aborted.
  if (retire_descriptor(descriptor, data, /*unwatch=*/true, /*abort=*/false, ops))
    cleanup_descriptor_data(data);
}

void epoll_reactor::start_op(int op_type, int descriptor, descriptor_state*& data, reactor_op* op,
                             bool is_continuation, bool allow_speculative) {
  if (data == nullptr) {
    op->ec_ = error::bad_descriptor;
  } else {
    std::lock_guard lock(data->mutex_);
    if (!must_complete_now(op_type, descriptor, *data, op, allow_speculative)) return;
  }
  // The one exit for an op that will not wait: done, or failed (its ec_
  // says which). Posted after the descriptor's lock is released.
  scheduler_.post_immediate_completion(op, is_continuation);
}

bool epoll_reactor::must_complete_now(int op_type, int descriptor, descriptor_state& state,
                                      reactor_op* op, bool allow_speculative) {
  state.mutex_.assert_held();
  // Shutting down: the op completes (its result untouched) instead of
  // waiting for a reactor that will never run again.
  if (state.shutdown_) return true;
  op_queue<reactor_op>& queue = state.op_queue_[op_type];
  if (!queue.empty()) {
    // Behind another op of its kind: it waits its turn, already armed for.
    queue.push(op);
    scheduler_.work_started();
    return false;
  }
  // A read must not overtake pending out-of-band data.
  const bool speculative =
      allow_speculative && (op_type != descriptor_state::read_op ||
                            state.op_queue_[descriptor_state::except_op].empty());
  if (speculative && state.try_speculative_[op_type]) {
    if (const reactor_op::status status = op->perform()) {
      if (status == reactor_op::done_and_exhausted && state.registered_events_ != 0)
        state.try_speculative_[op_type] = !state.may_skip_speculation(op_type);
      return true;
    }
  }
  // Regular files cannot be polled (see register_descriptor).
  if (state.registered_events_ == 0) {
    op->ec_ = error::operation_not_supported;
    return true;
  }
  // The op will wait for an edge. A write that would block needs EPOLLOUT,
  // watched only from now on. An op that did not try at once must have the
  // registration re-armed, so that readiness already there is reported
  // again (edge-triggered epoll reports only changes).
  const bool needs_epollout =
      op_type == descriptor_state::write_op && !(state.registered_events_ & EPOLLOUT);
  if (!speculative || needs_epollout) {
    std::uint32_t events = state.registered_events_;
    if (op_type == descriptor_state::write_op) events |= EPOLLOUT;
    epoll_event ev = make_event(events, &state);
    const std::error_code ec = error_of(::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, descriptor, &ev));
    if (ec) {
      op->ec_ = ec;
      return true;
    }
    state.registered_events_ = events;
  }
  queue.push(op);
  scheduler_.work_started();
  return false;
}

void epoll_reactor::cancel_ops(descriptor_state*& data) {
  if (data == nullptr) return;
  op_queue<operation> ops;
  {
    std::lock_guard lock(data->mutex_);
    abort_pending_ops(*data, ops);
  }
  scheduler_.post_deferred_completions(ops);
}

void epoll_reactor::deregister_descriptor(int descriptor, descriptor_state*& data, bool closing) {
  op_queue<operation> ops;
  // close() removes the descriptor from epoll by itself.
  if (retire_descriptor(descriptor, data, /*unwatch=*/!closing, /*abort=*/true, ops))
    scheduler_.post_deferred_completions(ops);
}

bool epoll_reactor::retire_descriptor(int descriptor, descriptor_state*& data, bool unwatch,
                                      bool abort, op_queue<operation>& ops) {
  if (data == nullptr) return false;
  std::lock_guard lock(data->mutex_);
  if (data->shutdown_) {
    // The reactor shut down first: it destroyed the ops and owns the state.
    data = nullptr;
    return false;
  }
  if (unwatch && data->registered_events_ != 0) {
    // Failure leaves nothing to undo: the descriptor is forgotten below
    // either way, and an event still reported for it finds no ops.
    epoll_event ev{};
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, descriptor, &ev);
  }
  if (abort)
    abort_pending_ops(*data, ops);
  else
    for (auto& queue : data->op_queue_) ops.push(queue);
  data->descriptor_ = -1;
  data->shutdown_ = true;
  return true;
}

void epoll_reactor::abort_pending_ops(descriptor_state& state, op_queue<operation>& ops) {
  state.mutex_.assert_held();
  for (auto& queue : state.op_queue_) {
    while (reactor_op* op = queue.front()) {
      op->ec_ = error::operation_aborted;
      queue.pop();
      ops.push(op);
    }
  }
}

void epoll_reactor::cleanup_descriptor_data(descriptor_state*& data) {
  if (data == nullptr) return;
  std::lock_guard lock(registry_mutex_);
  data->next_free_ = free_states_;
  free_states_ = data;
  data = nullptr;
}

void epoll_reactor::earliest_deadline_changed() {
  timer_mutex_.assert_held();
  timeout_stale_.store(true);
  if (blocking_.load()) update_timeout();
}

void epoll_reactor::update_timeout() {
  timer_mutex_.assert_held();
  // usec == 0 means "already due": an absolute expiry of 1 ns fires at once
  // (a zero it_value would disarm the timer instead).
  long usec = timers_.wait_duration_usec(5 * 60 * 1000 * 1000L);
  for (auto& entry : clock_queues_) usec = entry.second->wait_duration_usec(usec);
  itimerspec spec{};
  spec.it_value.tv_sec = usec / 1000000;
  spec.it_value.tv_nsec = usec ? (usec % 1000000) * 1000 : 1;
  // Cannot fail with a valid timerfd and a non-negative it_value.
  ::timerfd_settime(timer_fd_, usec ? 0 : TFD_TIMER_ABSTIME, &spec, nullptr);
  timeout_stale_.store(false, std::memory_order_relaxed);
}

void epoll_reactor::interrupt() {
  // As in Asio, a failure is not reported: the epoll instance and the
  // eventfd live as long as the reactor, so EPOLL_CTL_MOD can only fail for
  // want of kernel memory, and then the next wake-up still comes.
  epoll_event ev = make_event(EPOLLIN | EPOLLERR | EPOLLET, &interrupter_);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, interrupter_.descriptor(), &ev);
}

void epoll_reactor::run(long usec, op_queue<operation>& ops) {
  // Round up: a timeout shorter than a millisecond must not become a poll.
  const int timeout = usec < 0 ? -1 : usec == 0 ? 0 : static_cast<int>((usec - 1) / 1000 + 1);
  // Arm the timerfd for what changed since the last run (see
  // earliest_deadline_changed). Announce a blocking wait first, so that a
  // deadline set from now on re-arms it directly.
  if (timeout != 0) blocking_.store(true);
  if (timeout_stale_.load()) {
    std::lock_guard lock(timer_mutex_);
    if (timeout_stale_.load(std::memory_order_relaxed)) update_timeout();
  }
  epoll_event events[max_events];
  const int n = ::epoll_wait(epoll_fd_, events, max_events, timeout);
  if (timeout != 0) blocking_.store(false, std::memory_order_relaxed);
  // n == -1 (EINTR) is an empty wake-up: the scheduler simply loops.

  bool check_timers = false;
  for (int i = 0; i < n; ++i) {
    void* tag = events[i].data.ptr;
    if (tag == &interrupter_) {
      // Nothing to reset: the eventfd stays readable and only the next
      // EPOLL_CTL_MOD will report it again.
      continue;
    }
    if (tag == &timer_fd_) {
      check_timers = true;
      continue;
    }
    // The I/O itself is done by whichever thread dequeues the state.
    auto* data = static_cast<descriptor_state*>(tag);
    if (ops.is_enqueued(data)) {
      data->task_result_ |= events[i].events;
    } else {
      data->task_result_ = events[i].events;
      ops.push(data);
    }
  }

  if (check_timers) {
    std::lock_guard lock(timer_mutex_);
    timers_.get_ready_timers(ops);
    for (auto& entry : clock_queues_) entry.second->get_ready_timers(ops);
    // Re-armed by the next run() (which also clears the timerfd's
    // readiness), or at once if a deadline is set while it blocks.
    timeout_stale_.store(true, std::memory_order_relaxed);
  }
}

void epoll_reactor::recreate_after_fork() {
  ::close(epoll_fd_);
  ::close(timer_fd_);
  epoll_fd_ = throw_on_error(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
  timer_fd_ = throw_on_error(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK),
                             "timerfd_create");
  interrupter_.recreate();
  add_interrupter_and_timer();
  {
    std::lock_guard lock(timer_mutex_);
    update_timeout();
  }
  std::lock_guard lock(registry_mutex_);
  for (auto& state : states_) {
    std::lock_guard state_lock(state->mutex_);
    if (state->descriptor_ == -1 || state->registered_events_ == 0) continue;
    epoll_event ev = make_event(state->registered_events_, state.get());
    throw_on_error(::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, state->descriptor_, &ev), "epoll_ctl");
  }
}

// ---- descriptor_state -----------------------------------------------------

operation* descriptor_state::perform_io(std::uint32_t events) {
  op_queue<operation> completed;
  {
    std::lock_guard lock(mutex_);
    // Except, then write, then read: the order Asio uses.
    static constexpr std::uint32_t flag[max_ops] = {EPOLLIN, EPOLLOUT, EPOLLPRI};
    if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_hup_ = true;
    for (int j = max_ops - 1; j >= 0; --j) {
      if (!(events & (flag[j] | EPOLLERR | EPOLLHUP))) continue;
      try_speculative_[j] = true;
      while (reactor_op* op = op_queue_[j].front()) {
        const reactor_op::status status = op->perform();
        if (status == reactor_op::not_done) break;
        op_queue_[j].pop();
        completed.push(op);
        // A drained buffer ends this pass: the next op waits for the next
        // edge. After the peer's FIN no edge comes again, so the ops behind
        // a short read go on (they see what is left, then the end) — but,
        // as in Asio, not those behind a read that met the end itself
        // (0 bytes): Asio leaves them waiting for a cancel or a close.
        if (status == reactor_op::done_and_exhausted) {
          const bool ends_pass = may_skip_speculation(j) || op->bytes_transferred_ == 0;
          if (ends_pass) {
            try_speculative_[j] = !may_skip_speculation(j);
            break;
          }
        }
      }
    }
  }
  scheduler& sched = reactor_->scheduler_;
  operation* first = completed.front();
  if (first == nullptr) {
    // Nothing completed, but the scheduler will count this state as a
    // finished handler: give it a unit of work to finish.
    sched.compensating_work_started();
    return nullptr;
  }
  completed.pop();
  sched.post_deferred_completions(completed);
  return first;
}

void descriptor_state::do_complete(void* owner, operation* base, const std::error_code& ec,
                                   std::size_t events) {
  // A null owner (shutdown) frees nothing: the reactor owns the state.
  if (owner == nullptr) return;
  auto* self = static_cast<descriptor_state*>(base);
  if (operation* op = self->perform_io(static_cast<std::uint32_t>(events)))
    op->complete(owner, ec, 0);
}

}  // namespace twin::detail
