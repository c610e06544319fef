// twin::basic_stream_socket — a connected byte stream (TCP), with Asio's
// interface: connect, read_some/write_some (and receive/send with flags),
// their async forms, shutdown, remote_endpoint, available.
//
// Async operations try the system call at once when nothing is queued ahead
// of them, and wait for readiness only if it would block; either way the
// handler runs later, through the io_context, never inside the initiating
// call. A zero-length read or write completes at once with no error. A read
// that finds the peer closed completes with error::eof.
#pragma once

#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/basic_socket.hpp"
#include "twin/detail/iovec_array.hpp"
#include "twin/detail/reactive_socket_ops.hpp"

namespace twin {

template <typename Protocol, typename Executor = io_context::executor_type>
class basic_stream_socket : public basic_socket<Protocol, Executor> {
  using base = basic_socket<Protocol, Executor>;

public:
  using typename base::endpoint_type;
  using typename base::executor_type;
  using typename base::protocol_type;

  explicit basic_stream_socket(io_context& ctx) : base(ctx) {}
  explicit basic_stream_socket(const executor_type& ex) : base(ex) {}
  basic_stream_socket(io_context& ctx, const protocol_type& protocol) : base(ctx) {
    this->open(protocol);
  }
  // Opens the socket and binds it to `endpoint`.
  basic_stream_socket(io_context& ctx, const endpoint_type& endpoint) : base(ctx) {
    this->open(endpoint.protocol());
    this->bind(endpoint);
  }
  basic_stream_socket(io_context& ctx, const protocol_type& protocol, int native) : base(ctx) {
    this->assign(protocol, native);
  }
  basic_stream_socket(basic_stream_socket&&) noexcept = default;
  basic_stream_socket& operator=(basic_stream_socket&&) noexcept = default;

  void connect(const endpoint_type& peer) {
    return detail::or_throw("connect", [&](std::error_code& ec) { return connect(peer, ec); });
  }
  void connect(const endpoint_type& peer, std::error_code& ec) {
    if (!this->is_open()) {
      this->open(peer.protocol(), ec);
      if (ec) return;
    }
    detail::socket_ops::sync_connect(this->native_handle(), peer.data(), peer.size(), ec);
  }

  // Calls handler(std::error_code) once connected to `peer` (opening the
  // socket first if needed).
  template <typename ConnectHandler>
  void async_connect(const endpoint_type& peer, ConnectHandler&& handler) {
    using op = detail::socket_connect_op<std::decay_t<ConnectHandler>>;
    const bool is_continuation = detail::handler_is_continuation(handler);
    std::error_code open_ec;
    if (!this->is_open()) this->open(peer.protocol(), open_ec);
    auto* o = detail::make_op<op>(this->native_handle(), std::forward<ConnectHandler>(handler));
    if (open_ec) {
      o->ec_ = open_ec;
      this->post_immediate(o, is_continuation);
      return;
    }
    if (this->ensure_non_blocking(o->ec_)) {
      detail::socket_ops::start_connect(this->native_handle(), peer.data(), peer.size(), o->ec_);
      if (o->ec_.value() == EWOULDBLOCK) {
        // In progress: writable means finished (either way).
        o->ec_.clear();
        this->start_op(detail::descriptor_state::connect_op, o, is_continuation, false, false);
        return;
      }
    }
    this->post_immediate(o, is_continuation);
  }

  endpoint_type remote_endpoint() const {
    return detail::or_throw("remote_endpoint",
                            [&](std::error_code& ec) { return remote_endpoint(ec); });
  }
  endpoint_type remote_endpoint(std::error_code& ec) const {
    return this->query_endpoint(&detail::socket_ops::getpeername, ec);
  }

  // Bytes that can be read without blocking.
  std::size_t available() const {
    return detail::or_throw("available", [&](std::error_code& ec) { return available(ec); });
  }
  std::size_t available(std::error_code& ec) const {
    return detail::socket_ops::available(this->native_handle(), ec);
  }

  void shutdown(socket_base::shutdown_type what) {
    return detail::or_throw("shutdown", [&](std::error_code& ec) { return shutdown(what, ec); });
  }
  void shutdown(socket_base::shutdown_type what, std::error_code& ec) {
    detail::socket_ops::shutdown(this->native_handle(), what, ec);
  }

  // ---- synchronous transfer ------------------------------------------

  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    return detail::or_throw("read_some",
                            [&](std::error_code& ec) { return read_some(buffers, ec); });
  }
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, std::error_code& ec) {
    return receive(buffers, 0, ec);
  }
  template <typename MutableBuffers>
  std::size_t receive(const MutableBuffers& buffers, socket_base::message_flags flags,
                      std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    return detail::socket_ops::sync_recv(this->native_handle(), this->state(), bufs.data(),
                                         bufs.count(), flags, bufs.all_empty(), ec);
  }

  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    return detail::or_throw("write_some",
                            [&](std::error_code& ec) { return write_some(buffers, ec); });
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, std::error_code& ec) {
    return send(buffers, 0, ec);
  }
  template <typename ConstBuffers>
  std::size_t send(const ConstBuffers& buffers, socket_base::message_flags flags,
                   std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    return detail::socket_ops::sync_send(this->native_handle(), this->state(), bufs.data(),
                                         bufs.count(), flags, bufs.all_empty(), ec);
  }

  // ---- asynchronous transfer -----------------------------------------

  // Calls handler(std::error_code, std::size_t) once some bytes were read.
  template <typename MutableBuffers, typename ReadHandler>
  void async_read_some(const MutableBuffers& buffers, ReadHandler&& handler) {
    async_receive(buffers, 0, std::forward<ReadHandler>(handler));
  }
  template <typename MutableBuffers, typename ReadHandler>
  void async_receive(const MutableBuffers& buffers, ReadHandler&& handler) {
    async_receive(buffers, 0, std::forward<ReadHandler>(handler));
  }
  template <typename MutableBuffers, typename ReadHandler>
  void async_receive(const MutableBuffers& buffers, socket_base::message_flags flags,
                     ReadHandler&& handler) {
    using op = detail::socket_recv_op<MutableBuffers, std::decay_t<ReadHandler>>;
    const bool empty = detail::iovec_array(buffers).all_empty();
    const bool is_continuation = detail::handler_is_continuation(handler);
    this->request_unread_counts();
    auto* o = detail::make_op<op>(this->native_handle(), this->state(), buffers, flags,
                                  std::forward<ReadHandler>(handler));
    const bool oob = (flags & socket_base::message_out_of_band) != 0;
    this->start_op(oob ? detail::descriptor_state::except_op : detail::descriptor_state::read_op, o,
                   is_continuation, !oob, empty);
  }

  // Calls handler(std::error_code, std::size_t) once some bytes were written.
  template <typename ConstBuffers, typename WriteHandler>
  void async_write_some(const ConstBuffers& buffers, WriteHandler&& handler) {
    async_send(buffers, 0, std::forward<WriteHandler>(handler));
  }
  template <typename ConstBuffers, typename WriteHandler>
  void async_send(const ConstBuffers& buffers, WriteHandler&& handler) {
    async_send(buffers, 0, std::forward<WriteHandler>(handler));
  }
  template <typename ConstBuffers, typename WriteHandler>
  void async_send(const ConstBuffers& buffers, socket_base::message_flags flags,
                  WriteHandler&& handler) {
    using op = detail::socket_send_op<ConstBuffers, std::decay_t<WriteHandler>>;
    const bool empty = detail::iovec_array(buffers).all_empty();
    const bool is_continuation = detail::handler_is_continuation(handler);
    auto* o = detail::make_op<op>(this->native_handle(), buffers, flags,
                                  std::forward<WriteHandler>(handler));
    this->start_op(detail::descriptor_state::write_op, o, is_continuation, true, empty);
  }
};

}  // namespace twin
