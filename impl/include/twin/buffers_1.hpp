// twin::mutable_buffers_1, const_buffers_1, null_buffers and buffer_cast —
// the older buffer names Asio 1.81 keeps as deprecated (present unless
// BOOST_ASIO_NO_DEPRECATED).
//
// mutable_buffers_1 and const_buffers_1 are a buffer that is also a sequence
// of one element, itself: anything that takes a buffer or a buffer sequence
// takes them. buffer_cast<T*>(b) is b.data() cast to T*. null_buffers is the
// empty sequence Asio's sockets took to mean "wait for readiness"; twin's
// sockets and descriptors refuse it at compile time (use wait() and
// async_wait()), other users of a sequence see no bytes in it. Nothing here
// is synchronised: an object may be used from any thread, one at a time.
#pragma once

#include <cstddef>

#include "twin/buffer.hpp"

namespace twin {

// A mutable_buffer that is a one-element sequence.
class mutable_buffers_1 : public mutable_buffer {
public:
  using value_type = mutable_buffer;
  using const_iterator = const mutable_buffer*;

  // The `size` bytes at `data`.
  mutable_buffers_1(void* data, std::size_t size) noexcept : mutable_buffer(data, size) {}
  // The memory of `b`.
  explicit mutable_buffers_1(const mutable_buffer& b) noexcept : mutable_buffer(b) {}

  // The one element: this buffer.
  const_iterator begin() const noexcept { return this; }
  const_iterator end() const noexcept { return begin() + 1; }
};

// A const_buffer that is a one-element sequence.
class const_buffers_1 : public const_buffer {
public:
  using value_type = const_buffer;
  using const_iterator = const const_buffer*;

  // The `size` bytes at `data`.
  const_buffers_1(const void* data, std::size_t size) noexcept : const_buffer(data, size) {}
  // The memory of `b`.
  explicit const_buffers_1(const const_buffer& b) noexcept : const_buffer(b) {}

  // The one element: this buffer.
  const_iterator begin() const noexcept { return this; }
  const_iterator end() const noexcept { return begin() + 1; }
};

// A sequence of no buffers (see the header comment for what it is not).
class null_buffers {
public:
  using value_type = mutable_buffer;
  using const_iterator = const mutable_buffer*;

  const_iterator begin() const noexcept { return &buf_; }
  const_iterator end() const noexcept { return &buf_; }

private:
  mutable_buffer buf_;
};

// The memory of `b` as a `PointerToPodType` (unchecked, as a static_cast).
template <typename PointerToPodType>
PointerToPodType buffer_cast(const mutable_buffer& b) noexcept {
  return static_cast<PointerToPodType>(b.data());
}
template <typename PointerToPodType>
PointerToPodType buffer_cast(const const_buffer& b) noexcept {
  return static_cast<PointerToPodType>(b.data());
}

}  // namespace twin
