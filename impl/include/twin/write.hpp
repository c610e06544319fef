// twin::write and twin::async_write — write until a completion condition is
// satisfied, from a buffer sequence or a dynamic buffer (or streambuf).
//
// Without a condition they write everything, unless an error stops them
// (transfer_all()). A dynamic buffer's readable bytes are written and the
// bytes written are then consumed from it. write blocks in the calling
// thread, calling s.write_some(buffers, ec); its first forms throw
// std::system_error, the forms taking `ec` report through it. async_write
// calls s.async_write_some(buffers, op) until done, then calls
// handler(ec, bytes_written) from the last step: never inside the
// async_write call, and on the handler's associated executor if it has one.
// The caller keeps the stream and the data alive until then, and starts no
// other write on the stream meanwhile (Asio's rule: writes would interleave).
#pragma once

#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/buffer.hpp"
#include "twin/completion_condition.hpp"
#include "twin/detail/composed_op_base.hpp"
#include "twin/detail/dynamic_buffer_arg.hpp"
#include "twin/detail/stream_concepts.hpp"
#include "twin/detail/transfer_op.hpp"
#include "twin/error.hpp"

namespace twin {

namespace detail {

// async_write's handler for a dynamic buffer: consumes what was written,
// then calls the user's handler.
template <typename DynamicBuffer, typename Handler>
class write_dynbuf_handler : public composed_op_base<Handler> {
public:
  write_dynbuf_handler(DynamicBuffer&& buffers, Handler&& handler)
      : composed_op_base<Handler>(std::move(handler)), buffers_(std::move(buffers)) {}

  void operator()(const std::error_code& ec, std::size_t bytes_transferred) {
    buffers_.consume(bytes_transferred);
    this->complete(ec, bytes_transferred);
  }

private:
  DynamicBuffer buffers_;
};

}  // namespace detail

// Writes `buffers` until `condition` says done; returns the bytes written.
template <detail::sync_write_stream Stream, detail::const_buffer_sequence Buffers,
          detail::completion_condition Condition>
std::size_t write(Stream& s, const Buffers& buffers, Condition condition, std::error_code& ec) {
  return detail::transfer<detail::writing>(s, buffers, condition, ec);
}

template <detail::sync_write_stream Stream, detail::const_buffer_sequence Buffers,
          detail::completion_condition Condition>
std::size_t write(Stream& s, const Buffers& buffers, Condition condition) {
  return detail::or_throw("write", [&](std::error_code& ec) {
    return twin::write(s, buffers, std::move(condition), ec);
  });
}

template <detail::sync_write_stream Stream, detail::const_buffer_sequence Buffers>
std::size_t write(Stream& s, const Buffers& buffers, std::error_code& ec) {
  return twin::write(s, buffers, transfer_all(), ec);
}

template <detail::sync_write_stream Stream, detail::const_buffer_sequence Buffers>
std::size_t write(Stream& s, const Buffers& buffers) {
  return twin::write(s, buffers, transfer_all());
}

// Writes the dynamic buffer's readable bytes until `condition` says done,
// then consumes what was written; returns the bytes written.
template <detail::sync_write_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::completion_condition Condition>
std::size_t write(Stream& s, DynamicBuffer&& buffers, Condition condition, std::error_code& ec) {
  auto b = detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers));
  std::size_t n = twin::write(s, b.data(), std::move(condition), ec);
  b.consume(n);
  return n;
}

template <detail::sync_write_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::completion_condition Condition>
std::size_t write(Stream& s, DynamicBuffer&& buffers, Condition condition) {
  return detail::or_throw("write", [&](std::error_code& ec) {
    return twin::write(s, std::forward<DynamicBuffer>(buffers), std::move(condition), ec);
  });
}

template <detail::sync_write_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t write(Stream& s, DynamicBuffer&& buffers, std::error_code& ec) {
  return twin::write(s, std::forward<DynamicBuffer>(buffers), transfer_all(), ec);
}

template <detail::sync_write_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t write(Stream& s, DynamicBuffer&& buffers) {
  return twin::write(s, std::forward<DynamicBuffer>(buffers), transfer_all());
}

// Starts writing `buffers` until `condition` says done, all is written or an
// error; then handler(ec, bytes_written).
template <detail::async_stream Stream, detail::const_buffer_sequence Buffers,
          detail::completion_condition Condition, detail::io_handler Handler>
void async_write(Stream& s, const Buffers& buffers, Condition condition, Handler&& handler) {
  using handler_type = std::decay_t<Handler>;
  detail::transfer_op<detail::writing, Stream, Buffers, Condition, handler_type>(
      s, buffers, std::move(condition), handler_type(std::forward<Handler>(handler)))
      .start();
}

template <detail::async_stream Stream, detail::const_buffer_sequence Buffers,
          detail::io_handler Handler>
void async_write(Stream& s, const Buffers& buffers, Handler&& handler) {
  twin::async_write(s, buffers, transfer_all(), std::forward<Handler>(handler));
}

// Starts writing the dynamic buffer's readable bytes (as they are now);
// when done, consumes what was written, then handler(ec, bytes_written).
template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::completion_condition Condition, detail::io_handler Handler>
void async_write(Stream& s, DynamicBuffer&& buffers, Condition condition, Handler&& handler) {
  using buffer_type = detail::held_dynamic_buffer_t<DynamicBuffer>;
  using handler_type = std::decay_t<Handler>;
  buffer_type b = detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers));
  auto data = b.data();
  twin::async_write(s, data, std::move(condition),
                    detail::write_dynbuf_handler<buffer_type, handler_type>(
                        std::move(b), handler_type(std::forward<Handler>(handler))));
}

template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::io_handler Handler>
void async_write(Stream& s, DynamicBuffer&& buffers, Handler&& handler) {
  twin::async_write(s, std::forward<DynamicBuffer>(buffers), transfer_all(),
                    std::forward<Handler>(handler));
}

}  // namespace twin
