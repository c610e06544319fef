// twin::detail::sync_read_stream, sync_write_stream, async_stream — the
// shapes of the streams that read, write and read_until work on (Asio's
// SyncReadStream, SyncWriteStream, AsyncReadStream, AsyncWriteStream).
//
// A sync stream has read_some(buffers, ec) / write_some(buffers, ec) taking
// any buffer sequence and returning the bytes transferred. An async stream
// has get_executor() and async_read_some(buffers, handler) /
// async_write_some(buffers, handler), which complete the handler with
// (std::error_code, std::size_t), never inside the call; those two take a
// handler type that cannot be named here, so they are checked where the
// operation is instantiated.
#pragma once

#include <concepts>
#include <cstddef>
#include <system_error>

#include "twin/buffer.hpp"

namespace twin::detail {

template <typename S>
concept sync_read_stream = requires(S& s, const mutable_buffer& b, std::error_code& ec) {
  { s.read_some(b, ec) } -> std::convertible_to<std::size_t>;
};

template <typename S>
concept sync_write_stream = requires(S& s, const const_buffer& b, std::error_code& ec) {
  { s.write_some(b, ec) } -> std::convertible_to<std::size_t>;
};

template <typename S>
concept async_stream = requires(S& s) {
  s.get_executor();
};

}  // namespace twin::detail
