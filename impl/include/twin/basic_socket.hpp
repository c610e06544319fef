// twin::basic_socket — what every socket and acceptor has: a descriptor
// registered with its io_context's reactor, opening and closing, options,
// binding, endpoints and blocking mode (Asio's basic_socket).
//
// Closing or cancelling completes every pending operation with
// operation_aborted. Each call has a throwing form and an error_code& form
// (as in Asio). A socket object is not thread-safe: do not call it from two
// threads at once (post to it, or use a strand).
#pragma once

#include <system_error>
#include <utility>

#include "twin/detail/epoll_reactor.hpp"
#include "twin/detail/handler_continuation.hpp"
#include "twin/detail/reactor_op.hpp"
#include "twin/detail/reactor_service.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/detail/socket_ops.hpp"
#include "twin/error.hpp"
#include "twin/io_context.hpp"
#include "twin/socket_base.hpp"

namespace twin {

template <typename Protocol, typename Executor = io_context::executor_type>
class basic_socket : public socket_base {
public:
  using executor_type = Executor;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;
  using native_handle_type = int;

  executor_type get_executor() const noexcept { return executor_; }

  bool is_open() const noexcept { return fd_ != -1; }
  native_handle_type native_handle() const noexcept { return fd_; }

  void open(const protocol_type& protocol = protocol_type::v4()) {
    return detail::or_throw("open", [&](std::error_code& ec) { return open(protocol, ec); });
  }
  void open(const protocol_type& protocol, std::error_code& ec) {
    if (is_open()) {
      ec = error::already_open;
      return;
    }
    const int fd =
        detail::socket_ops::socket(protocol.family(), protocol.type(), protocol.protocol(), ec);
    if (fd >= 0) adopt(protocol, fd, ec);
  }

  // Takes ownership of an open descriptor.
  void assign(const protocol_type& protocol, native_handle_type fd) {
    return detail::or_throw("assign",
                            [&](std::error_code& ec) { return assign(protocol, fd, ec); });
  }
  void assign(const protocol_type& protocol, native_handle_type fd, std::error_code& ec) {
    if (is_open()) {
      ec = error::already_open;
      return;
    }
    adopt(protocol, fd, ec);
  }

  // Aborts pending operations and closes the descriptor.
  void close() {
    return detail::or_throw("close", [&](std::error_code& ec) { return close(ec); });
  }
  void close(std::error_code& ec) {
    ec.clear();
    if (!is_open()) return;
    reactor_->deregister_descriptor(fd_, reactor_data_, true);
    detail::socket_ops::close(fd_, ec);
    reactor_->cleanup_descriptor_data(reactor_data_);
    fd_ = -1;
    state_ = 0;
  }

  // Completes every pending operation with operation_aborted.
  void cancel() {
    return detail::or_throw("cancel", [&](std::error_code& ec) { return cancel(ec); });
  }
  void cancel(std::error_code& ec) {
    if (!is_open()) {
      ec = error::bad_descriptor;
      return;
    }
    ec.clear();
    reactor_->cancel_ops(reactor_data_);
  }

  void bind(const endpoint_type& endpoint) {
    return detail::or_throw("bind", [&](std::error_code& ec) { return bind(endpoint, ec); });
  }
  void bind(const endpoint_type& endpoint, std::error_code& ec) {
    detail::socket_ops::bind(fd_, endpoint.data(), endpoint.size(), ec);
  }

  template <typename Option>
  void set_option(const Option& option) {
    return detail::or_throw("set_option",
                            [&](std::error_code& ec) { return set_option(option, ec); });
  }
  template <typename Option>
  void set_option(const Option& option, std::error_code& ec) {
    detail::socket_ops::setsockopt(fd_, option.level(protocol_), option.name(protocol_),
                                   option.data(protocol_), option.size(protocol_), ec);
  }

  template <typename Option>
  void get_option(Option& option) const {
    return detail::or_throw("get_option",
                            [&](std::error_code& ec) { return get_option(option, ec); });
  }
  template <typename Option>
  void get_option(Option& option, std::error_code& ec) const {
    std::size_t size = option.size(protocol_);
    detail::socket_ops::getsockopt(fd_, option.level(protocol_), option.name(protocol_),
                                   option.data(protocol_), &size, ec);
    if (!ec) option.resize(protocol_, size);
  }

  endpoint_type local_endpoint() const {
    return detail::or_throw("local_endpoint",
                            [&](std::error_code& ec) { return local_endpoint(ec); });
  }
  endpoint_type local_endpoint(std::error_code& ec) const {
    return query_endpoint(&detail::socket_ops::getsockname, ec);
  }

  // Whether the user put the socket in non-blocking mode; the sync calls
  // then fail with would_block instead of waiting.
  bool non_blocking() const noexcept {
    return (state_ & detail::socket_ops::user_set_non_blocking) != 0;
  }
  void non_blocking(bool mode) {
    return detail::or_throw("non_blocking",
                            [&](std::error_code& ec) { return non_blocking(mode, ec); });
  }
  void non_blocking(bool mode, std::error_code& ec) {
    if (!is_open()) {
      ec = error::bad_descriptor;
      return;
    }
    detail::socket_ops::set_user_non_blocking(fd_, state_, mode, ec);
  }

protected:
  // The endpoint `query` (socket_ops::getsockname or getpeername) reports
  // for the socket; a default-constructed one when it fails.
  template <typename Query>
  endpoint_type query_endpoint(Query query, std::error_code& ec) const {
    endpoint_type ep;
    std::size_t size = ep.capacity();
    query(fd_, ep.data(), &size, ec);
    if (ec) return endpoint_type();
    ep.resize(size);
    return ep;
  }

  explicit basic_socket(io_context& ctx)
      : executor_(ctx.get_executor()), reactor_(&detail::reactor_service::of(ctx)) {}
  explicit basic_socket(const executor_type& ex) : basic_socket(ex.context()) {}

  basic_socket(basic_socket&& other) noexcept
      : executor_(other.executor_),
        reactor_(other.reactor_),
        protocol_(other.protocol_),
        fd_(std::exchange(other.fd_, -1)),
        state_(std::exchange(other.state_, 0)),
        reactor_data_(std::exchange(other.reactor_data_, nullptr)) {}
  basic_socket& operator=(basic_socket&& other) noexcept {
    if (this != &other) {
      std::error_code ignored;
      close(ignored);
      executor_ = other.executor_;
      reactor_ = other.reactor_;
      protocol_ = other.protocol_;
      fd_ = std::exchange(other.fd_, -1);
      state_ = std::exchange(other.state_, 0);
      reactor_data_ = std::exchange(other.reactor_data_, nullptr);
    }
    return *this;
  }

  // Closes the socket, ignoring errors (a destructor must not throw).
  ~basic_socket() {
    std::error_code ignored;
    close(ignored);
  }

  // Starts a reactor operation: completes it at once (through the queue)
  // when `noop` (a zero-length transfer on a stream), when the socket is
  // not open (bad_descriptor, even for a zero-length transfer: Asio's closed
  // socket is no longer a stream) or when the descriptor cannot be made
  // non-blocking, else hands it to the reactor. A step of a composed
  // operation (`is_continuation`) that completes at once is queued as a
  // continuation, as Asio queues it.
  void start_op(int op_type, detail::reactor_op* op, bool is_continuation, bool allow_speculative,
                bool noop) {
    if (!is_open()) {
      op->ec_ = error::bad_descriptor;
    } else if (!noop && ensure_non_blocking(op->ec_)) {
      reactor_->start_op(op_type, fd_, reactor_data_, op, is_continuation, allow_speculative);
      return;
    }
    reactor_->owner().post_immediate_completion(op, is_continuation);
  }

  // Puts the descriptor in non-blocking mode for the reactor, once.
  bool ensure_non_blocking(std::error_code& ec) {
    return (state_ & detail::socket_ops::non_blocking) ||
           detail::socket_ops::set_internal_non_blocking(fd_, state_, true, ec);
  }

  // Before a stream socket's first asynchronous read: have the kernel say,
  // with each read, whether it drained the socket (TCP_INQ), so that a read
  // which filled its buffer exactly need not be followed by a failing one.
  // One setsockopt per socket; Asio does not do this.
  void request_unread_counts() {
    if (fd_ != -1 &&
        (state_ & (detail::socket_ops::stream_oriented | detail::socket_ops::unread_requested)) ==
            detail::socket_ops::stream_oriented)
      detail::socket_ops::request_unread_counts(fd_, state_);
  }

  // Queues a finished (or failed) operation's completion.
  void post_immediate(detail::reactor_op* op, bool is_continuation = false) {
    reactor_->owner().post_immediate_completion(op, is_continuation);
  }

  unsigned char state() const noexcept { return state_; }
  const protocol_type& protocol() const noexcept { return protocol_; }

private:
  void adopt(const protocol_type& protocol, int fd, std::error_code& ec) {
    ec = reactor_->register_descriptor(fd, reactor_data_);
    if (ec) {
      std::error_code ignored;
      detail::socket_ops::close(fd, ignored);
      return;
    }
    fd_ = fd;
    protocol_ = protocol;
    state_ = protocol.type() == SOCK_STREAM ? detail::socket_ops::stream_oriented : 0;
  }

  executor_type executor_;
  detail::epoll_reactor* reactor_;
  protocol_type protocol_ = protocol_type::v4();
  int fd_ = -1;
  unsigned char state_ = 0;
  detail::descriptor_state* reactor_data_ = nullptr;
};

}  // namespace twin
