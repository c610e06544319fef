// twin::read_until and twin::async_read_until — read into a dynamic buffer
// (or streambuf) until it contains a delimiter, a char or a string, or until
// a match condition says the data is complete.
//
// A match condition is a function (pointer) or a class with a result_type
// member (is_match_condition, as in Asio; specialise it for other types),
// called as pair<Iterator, bool>(Iterator first, Iterator last) with
// buffers_iterator<DynamicBuffer::const_buffers_type> over the bytes not yet
// searched. {it, true}: complete up to `it`, which the operation reports as
// its count. {it, false}: not yet; the next search (after more data)
// starts at `it`, so a condition returns `last` when nothing it saw can
// begin a match, and the start of a partial match otherwise. The operation
// keeps its own copy of the condition and calls it from its steps.
//
// On success they return (pass) the number of bytes up to and including the
// delimiter; the buffer may hold more after it, which the next call finds
// first. When the buffer reaches max_size() without the delimiter they fail
// with error::not_found; on a read error (error::eof at end of file) they
// fail with that error; failures report 0 bytes and leave what was read in
// the buffer. read_until blocks in the calling thread and does not read at
// all if the delimiter is already there; its first forms throw
// std::system_error. async_read_until calls handler(ec, n) from its last
// step: never inside the call, and on the handler's associated executor if
// it has one. The caller keeps the stream (and a streambuf) alive until then,
// and starts no other read on the stream meanwhile. The delimiter string is
// copied; the operation allocates nothing else beyond what the stream does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/buffer.hpp"
#include "twin/buffers_iterator.hpp"
#include "twin/detail/composed_op_base.hpp"
#include "twin/detail/dynamic_buffer_arg.hpp"
#include "twin/detail/read_until_op.hpp"
#include "twin/detail/stream_concepts.hpp"
#include "twin/error.hpp"

namespace twin {

namespace detail {
template <typename T>
concept has_result_type = requires {
  typename T::result_type;
};
}  // namespace detail

// May T be passed to read_until as a match condition? (A lambda has no
// result_type: wrap it, or specialise this, as with Asio.)
template <typename T>
struct is_match_condition : std::bool_constant<std::is_function_v<std::remove_pointer_t<T>> ||
                                               detail::has_result_type<T>> {};

namespace detail {
template <typename T>
concept match_condition = is_match_condition<T>::value;
}  // namespace detail

// Reads until the buffer contains `delim`; returns the bytes up to and
// including it, or 0 with `ec` set.
template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t read_until(Stream& s, DynamicBuffer&& buffers, char delim, std::error_code& ec) {
  auto b = detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers));
  return detail::read_until_dynamic(s, b, delim, ec);
}

template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t read_until(Stream& s, DynamicBuffer&& buffers, char delim) {
  return detail::or_throw("read_until", [&](std::error_code& ec) {
    return twin::read_until(s, std::forward<DynamicBuffer>(buffers), delim, ec);
  });
}

template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t read_until(Stream& s, DynamicBuffer&& buffers, std::string_view delim,
                       std::error_code& ec) {
  auto b = detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers));
  return detail::read_until_dynamic(s, b, delim, ec);
}

template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer>
std::size_t read_until(Stream& s, DynamicBuffer&& buffers, std::string_view delim) {
  return detail::or_throw("read_until", [&](std::error_code& ec) {
    return twin::read_until(s, std::forward<DynamicBuffer>(buffers), delim, ec);
  });
}

// Reads until `match_condition` reports a match; returns the count it gave,
// or 0 with `ec` set.
template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::match_condition MatchCondition>
std::size_t read_until(Stream& s, DynamicBuffer&& buffers, MatchCondition match_condition,
                       std::error_code& ec) {
  auto b = detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers));
  return detail::read_until_dynamic(s, b, match_condition, ec);
}

template <detail::sync_read_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::match_condition MatchCondition>
std::size_t read_until(Stream& s, DynamicBuffer&& buffers, MatchCondition match_condition) {
  return detail::or_throw("read_until", [&](std::error_code& ec) {
    return twin::read_until(s, std::forward<DynamicBuffer>(buffers), std::move(match_condition),
                            ec);
  });
}

// Starts reading until the buffer (a copy of it; a streambuf by reference)
// contains `delim`; then handler(ec, bytes up to and including it).
template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::io_handler Handler>
void async_read_until(Stream& s, DynamicBuffer&& buffers, char delim, Handler&& handler) {
  using buffer_type = detail::held_dynamic_buffer_t<DynamicBuffer>;
  using handler_type = std::decay_t<Handler>;
  detail::read_until_op<Stream, buffer_type, char, handler_type>(
      s, detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers)), delim,
      handler_type(std::forward<Handler>(handler)))
      .start();
}

template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::io_handler Handler>
void async_read_until(Stream& s, DynamicBuffer&& buffers, std::string_view delim,
                      Handler&& handler) {
  using buffer_type = detail::held_dynamic_buffer_t<DynamicBuffer>;
  using handler_type = std::decay_t<Handler>;
  detail::read_until_op<Stream, buffer_type, std::string, handler_type>(
      s, detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers)), std::string(delim),
      handler_type(std::forward<Handler>(handler)))
      .start();
}

// Starts reading until `match_condition` (copied) reports a match; then
// handler(ec, the count it gave).
template <detail::async_stream Stream, detail::dynamic_buffer_arg DynamicBuffer,
          detail::match_condition MatchCondition, detail::io_handler Handler>
void async_read_until(Stream& s, DynamicBuffer&& buffers, MatchCondition match_condition,
                      Handler&& handler) {
  using buffer_type = detail::held_dynamic_buffer_t<DynamicBuffer>;
  using handler_type = std::decay_t<Handler>;
  // A function is kept as a pointer to it.
  using condition_type = std::decay_t<MatchCondition>;
  detail::read_until_op<Stream, buffer_type, condition_type, handler_type>(
      s, detail::hold_dynamic_buffer(std::forward<DynamicBuffer>(buffers)),
      condition_type(std::move(match_condition)), handler_type(std::forward<Handler>(handler)))
      .start();
}

}  // namespace twin
