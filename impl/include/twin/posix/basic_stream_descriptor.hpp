// twin::posix::basic_stream_descriptor — a byte stream on a descriptor that
// is no socket (a pipe, a tty, an eventfd), with Asio's interface:
// read_some/write_some and their async forms (Asio's
// posix::basic_stream_descriptor).
//
// Async operations try the system call at once when nothing is queued
// ahead of them, and wait for readiness only if it would block; the handler
// runs later, through the io_context, never inside the initiating call. A
// zero-length read or write completes at once with no error; a read that
// finds the writer gone completes with error::eof.
#pragma once

#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/detail/descriptor_ops.hpp"
#include "twin/detail/iovec_array.hpp"
#include "twin/detail/reactive_descriptor_ops.hpp"
#include "twin/posix/basic_descriptor.hpp"

namespace twin::posix {

template <typename Executor = any_io_executor>
class basic_stream_descriptor : public basic_descriptor<Executor> {
  using base = basic_descriptor<Executor>;

public:
  using typename base::executor_type;
  using typename base::native_handle_type;

  using base::base;
  basic_stream_descriptor(basic_stream_descriptor&&) noexcept = default;
  basic_stream_descriptor& operator=(basic_stream_descriptor&&) noexcept = default;

  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    return detail::or_throw("read_some",
                            [&](std::error_code& ec) { return read_some(buffers, ec); });
  }
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    return detail::descriptor_ops::sync_read(this->native_handle(), this->state(), bufs.data(),
                                             bufs.count(), bufs.all_empty(), ec);
  }

  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    return detail::or_throw("write_some",
                            [&](std::error_code& ec) { return write_some(buffers, ec); });
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, std::error_code& ec) {
    detail::iovec_array bufs(buffers);
    return detail::descriptor_ops::sync_write(this->native_handle(), this->state(), bufs.data(),
                                              bufs.count(), bufs.all_empty(), ec);
  }

  // Calls handler(std::error_code, std::size_t) once some bytes were read.
  template <typename MutableBuffers, typename ReadHandler>
  void async_read_some(const MutableBuffers& buffers, ReadHandler&& handler) {
    start<detail::descriptor_read_op<MutableBuffers,
                                     detail::on_io_executor_t<Executor, ReadHandler>>>(
        detail::descriptor_state::read_op, buffers, std::forward<ReadHandler>(handler));
  }

  // Calls handler(std::error_code, std::size_t) once some bytes were written.
  template <typename ConstBuffers, typename WriteHandler>
  void async_write_some(const ConstBuffers& buffers, WriteHandler&& handler) {
    start<detail::descriptor_write_op<ConstBuffers,
                                      detail::on_io_executor_t<Executor, WriteHandler>>>(
        detail::descriptor_state::write_op, buffers, std::forward<WriteHandler>(handler));
  }

private:
  template <typename Op, typename Buffers, typename Handler>
  void start(int op_type, const Buffers& buffers, Handler&& handler) {
    const bool empty = detail::first_buffers_empty(buffers);
    const bool is_continuation = detail::handler_is_continuation(handler);
    auto* o = detail::make_op<Op>(this->native_handle(), buffers,
                                  this->wrap(std::forward<Handler>(handler)));
    this->start_op(op_type, o, is_continuation, true, empty);
  }
};

}  // namespace twin::posix
