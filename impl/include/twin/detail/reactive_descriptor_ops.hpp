// twin::detail::descriptor_read_op and descriptor_write_op — an async
// read_some/write_some on a descriptor that is no socket (readv/writev),
// for posix::basic_stream_descriptor. perform() runs with the descriptor's
// mutex held, in the initiating thread or the one performing I/O; the
// handler, handler(ec, bytes_transferred), runs through the io_context.
//
// Each always reports `done`, never "drained": a pipe's or tty's short read
// proves nothing about what arrives next, so the next read tries at once.
#pragma once

#include <utility>

#include "twin/detail/descriptor_ops.hpp"
#include "twin/detail/iovec_array.hpp"
#include "twin/detail/reactive_socket_ops.hpp"

namespace twin::detail {

template <typename MutableBuffers, typename Handler>
class descriptor_read_op final
    : public socket_transfer_op<descriptor_read_op<MutableBuffers, Handler>, MutableBuffers,
                                Handler> {
  using base_type = socket_transfer_op<descriptor_read_op, MutableBuffers, Handler>;

public:
  template <typename H>
  descriptor_read_op(int d, const MutableBuffers& buffers, H&& handler)
      : base_type(&do_perform, d, buffers, 0, std::forward<H>(handler)) {}

private:
  static reactor_op::status do_perform(reactor_op* base) {
    auto* self = static_cast<descriptor_read_op*>(base);
    iovec_array bufs(self->buffers_);
    return descriptor_ops::non_blocking_read(self->socket_, bufs.data(), bufs.count(), self->ec_,
                                             self->bytes_transferred_)
               ? reactor_op::done
               : reactor_op::not_done;
  }
};

template <typename ConstBuffers, typename Handler>
class descriptor_write_op final
    : public socket_transfer_op<descriptor_write_op<ConstBuffers, Handler>, ConstBuffers, Handler> {
  using base_type = socket_transfer_op<descriptor_write_op, ConstBuffers, Handler>;

public:
  template <typename H>
  descriptor_write_op(int d, const ConstBuffers& buffers, H&& handler)
      : base_type(&do_perform, d, buffers, 0, std::forward<H>(handler)) {}

private:
  static reactor_op::status do_perform(reactor_op* base) {
    auto* self = static_cast<descriptor_write_op*>(base);
    iovec_array bufs(self->buffers_);
    return descriptor_ops::non_blocking_write(self->socket_, bufs.data(), bufs.count(), self->ec_,
                                              self->bytes_transferred_)
               ? reactor_op::done
               : reactor_op::not_done;
  }
};

}  // namespace twin::detail
