// twin::detail::signal_set_service — how signal_sets learn of POSIX signals,
// one service per io_context, as Asio's signal_set_service.
//
// A signal is process-wide and its handler may run in any thread, at any
// moment, where almost nothing is safe to do. So twin installs one handler
// for every signal some set wants, and all it does is write the signal's
// number into a pipe (the "self-pipe"). Every io_context with a signal_set
// service watches the pipe's read end in its reactor; whichever reactor
// sees it readable first reads every number and delivers each to every
// registration of that signal, in every service of the process.
//
// A registration ties one set to one signal. Delivered to a set with waits
// pending, a signal completes all of them with its number; to a set with no
// wait pending, it is counted on the registration (undelivered_) and the
// next wait takes it at once — the registration of the lowest signal number
// with one counted first, not the oldest signal. Removing a registration
// drops what it counted. The handler is installed (sigaction, every signal
// blocked while it runs) when a signal's first registration in the process
// is made, and the default action restored when its last one goes.
//
// Which thread may call: every member is safe from any thread; the
// registrations of the whole process are guarded by one mutex (rank
// `signals`: taken under a descriptor's lock when the pipe is read, and
// the scheduler's is taken under it). A set's implementation must not be
// used concurrently by two threads.
#pragma once

#include <csignal>
#include <cstddef>
#include <system_error>

#include "twin/detail/descriptor_state.hpp"
#include "twin/detail/op_queue.hpp"
#include "twin/detail/operation.hpp"
#include "twin/detail/reactor_service.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/execution_context.hpp"
#include "twin/io_context.hpp"

namespace twin::detail {

class epoll_reactor;

// A pending async_wait on a signal set: completes with ec_ (success, or
// operation_aborted) and the number of the signal that arrived (0 if none).
class signal_op : public operation {
public:
  std::error_code ec_;
  int signal_number_ = 0;

protected:
  explicit signal_op(func_type complete) : operation(complete) {}
  ~signal_op() = default;
};

class signal_set_service final : public ::twin::execution_context::service {
public:
  static inline ::twin::execution_context::id id;

  // Signal numbers a set may hold: 0 <= n < max_signal_number.
  static constexpr int max_signal_number = NSIG;

  struct registration;

  // What one signal_set is to the service: its registrations (sorted by
  // signal number) and its pending waits, in the order they were started.
  struct implementation_type {
    registration* signals_ = nullptr;
    op_queue<signal_op> queue_;
  };

  // Opens the process's pipe if this is the first service, and watches it.
  // Throws std::system_error when the pipe cannot be made.
  // `ctx` is an io_context or a thread_pool.
  template <typename Context>
  explicit signal_set_service(Context& ctx)
      : signal_set_service(ctx, ctx.impl(), reactor_service::of(ctx)) {}
  ~signal_set_service() override;

  // The service of `ctx` (an io_context or a thread_pool), made on first use.
  template <typename Context>
  static signal_set_service& of(Context& ctx) {
    return use_service_of<signal_set_service>(ctx);
  }

  // The service of the context `ex` runs on (see with_scheduling_context).
  template <typename Executor>
  static signal_set_service& of_executor(const Executor& ex) {
    return with_scheduling_context(ex, [](auto& ctx) -> signal_set_service& { return of(ctx); });
  }

  // A set is destroyed: its registrations removed, its waits aborted.
  void destroy(implementation_type& impl);

  // Adds `signal_number` to the set (nothing if it is there already).
  // invalid_argument for a number out of range; the error of sigaction
  // for a signal that cannot be caught.
  void add(implementation_type& impl, int signal_number, std::error_code& ec);
  // Removes it (nothing if it is not there), with what it counted.
  void remove(implementation_type& impl, int signal_number, std::error_code& ec);
  // Removes every signal of the set.
  void clear(implementation_type& impl, std::error_code& ec);
  // Completes every pending wait of the set with operation_aborted; counted
  // signals stay counted.
  void cancel(implementation_type& impl, std::error_code& ec);

  // Starts a wait; it counts as work until it completes.
  void start_wait_op(implementation_type& impl, signal_op* op);

private:
  signal_set_service(::twin::execution_context& owner, scheduler& s, epoll_reactor& reactor);

  class pipe_read_op;
  friend class pipe_read_op;

  // Hands `signal_number` to every registration of it in every service.
  // Called with the reactor's lock of the pipe held.
  static void deliver_signal(int signal_number);
  // Removes the registration `*at` of a set, restoring the default action
  // if it was its signal's last (signals lock held). On failure (ec) the
  // registration stays.
  void unregister(registration** at, std::error_code& ec);

  // Waits of the sets still pending are destroyed, not run; the pipe is no
  // longer watched.
  void shutdown() override;
  // In the child, a pipe of its own, watched again.
  void notify_fork(::twin::execution_context::fork_event event) override;

  void watch_pipe();
  void unwatch_pipe();
  // Leaves the process's list (closing the pipe after the last service),
  // no longer watching the pipe. Idempotent.
  void unlist();

  scheduler& scheduler_;
  epoll_reactor& reactor_;
  descriptor_state* pipe_state_ = nullptr;  // the reactor's record of the pipe
  int watched_descriptor_ = -1;             // the pipe's read end, while watched
  // Per signal number, this service's registrations (newest first).
  registration* registrations_[max_signal_number] = {};
  // The process's services (guarded by the signals lock).
  signal_set_service* next_ = nullptr;
  signal_set_service* prev_ = nullptr;
  bool listed_ = false;
};

}  // namespace twin::detail
