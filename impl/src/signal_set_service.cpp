#include "twin/detail/signal_set_service.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>

#include "twin/detail/epoll_reactor.hpp"
#include "twin/detail/mutex.hpp"
#include "twin/detail/reactor_op.hpp"
#include "twin/detail/reactor_service.hpp"
#include "twin/detail/syscall.hpp"
#include "twin/error.hpp"

namespace twin::detail {

struct signal_set_service::registration {
  int signal_number_ = 0;
  op_queue<signal_op>* queue_ = nullptr;   // the set's pending waits
  std::size_t undelivered_ = 0;            // arrived while the set had no wait
  registration* next_in_set_ = nullptr;    // the set's list, by signal number
  registration* next_in_table_ = nullptr;  // the service's list for this signal
  registration* prev_in_table_ = nullptr;
};

namespace {

// What the whole process shares: the pipe, the services, and how many
// registrations each signal has (its handler is installed while any do).
struct signal_state {
  mutex lock{mutex::signals};
  int read_descriptor = -1;
  pid_t pipe_owner = 0;                    // the process that made the pipe (see notify_fork)
  signal_set_service* services = nullptr;  // newest first
  std::size_t registration_count[signal_set_service::max_signal_number] = {};
};

signal_state& state() {
  static signal_state the_state;
  return the_state;
}

// The pipe's write end, read by the signal handler: an atomic of static
// storage (constant-initialized), so the handler touches no lazily made
// object and no lock — both unsafe in a signal handler.
std::atomic<int> write_descriptor{-1};

extern "C" void twin_signal_handler(int signal_number) {
  // Only async-signal-safe calls; errno is the interrupted code's.
  const int saved_errno = errno;
  const int fd = write_descriptor.load(std::memory_order_relaxed);
  if (fd != -1) [[maybe_unused]]
    const auto written = ::write(fd, &signal_number, sizeof signal_number);
  errno = saved_errno;
}

std::error_code set_action(int signal_number, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  // Every signal blocked while the handler runs: its writes never interleave.
  ::sigfillset(&action.sa_mask);
  return error_of(::sigaction(signal_number, &action, nullptr));
}

// Opens the process's pipe (signals lock held). Non-blocking on both ends:
// a full pipe drops a signal rather than hanging the handler, and the
// reader drains it until it would block.
void open_pipe() {
  int fds[2];
  throw_on_error(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), "pipe2");
  state().read_descriptor = fds[0];
  state().pipe_owner = ::getpid();
  write_descriptor.store(fds[1], std::memory_order_relaxed);
}

void close_pipe() {
  ::close(state().read_descriptor);
  ::close(write_descriptor.exchange(-1, std::memory_order_relaxed));
  state().read_descriptor = -1;
}

bool valid(int signal_number) {
  return signal_number >= 0 && signal_number < signal_set_service::max_signal_number;
}

}  // namespace

// Waits on the pipe for as long as the service watches it: each readiness,
// it reads every signal number there and delivers them. Never done.
class signal_set_service::pipe_read_op final : public reactor_op {
public:
  pipe_read_op() : reactor_op(&do_perform, &do_complete) {}

private:
  static status do_perform(reactor_op*) {
    int signal_number = 0;
    while (::read(state().read_descriptor, &signal_number, sizeof signal_number) ==
           sizeof signal_number) {
      if (valid(signal_number)) deliver_signal(signal_number);
    }
    return not_done;
  }
  // Reached only when the reactor destroys it (shutdown).
  static void do_complete(void*, operation* base, const std::error_code&, std::size_t) {
    delete static_cast<pipe_read_op*>(base);
  }
};

signal_set_service::signal_set_service(::twin::execution_context& owner, scheduler& s,
                                       epoll_reactor& reactor)
    : ::twin::execution_context::service(owner), scheduler_(s), reactor_(reactor) {
  {
    std::lock_guard lock(state().lock);
    if (state().services == nullptr) open_pipe();
    next_ = state().services;
    if (next_) next_->prev_ = this;
    state().services = this;
    listed_ = true;
  }
  // Outside the signals lock, which ranks below the reactor's registry.
  // While this service is listed the pipe stays open.
  watch_pipe();
}

signal_set_service::~signal_set_service() { unlist(); }

void signal_set_service::unlist() {
  unwatch_pipe();
  std::lock_guard lock(state().lock);
  if (!listed_) return;
  (prev_ ? prev_->next_ : state().services) = next_;
  if (next_) next_->prev_ = prev_;
  prev_ = next_ = nullptr;
  listed_ = false;
  if (state().services == nullptr) close_pipe();
}

void signal_set_service::watch_pipe() {
  int descriptor;
  {
    std::lock_guard lock(state().lock);
    descriptor = state().read_descriptor;
  }
  auto* op = new pipe_read_op;
  if (const std::error_code ec = reactor_.register_internal_descriptor(
          descriptor_state::read_op, descriptor, pipe_state_, op)) {
    delete op;
    throw std::system_error(ec, "signal_set_service: watching the signal pipe");
  }
  watched_descriptor_ = descriptor;
}

void signal_set_service::unwatch_pipe() {
  if (watched_descriptor_ == -1) return;
  op_queue<operation> ops;  // the pipe_read_op, destroyed on leaving
  reactor_.deregister_internal_descriptor(watched_descriptor_, pipe_state_, ops);
  watched_descriptor_ = -1;
}

void signal_set_service::shutdown() {
  // No signal reaches this context any more.
  unlist();
  op_queue<operation> abandoned;  // destroyed, not run, after the lock
  std::lock_guard lock(state().lock);
  for (registration* first : registrations_)
    for (registration* reg = first; reg; reg = reg->next_in_table_) abandoned.push(*reg->queue_);
}

void signal_set_service::notify_fork(::twin::execution_context::fork_event event) {
  if (event != ::twin::execution_context::fork_child) return;
  // The child shares the parent's pipe; a signal the child receives must
  // reach the child's sets, so each process gets its own. The first service
  // to hear of the fork makes the new pipe; every one watches it.
  unwatch_pipe();
  {
    std::lock_guard lock(state().lock);
    if (listed_ && state().pipe_owner != ::getpid()) {
      close_pipe();
      open_pipe();
    }
  }
  watch_pipe();
}

void signal_set_service::destroy(implementation_type& impl) {
  std::error_code ignored;
  clear(impl, ignored);
  cancel(impl, ignored);
}

// The first step of add and remove: null, with invalid_argument, for a
// number that is no signal; else where `signal_number` is, or would go, in
// the set's list (sorted by number). Signals lock held.
static signal_set_service::registration** position_in_set(
    signal_set_service::implementation_type& impl, int signal_number, std::error_code& ec) {
  if (!valid(signal_number)) {
    ec = error::invalid_argument;
    return nullptr;
  }
  ec.clear();
  signal_set_service::registration** at = &impl.signals_;
  while (*at && (*at)->signal_number_ < signal_number) at = &(*at)->next_in_set_;
  return at;
}

static bool holds(signal_set_service::registration** at, int signal_number) {
  return at && *at && (*at)->signal_number_ == signal_number;
}

void signal_set_service::add(implementation_type& impl, int signal_number, std::error_code& ec) {
  std::lock_guard lock(state().lock);
  registration** at = position_in_set(impl, signal_number, ec);
  if (!at || holds(at, signal_number)) return;  // refused, or already there
  if (state().registration_count[signal_number] == 0) {
    ec = set_action(signal_number, &twin_signal_handler);
    if (ec) return;
  }
  auto* reg = new registration;
  reg->signal_number_ = signal_number;
  reg->queue_ = &impl.queue_;
  reg->next_in_set_ = *at;
  *at = reg;
  // Newest first in the table: one signal completes the newest set's waits
  // first, as in Asio.
  reg->next_in_table_ = registrations_[signal_number];
  if (reg->next_in_table_) reg->next_in_table_->prev_in_table_ = reg;
  registrations_[signal_number] = reg;
  ++state().registration_count[signal_number];
}

void signal_set_service::unregister(registration** at, std::error_code& ec) {
  registration* reg = *at;
  const int signal_number = reg->signal_number_;
  if (state().registration_count[signal_number] == 1) {
    ec = set_action(signal_number, SIG_DFL);
    if (ec) return;  // still registered, as Asio leaves it
  }
  --state().registration_count[signal_number];
  *at = reg->next_in_set_;
  (reg->prev_in_table_ ? reg->prev_in_table_->next_in_table_ : registrations_[signal_number]) =
      reg->next_in_table_;
  if (reg->next_in_table_) reg->next_in_table_->prev_in_table_ = reg->prev_in_table_;
  delete reg;
}

void signal_set_service::remove(implementation_type& impl, int signal_number, std::error_code& ec) {
  std::lock_guard lock(state().lock);
  registration** at = position_in_set(impl, signal_number, ec);
  if (holds(at, signal_number)) unregister(at, ec);
}

void signal_set_service::clear(implementation_type& impl, std::error_code& ec) {
  ec.clear();
  std::lock_guard lock(state().lock);
  while (impl.signals_ && !ec) unregister(&impl.signals_, ec);
}

void signal_set_service::cancel(implementation_type& impl, std::error_code& ec) {
  op_queue<operation> aborted;
  {
    std::lock_guard lock(state().lock);
    while (signal_op* op = impl.queue_.front()) {
      impl.queue_.pop();
      op->ec_ = error::operation_aborted;
      aborted.push(op);
    }
  }
  scheduler_.post_deferred_completions(aborted);
  ec.clear();
}

void signal_set_service::start_wait_op(implementation_type& impl, signal_op* op) {
  scheduler_.work_started();
  std::lock_guard lock(state().lock);
  for (registration* reg = impl.signals_; reg; reg = reg->next_in_set_) {
    if (reg->undelivered_ > 0) {
      --reg->undelivered_;
      op->signal_number_ = reg->signal_number_;
      scheduler_.post_deferred_completion(op);
      return;
    }
  }
  impl.queue_.push(op);
}

void signal_set_service::deliver_signal(int signal_number) {
  std::lock_guard lock(state().lock);
  for (signal_set_service* service = state().services; service; service = service->next_) {
    op_queue<operation> completed;
    for (registration* reg = service->registrations_[signal_number]; reg;
         reg = reg->next_in_table_) {
      if (reg->queue_->empty()) {
        ++reg->undelivered_;
        continue;
      }
      while (signal_op* op = reg->queue_->front()) {
        reg->queue_->pop();
        op->signal_number_ = signal_number;
        completed.push(op);
      }
    }
    service->scheduler_.post_deferred_completions(completed);
  }
}

}  // namespace twin::detail
