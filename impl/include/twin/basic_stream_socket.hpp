// twin::basic_stream_socket — a connected byte stream (TCP, UNIX domain),
// with Asio's interface: read_some/write_some (and receive/send with
// flags) and their async forms; connecting and the rest come from
// basic_socket.
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

#include "twin/any_io_executor.hpp"
#include "twin/basic_socket.hpp"
#include "twin/detail/iovec_array.hpp"
#include "twin/detail/reactive_socket_ops.hpp"

namespace twin {

template <typename Protocol, typename Executor = any_io_executor>
class basic_stream_socket : public basic_socket<Protocol, Executor> {
  using base = basic_socket<Protocol, Executor>;

public:
  using typename base::endpoint_type;
  using typename base::executor_type;
  using typename base::protocol_type;

  explicit basic_stream_socket(io_context& ctx) : base(ctx) {}
  explicit basic_stream_socket(const executor_type& ex) : base(ex) {}
  // `place`: an execution context or an executor (an io_context, a strand).
  template <detail::io_object_place<Executor> Place>
  basic_stream_socket(Place& place, const protocol_type& protocol) : base(place, protocol) {}
  // Opens the socket and binds it to `endpoint`.
  template <detail::io_object_place<Executor> Place>
  basic_stream_socket(Place& place, const endpoint_type& endpoint) : base(place, endpoint) {}
  template <detail::io_object_place<Executor> Place>
  basic_stream_socket(Place& place, const protocol_type& protocol, int native)
      : base(place, protocol, native) {}
  // Takes over a socket on another executor that converts to this one's.
  template <typename Executor1>
    requires(!std::is_same_v<Executor1, Executor> &&
             std::is_convertible_v<const Executor1&, Executor>)
  basic_stream_socket(basic_stream_socket<Protocol, Executor1>&& other)
  noexcept : base(std::move(other)) {}

  // The same socket type on another executor.
  template <typename Executor1>
  struct rebind_executor {
    using other = basic_stream_socket<Protocol, Executor1>;
  };

  basic_stream_socket(basic_stream_socket&&) noexcept = default;
  basic_stream_socket& operator=(basic_stream_socket&&) noexcept = default;

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
  // read_some with `flags` (message_peek, message_out_of_band, ...).
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

  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    return detail::or_throw("write_some",
                            [&](std::error_code& ec) { return write_some(buffers, ec); });
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, std::error_code& ec) {
    return send(buffers, 0, ec);
  }
  // write_some with `flags` (message_out_of_band, ...).
  template <typename ConstBuffers>
  std::size_t send(const ConstBuffers& buffers, socket_base::message_flags flags = 0) {
    return detail::or_throw("send", [&](std::error_code& ec) { return send(buffers, flags, ec); });
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
    using op =
        detail::socket_recv_op<MutableBuffers, detail::on_io_executor_t<Executor, ReadHandler>>;
    const bool empty = detail::first_buffers_empty(buffers);
    const bool is_continuation = detail::handler_is_continuation(handler);
    this->request_unread_counts();
    auto* o = detail::make_op<op>(this->native_handle(), this->state(), buffers, flags,
                                  this->wrap(std::forward<ReadHandler>(handler)));
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
    using op =
        detail::socket_send_op<ConstBuffers, detail::on_io_executor_t<Executor, WriteHandler>>;
    const bool empty = detail::first_buffers_empty(buffers);
    const bool is_continuation = detail::handler_is_continuation(handler);
    auto* o = detail::make_op<op>(this->native_handle(), buffers, flags,
                                  this->wrap(std::forward<WriteHandler>(handler)));
    this->start_op(detail::descriptor_state::write_op, o, is_continuation, true, empty);
  }
};

}  // namespace twin
