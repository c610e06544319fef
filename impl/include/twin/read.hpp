// twin::read and twin::async_read — read until a completion condition is
// satisfied, into a buffer sequence or a dynamic buffer (or streambuf).
//
// Without a condition they read until the buffers are full (a dynamic
// buffer: until max_size()), end of file, or an error (transfer_all()).
// read blocks in the calling thread, calling s.read_some(buffers, ec); its
// first forms throw std::system_error, the forms taking `ec` report through
// it. async_read calls s.async_read_some(buffers, op) until done, then calls
// handler(ec, bytes_transferred) from the last step: never inside the
// async_read call, and on the handler's associated executor (for example a
// strand it was bound to) if it has one. The caller keeps the stream, the
// buffers' memory (and a streambuf) alive until then, and starts no other
// read on the stream meanwhile. Move-only handlers are accepted; nothing is
// allocated beyond what the stream allocates for each step.
#pragma once

#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/buffer.hpp"
#include "twin/completion_condition.hpp"
#include "twin/detail/composed_op_base.hpp"
#include "twin/detail/dynamic_buffer_arg.hpp"
#include "twin/detail/read_dynbuf_op.hpp"
#include "twin/detail/stream_concepts.hpp"
#include "twin/detail/transfer_op.hpp"
#include "twin/error.hpp"

namespace twin {

// Reads into `buffers` until `condition` says done; returns the bytes read.
template <detail::sync_read_stream Stream, detail::mutable_buffer_sequence Buffers,
          detail::completion_condition Condition>
std::size_t read(Stream& s, const Buffers& buffers, Condition condition, std::error_code& ec) {
  return detail::transfer<detail::reading>(s, buffers, condition, ec);
}

template <detail::sync_read_stream Stream, detail::mutable_buffer_sequence Buffers,
          detail::completion_condition Condition>
std::size_t read(Stream& s, const Buffers& buffers, Condition condition) {
  return detail::or_throw("read", [&](std::error_code& ec) {
    return twin::read(s, buffers, std::move(condition), ec);
  });
}

template <detail::sync_read_stream Stream, detail::mutable_buffer_sequence Buffers>
std::size_t read(Stream& s, const Buffers& buffers, std::error_code& ec) {
  return twin::read(s, buffers, transfer_all(), ec);
}

template <detail::sync_read_stream Stream, detail::mutable_buffer_sequence Buffers>
std::size_t read(Stream& s, const Buffers& buffers) {
  return twin::read(s, buffers, transfer_all());
}

// Reads into the dynamic buffer until `condition` says done or it is at
// max_size(); returns the bytes read (committed to the buffer).
template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::completion_condition Condition>
std::size_t read(Stream& s, DynamicBuffer&& buffers, Condition condition, std::error_code& ec) {
  auto b = detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers));
  return detail::read_dynamic(s, b, condition, ec);
}

template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::completion_condition Condition>
std::size_t read(Stream& s, DynamicBuffer&& buffers, Condition condition) {
  return detail::or_throw("read", [&](std::error_code& ec) {
    return twin::read(s, std::forward<DynamicBuffer>(buffers), std::move(condition), ec);
  });
}

// Reads until end of file (reported as error::eof), max_size() or an error.
template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t read(Stream& s, DynamicBuffer&& buffers, std::error_code& ec) {
  return twin::read(s, std::forward<DynamicBuffer>(buffers), transfer_all(), ec);
}

template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t read(Stream& s, DynamicBuffer&& buffers) {
  return twin::read(s, std::forward<DynamicBuffer>(buffers), transfer_all());
}

// Starts reading into `buffers` until `condition` says done, the buffers are
// full, end of file or an error; then handler(ec, bytes_read).
template <detail::async_stream Stream, detail::mutable_buffer_sequence Buffers,
          detail::completion_condition Condition, detail::io_handler Handler>
void async_read(Stream& s, const Buffers& buffers, Condition condition, Handler&& handler) {
  using handler_type = std::decay_t<Handler>;
  detail::transfer_op<detail::reading, Stream, Buffers, Condition, handler_type>(
      s, buffers, std::move(condition), handler_type(std::forward<Handler>(handler)))
      .start();
}

template <detail::async_stream Stream, detail::mutable_buffer_sequence Buffers,
          detail::io_handler Handler>
void async_read(Stream& s, const Buffers& buffers, Handler&& handler) {
  twin::async_read(s, buffers, transfer_all(), std::forward<Handler>(handler));
}

// Starts reading into the dynamic buffer (a copy of it; a streambuf by
// reference) until `condition` says done, max_size(), end of file or an
// error; then handler(ec, bytes_read), the bytes committed to the buffer.
template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::completion_condition Condition, detail::io_handler Handler>
void async_read(Stream& s, DynamicBuffer&& buffers, Condition condition, Handler&& handler) {
  using buffer_type = detail::held_dynamic_buffer_t<DynamicBuffer>;
  using handler_type = std::decay_t<Handler>;
  detail::read_dynbuf_op<Stream, buffer_type, Condition, handler_type>(
      s, detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers)), std::move(condition),
      handler_type(std::forward<Handler>(handler)))
      .start();
}

template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::io_handler Handler>
void async_read(Stream& s, DynamicBuffer&& buffers, Handler&& handler) {
  twin::async_read(s, std::forward<DynamicBuffer>(buffers), transfer_all(),
                   std::forward<Handler>(handler));
}

}  // namespace twin
