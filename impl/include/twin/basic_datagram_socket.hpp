// twin::basic_datagram_socket — datagrams (UDP, UNIX domain datagrams),
// with Asio's interface: send/receive on a connected socket, send_to and
// receive_from on any, each sync and async, with message flags (Asio's
// basic_datagram_socket). Connecting, binding and the rest come from
// basic_socket.
//
// Every call sends or receives exactly one datagram; one longer than the
// buffers is cut to them, with no error, as Asio reports it. An empty
// datagram is a datagram: zero-length buffers still send or take one. The
// async forms try the system call at once when nothing is queued ahead of
// them; the handler, handler(ec, bytes), always runs through the
// io_context. Not thread-safe: one object is called from one thread at a
// time.
#pragma once

#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/basic_socket.hpp"
#include "twin/detail/iovec_array.hpp"
#include "twin/detail/reactive_socket_ops.hpp"

namespace twin {

template <typename Protocol, typename Executor = any_io_executor>
class basic_datagram_socket : public basic_socket<Protocol, Executor> {
  using base = basic_socket<Protocol, Executor>;

public:
  using typename base::endpoint_type;
  using typename base::executor_type;
  using typename base::protocol_type;

  explicit basic_datagram_socket(io_context& ctx) : base(ctx) {}
  explicit basic_datagram_socket(const executor_type& ex) : base(ex) {}
  // `place`: an execution context or an executor (an io_context, a strand).
  template <detail::io_object_place<Executor> Place>
  basic_datagram_socket(Place& place, const protocol_type& protocol) : base(place, protocol) {}
  // Opens the socket and binds it to `endpoint`.
  template <detail::io_object_place<Executor> Place>
  basic_datagram_socket(Place& place, const endpoint_type& endpoint) : base(place, endpoint) {}
  template <detail::io_object_place<Executor> Place>
  basic_datagram_socket(Place& place, const protocol_type& protocol, int native)
      : base(place, protocol, native) {}

  // The same socket type on another executor.
  template <typename Executor1>
  struct rebind_executor {
    using other = basic_datagram_socket<Protocol, Executor1>;
  };

  basic_datagram_socket(basic_datagram_socket&&) noexcept = default;
  basic_datagram_socket& operator=(basic_datagram_socket&&) noexcept = default;

  // ---- synchronous: one datagram per call ----------------------------

  template <typename ConstBuffers>
  std::size_t send(const ConstBuffers& buffers, socket_base::message_flags flags = 0) {
    return detail::or_throw("send", [&](std::error_code& ec) { return send(buffers, flags, ec); });
  }
  template <typename ConstBuffers>
  std::size_t send(const ConstBuffers& buffers, socket_base::message_flags flags,
                   std::error_code& ec) {
    return send_to_address(buffers, nullptr, 0, flags, ec);
  }

  template <typename ConstBuffers>
  std::size_t send_to(const ConstBuffers& buffers, const endpoint_type& destination,
                      socket_base::message_flags flags = 0) {
    return detail::or_throw(
        "send_to", [&](std::error_code& ec) { return send_to(buffers, destination, flags, ec); });
  }
  template <typename ConstBuffers>
  std::size_t send_to(const ConstBuffers& buffers, const endpoint_type& destination,
                      socket_base::message_flags flags, std::error_code& ec) {
    return send_to_address(buffers, destination.data(), destination.size(), flags, ec);
  }

  template <typename MutableBuffers>
  std::size_t receive(const MutableBuffers& buffers, socket_base::message_flags flags = 0) {
    return detail::or_throw("receive",
                            [&](std::error_code& ec) { return receive(buffers, flags, ec); });
  }
  template <typename MutableBuffers>
  std::size_t receive(const MutableBuffers& buffers, socket_base::message_flags flags,
                      std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    return detail::socket_ops::sync_recv(this->native_handle(), this->state(), bufs.data(),
                                         bufs.count(), flags, bufs.all_empty(), ec);
  }

  // Stores the datagram's sender in `sender`.
  template <typename MutableBuffers>
  std::size_t receive_from(const MutableBuffers& buffers, endpoint_type& sender,
                           socket_base::message_flags flags = 0) {
    return detail::or_throw("receive_from", [&](std::error_code& ec) {
      return receive_from(buffers, sender, flags, ec);
    });
  }
  template <typename MutableBuffers>
  std::size_t receive_from(const MutableBuffers& buffers, endpoint_type& sender,
                           socket_base::message_flags flags, std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    std::size_t size = sender.capacity();
    const std::size_t bytes = detail::socket_ops::sync_recv(
        this->native_handle(), this->state(), bufs.data(), bufs.count(), flags, bufs.all_empty(),
        ec, sender.data(), &size);
    if (!ec) sender.resize(size);
    return bytes;
  }

  // ---- asynchronous ---------------------------------------------------

  // Calls handler(std::error_code, std::size_t) once the datagram is sent.
  template <typename ConstBuffers, typename WriteHandler>
  void async_send(const ConstBuffers& buffers, WriteHandler&& handler) {
    async_send(buffers, 0, std::forward<WriteHandler>(handler));
  }
  template <typename ConstBuffers, typename WriteHandler>
  void async_send(const ConstBuffers& buffers, socket_base::message_flags flags,
                  WriteHandler&& handler) {
    using op =
        detail::socket_send_op<ConstBuffers, detail::on_io_executor_t<Executor, WriteHandler>>;
    start<op>(detail::descriptor_state::write_op, handler, buffers, flags);
  }

  template <typename ConstBuffers, typename WriteHandler>
  void async_send_to(const ConstBuffers& buffers, const endpoint_type& destination,
                     WriteHandler&& handler) {
    async_send_to(buffers, destination, 0, std::forward<WriteHandler>(handler));
  }
  template <typename ConstBuffers, typename WriteHandler>
  void async_send_to(const ConstBuffers& buffers, const endpoint_type& destination,
                     socket_base::message_flags flags, WriteHandler&& handler) {
    using op = detail::socket_sendto_op<ConstBuffers, endpoint_type,
                                        detail::on_io_executor_t<Executor, WriteHandler>>;
    start<op>(detail::descriptor_state::write_op, handler, buffers, destination, flags);
  }

  // Calls handler(std::error_code, std::size_t) with one datagram.
  template <typename MutableBuffers, typename ReadHandler>
  void async_receive(const MutableBuffers& buffers, ReadHandler&& handler) {
    async_receive(buffers, 0, std::forward<ReadHandler>(handler));
  }
  template <typename MutableBuffers, typename ReadHandler>
  void async_receive(const MutableBuffers& buffers, socket_base::message_flags flags,
                     ReadHandler&& handler) {
    using op =
        detail::socket_recv_op<MutableBuffers, detail::on_io_executor_t<Executor, ReadHandler>>;
    start<op>(receive_queue(flags), handler, this->state(), buffers, flags);
  }

  // As async_receive, storing the sender in `sender`, which must outlive
  // the operation.
  template <typename MutableBuffers, typename ReadHandler>
  void async_receive_from(const MutableBuffers& buffers, endpoint_type& sender,
                          ReadHandler&& handler) {
    async_receive_from(buffers, sender, 0, std::forward<ReadHandler>(handler));
  }
  template <typename MutableBuffers, typename ReadHandler>
  void async_receive_from(const MutableBuffers& buffers, endpoint_type& sender,
                          socket_base::message_flags flags, ReadHandler&& handler) {
    using op = detail::socket_recvfrom_op<MutableBuffers, endpoint_type,
                                          detail::on_io_executor_t<Executor, ReadHandler>>;
    start<op>(receive_queue(flags), handler, buffers, sender, flags);
  }

private:
  template <typename ConstBuffers>
  std::size_t send_to_address(const ConstBuffers& buffers, const sockaddr* to, std::size_t to_len,
                              socket_base::message_flags flags, std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    return detail::socket_ops::sync_send(this->native_handle(), this->state(), bufs.data(),
                                         bufs.count(), flags, bufs.all_empty(), ec, to, to_len);
  }

  // Out-of-band data waits in a queue of its own.
  static int receive_queue(socket_base::message_flags flags) {
    return (flags & socket_base::message_out_of_band) ? detail::descriptor_state::except_op
                                                      : detail::descriptor_state::read_op;
  }

  // Makes the op from (descriptor, args..., handler) and starts it: a
  // datagram is never a no-op, whatever its size.
  template <typename Op, typename Handler, typename... Args>
  void start(int op_type, Handler& handler, Args&&... args) {
    const bool is_continuation = detail::handler_is_continuation(handler);
    auto* o = detail::make_op<Op>(this->native_handle(), std::forward<Args>(args)...,
                                  this->wrap(std::forward<Handler>(handler)));
    this->start_op(op_type, o, is_continuation, op_type != detail::descriptor_state::except_op,
                   false);
  }
};

}  // namespace twin
