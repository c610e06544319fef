// twin::detail::reactive_descriptor — what every I/O object on a
// descriptor has, sockets (basic_socket) and POSIX descriptors
// (posix::basic_descriptor) alike: the descriptor, its registration with
// the io_context's reactor, closing, releasing, cancelling, blocking modes,
// waits for readiness, and the one way its async operations start.
//
// Closing, releasing or cancelling completes every pending operation with
// operation_aborted. Each call has a throwing form and an error_code& form
// (as in Asio). Not thread-safe: one object is called from one thread at a
// time (post to it, or use a strand).
#pragma once

#include <poll.h>

#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/detail/epoll_reactor.hpp"
#include "twin/detail/handler_continuation.hpp"
#include "twin/detail/io_executor_handler.hpp"
#include "twin/detail/reactive_socket_ops.hpp"
#include "twin/detail/reactor_op.hpp"
#include "twin/detail/reactor_service.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/detail/socket_ops.hpp"
#include "twin/detail/wait_type.hpp"
#include "twin/error.hpp"
#include "twin/io_context.hpp"

namespace twin::detail {

// Where an I/O object on `Executor` can be made: an execution context
// (its executor is used) or an executor that converts to `Executor` (a
// strand, an io_context's, an any_io_executor).
template <typename Place, typename Executor>
concept io_object_place = std::is_base_of_v<::twin::execution_context, Place> ||
    std::is_convertible_v<const Place&, Executor>;

template <typename Executor>
class reactive_descriptor {
public:
  using executor_type = Executor;
  using native_handle_type = int;

  executor_type get_executor() const noexcept { return executor_; }

  bool is_open() const noexcept { return fd_ != -1; }
  native_handle_type native_handle() const noexcept { return fd_; }

  // Aborts pending operations and closes the descriptor.
  void close() {
    return or_throw("close", [&](std::error_code& ec) { return close(ec); });
  }
  void close(std::error_code& ec) {
    ec.clear();
    if (!is_open()) return;
    // close() takes the descriptor out of epoll by itself — unless another
    // descriptor (a dup) still refers to the same open file.
    reactor_->deregister_descriptor(fd_, reactor_data_, !(state_ & socket_ops::possible_dup));
    socket_ops::close(fd_, ec);
    forget();
  }

  // Aborts pending operations and hands the descriptor to the caller, who
  // must close it; the object is closed afterwards.
  native_handle_type release() {
    return or_throw("release", [&](std::error_code& ec) { return release(ec); });
  }
  native_handle_type release(std::error_code& ec) {
    ec.clear();
    if (!is_open()) return -1;
    const int fd = fd_;
    reactor_->deregister_descriptor(fd_, reactor_data_, false);
    forget();
    return fd;
  }

  // Completes every pending operation with operation_aborted.
  void cancel() {
    return or_throw("cancel", [&](std::error_code& ec) { return cancel(ec); });
  }
  void cancel(std::error_code& ec) {
    if (!is_open()) {
      ec = error::bad_descriptor;
      return;
    }
    ec.clear();
    reactor_->cancel_ops(reactor_data_);
  }

  // Whether the user put the descriptor in non-blocking mode; the sync
  // calls then fail with would_block instead of waiting.
  bool non_blocking() const noexcept { return (state_ & socket_ops::user_set_non_blocking) != 0; }
  void non_blocking(bool mode) {
    return or_throw("non_blocking", [&](std::error_code& ec) { return non_blocking(mode, ec); });
  }
  void non_blocking(bool mode, std::error_code& ec) {
    if (!is_open()) {
      ec = error::bad_descriptor;
      return;
    }
    socket_ops::set_user_non_blocking(fd_, state_, mode, ec);
  }

  // Whether the descriptor itself is in non-blocking mode (O_NONBLOCK), as
  // the reactor puts it for the first async operation; turning it off while
  // the user asked for non_blocking(true) fails with invalid_argument.
  bool native_non_blocking() const noexcept {
    return (state_ & socket_ops::internal_non_blocking) != 0;
  }
  void native_non_blocking(bool mode) {
    return or_throw("native_non_blocking",
                    [&](std::error_code& ec) { return native_non_blocking(mode, ec); });
  }
  void native_non_blocking(bool mode, std::error_code& ec) {
    if (!is_open()) {
      ec = error::bad_descriptor;
      return;
    }
    if (socket_ops::set_internal_non_blocking(fd_, state_, mode, ec)) ec.clear();
  }

  // Performs an ioctl() command on the descriptor (socket_base's or
  // descriptor_base's bytes_readable, or any class with Asio's IoControl
  // members: name() and data()).
  template <typename IoControlCommand>
  void io_control(IoControlCommand& command) {
    return or_throw("io_control", [&](std::error_code& ec) { return io_control(command, ec); });
  }
  template <typename IoControlCommand>
  void io_control(IoControlCommand& command, std::error_code& ec) {
    socket_ops::ioctl(fd_, state_, command.name(), command.data(), ec);
  }

  // Blocks until the descriptor is readable (wait_read), writable
  // (wait_write) or has an error or priority data pending (wait_error).
  // WaitType: socket_base::wait_type or posix::descriptor_base::wait_type.
  template <typename WaitType, typename = std::enable_if_t<std::is_enum_v<WaitType>>>
  void wait(WaitType w) {
    return or_throw("wait", [&](std::error_code& ec) { return wait(w, ec); });
  }
  template <typename WaitType, typename = std::enable_if_t<std::is_enum_v<WaitType>>>
  void wait(WaitType w, std::error_code& ec) {
    socket_ops::sync_wait(fd_, state_, poll_events_of(w), ec);
  }

  // Calls handler(std::error_code) once the descriptor is ready as `w`
  // says; nothing is read or written. The handler runs through the
  // io_context, never inside this call.
  template <typename WaitType, typename WaitHandler,
            typename = std::enable_if_t<std::is_enum_v<WaitType>>>
  void async_wait(WaitType w, WaitHandler&& handler) {
    using op = reactive_wait_op<on_io_executor_t<Executor, WaitHandler>>;
    const bool is_continuation = handler_is_continuation(handler);
    auto* o =
        make_op<op>(fd_, on_io_executor(executor_, direct_, std::forward<WaitHandler>(handler)));
    const int op_type = reactor_op_type_of(w);
    if (op_type < 0) {
      o->ec_ = error::invalid_argument;
      return post_immediate(o, is_continuation);
    }
    start_op(op_type, o, is_continuation, false, false);
  }

protected:
  explicit reactive_descriptor(io_context& ctx)
      : executor_(ctx.get_executor()), reactor_(&reactor_service::of(ctx)) {}
  explicit reactive_descriptor(const executor_type& ex)
      : executor_(ex), reactor_(&reactor_service::of_executor(ex)) {}
  // From any place (see io_object_place).
  template <typename Place>
    requires io_object_place<Place, Executor>
  explicit reactive_descriptor(Place& place) : reactive_descriptor(executor_of(place)) {}

  // The executor an object made at `place` has.
  template <typename Place>
  static executor_type executor_of(Place& place) {
    if constexpr (std::is_base_of_v<::twin::execution_context, Place>)
      return executor_type(place.get_executor());
    else
      return executor_type(place);
  }

  // From an object on another executor (one that converts to this one's):
  // the descriptor and its pending operations move over.
  template <typename Executor1>
    requires(!std::is_same_v<Executor1, Executor> &&
             std::is_convertible_v<const Executor1&, Executor>)
  reactive_descriptor(reactive_descriptor<Executor1>&& other)
  noexcept
      : executor_(other.executor_),
        reactor_(other.reactor_),
        fd_(std::exchange(other.fd_, -1)),
        state_(std::exchange(other.state_, 0)),
        reactor_data_(std::exchange(other.reactor_data_, nullptr)) {}

  reactive_descriptor(reactive_descriptor&& other) noexcept
      : executor_(other.executor_),
        reactor_(other.reactor_),
        fd_(std::exchange(other.fd_, -1)),
        state_(std::exchange(other.state_, 0)),
        reactor_data_(std::exchange(other.reactor_data_, nullptr)) {}
  reactive_descriptor& operator=(reactive_descriptor&& other) noexcept {
    if (this != &other) {
      std::error_code ignored;
      close(ignored);
      executor_ = other.executor_;
      direct_ = other.direct_;
      reactor_ = other.reactor_;
      fd_ = std::exchange(other.fd_, -1);
      state_ = std::exchange(other.state_, 0);
      reactor_data_ = std::exchange(other.reactor_data_, nullptr);
    }
    return *this;
  }

  // Closes the descriptor, ignoring errors (a destructor must not throw).
  ~reactive_descriptor() {
    std::error_code ignored;
    close(ignored);
  }

  // Registers `fd` with the reactor and owns it from then on, with `state`
  // (socket_ops' flags); on failure the caller keeps it.
  void adopt(int fd, unsigned char state, std::error_code& ec) {
    ec = reactor_->register_descriptor(fd, reactor_data_);
    if (ec) return;
    fd_ = fd;
    state_ = state;
  }

  // Starts a reactor operation: completes it at once (through the queue)
  // when `noop` (a zero-length transfer on a stream), when the descriptor is
  // not open (bad_descriptor, even for a zero-length transfer: Asio's closed
  // socket is no longer a stream) or when it cannot be made non-blocking,
  // else hands it to the reactor. A step of a composed operation
  // (`is_continuation`) that completes at once is queued as a continuation,
  // as Asio queues it.
  void start_op(int op_type, reactor_op* op, bool is_continuation, bool allow_speculative,
                bool noop) {
    if (!is_open()) {
      op->ec_ = error::bad_descriptor;
    } else if (!noop && ensure_non_blocking(op->ec_)) {
      reactor_->start_op(op_type, fd_, reactor_data_, op, is_continuation, allow_speculative);
      return;
    }
    post_immediate(op, is_continuation);
  }

  // Puts the descriptor in non-blocking mode for the reactor, once.
  bool ensure_non_blocking(std::error_code& ec) {
    return (state_ & socket_ops::non_blocking) ||
           socket_ops::set_internal_non_blocking(fd_, state_, true, ec);
  }

  // The handler as an operation on this object stores it: run on the
  // object's executor unless it has its own (io_executor_handler.hpp).
  template <typename Handler>
  decltype(auto) wrap(Handler&& handler) const {
    return on_io_executor(executor_, direct_, std::forward<Handler>(handler));
  }

  // Queues a finished (or failed) operation's completion.
  void post_immediate(reactor_op* op, bool is_continuation = false) {
    reactor_->owner().post_immediate_completion(op, is_continuation);
  }

  unsigned char state() const noexcept { return state_; }
  unsigned char& mutable_state() noexcept { return state_; }

private:
  template <typename>
  friend class reactive_descriptor;

  // The descriptor is no longer ours: the reactor's record goes back to
  // its pool.
  void forget() {
    reactor_->cleanup_descriptor_data(reactor_data_);
    fd_ = -1;
    state_ = 0;
  }

  executor_type executor_;
  // Handlers are called directly, not through executor_ (worked out once).
  bool direct_ = calls_directly_now(executor_);
  epoll_reactor* reactor_;
  int fd_ = -1;
  unsigned char state_ = 0;
  descriptor_state* reactor_data_ = nullptr;
};

}  // namespace twin::detail
