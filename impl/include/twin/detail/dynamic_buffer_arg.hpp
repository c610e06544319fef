// twin::detail::hold_dynamic_buffer — how read, read_until and write keep
// the dynamic buffer they are given, how much they ask it to prepare, and how
// the async forms start a read into it.
//
// A dynamic buffer (dynamic_string_buffer, dynamic_vector_buffer) is a
// view: the operation keeps its own copy, as Asio does. One that cannot be
// copied, such as a streambuf, is kept by reference (Asio's
// basic_streambuf_ref) and must outlive the operation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "twin/buffer.hpp"

namespace twin::detail {

// Forwards to a dynamic buffer that lives elsewhere.
template <typename DynamicBuffer>
class dynamic_buffer_ref {
public:
  using const_buffers_type = typename DynamicBuffer::const_buffers_type;
  using mutable_buffers_type = typename DynamicBuffer::mutable_buffers_type;

  explicit dynamic_buffer_ref(DynamicBuffer& target) noexcept : target_(&target) {}

  std::size_t size() const noexcept { return target_->size(); }
  std::size_t max_size() const noexcept { return target_->max_size(); }
  std::size_t capacity() const noexcept { return target_->capacity(); }
  const_buffers_type data() const noexcept { return target_->data(); }
  mutable_buffers_type prepare(std::size_t n) { return target_->prepare(n); }
  void commit(std::size_t n) { target_->commit(n); }
  void consume(std::size_t n) { target_->consume(n); }

private:
  DynamicBuffer* target_;
};

// What the dynamic-buffer overloads accept: a dynamic buffer they can copy
// (or move), or a non-const lvalue of one they cannot.
template <typename B>
concept dynamic_buffer_arg = dynamic_buffer_v1<std::remove_cvref_t<B>> &&
    (std::is_constructible_v<std::remove_cvref_t<B>, B> ||
     (std::is_lvalue_reference_v<B> && !std::is_const_v<std::remove_reference_t<B>>));

// The operation's own copy of `b`, or a reference to it.
template <dynamic_buffer_arg B>
auto hold_dynamic_buffer(B&& b) {
  using T = std::remove_cvref_t<B>;
  if constexpr (std::is_constructible_v<T, B>)
    return T(std::forward<B>(b));
  else
    return dynamic_buffer_ref<T>(b);
}

template <typename B>
using held_dynamic_buffer_t = decltype(hold_dynamic_buffer(std::declval<B>()));

// The smallest read a composed read asks a dynamic buffer to prepare.
inline constexpr std::size_t min_read_size = 512;

// How many bytes the next read into `b` asks for: the free capacity, but
// at least 512, and at most `max` and what max_size() leaves (0: full).
template <typename DynamicBuffer>
std::size_t read_size(const DynamicBuffer& b, std::size_t max) {
  std::size_t size = b.size();
  std::size_t spare = b.capacity() > size ? b.capacity() - size : 0;
  std::size_t room = b.max_size() > size ? b.max_size() - size : 0;
  return std::min(std::max(min_read_size, spare), std::min(max, room));
}

// Starts s.async_read_some into `want` bytes prepared in `b`, with `op`, the
// operation that holds `b`, as the handler: nothing may touch `op`
// afterwards. The space is prepared first, in a statement of its own: the
// order in which a call's arguments are evaluated is unspecified, and a
// stream that takes its handler by value may build it from `op` (moving `b`
// away) before prepare() would run.
template <typename Stream, typename DynamicBuffer, typename Op>
void async_read_some_into(Stream& s, DynamicBuffer& b, std::size_t want, Op&& op) {
  const auto space = b.prepare(want);
  s.async_read_some(space, std::forward<Op>(op));
}

}  // namespace twin::detail
