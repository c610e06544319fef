// twin::mutable_buffer, twin::const_buffer and the buffer sequences built
// from them: what every read and write takes, with Asio's names.
//
// A buffer is a (pointer, size) view of memory it does not own: the caller
// keeps that memory alive, and unchanged by others, until the operation that
// uses it completes. A buffer sequence is one buffer or any container of
// buffers (std::vector<const_buffer>, std::array<mutable_buffer, N>, ...).
// buffer(...) makes a buffer over raw memory or a standard container;
// dynamic_buffer(...) makes a growable buffer over a std::string or a
// std::vector<char>: Asio's DynamicBuffer v1 (what read, async_read and
// read_until use) and v2 on the same object. Nothing here is synchronised: a buffer object may be
// used from any thread, one at a time.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace twin {

// A view of modifiable memory: what reads fill.
class mutable_buffer {
public:
  // An empty buffer.
  mutable_buffer() noexcept = default;
  // The `size` bytes at `data`.
  mutable_buffer(void* data, std::size_t size) noexcept : data_(data), size_(size) {}

  void* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

  // Drops the first `n` bytes (all of them when n > size()).
  mutable_buffer& operator+=(std::size_t n) noexcept {
    std::size_t skip = std::min(n, size_);
    data_ = static_cast<char*>(data_) + skip;
    size_ -= skip;
    return *this;
  }

private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

// A view of read-only memory: what writes send.
class const_buffer {
public:
  // An empty buffer.
  const_buffer() noexcept = default;
  // The `size` bytes at `data`.
  const_buffer(const void* data, std::size_t size) noexcept : data_(data), size_(size) {}
  // The same memory, read-only.
  const_buffer(const mutable_buffer& b) noexcept : data_(b.data()), size_(b.size()) {}

  const void* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

  // Drops the first `n` bytes (all of them when n > size()).
  const_buffer& operator+=(std::size_t n) noexcept {
    std::size_t skip = std::min(n, size_);
    data_ = static_cast<const char*>(data_) + skip;
    size_ -= skip;
    return *this;
  }

private:
  const void* data_ = nullptr;
  std::size_t size_ = 0;
};

// `b` without its first `n` bytes.
inline mutable_buffer operator+(mutable_buffer b, std::size_t n) noexcept { return b += n; }
inline mutable_buffer operator+(std::size_t n, mutable_buffer b) noexcept { return b += n; }
inline const_buffer operator+(const_buffer b, std::size_t n) noexcept { return b += n; }
inline const_buffer operator+(std::size_t n, const_buffer b) noexcept { return b += n; }

namespace detail {

// "No limit" for every max_size argument.
inline constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

// A buffer type itself, or a class derived from one: a one-buffer sequence.
template <typename T>
concept single_mutable_buffer = std::is_convertible_v<const T*, const mutable_buffer*>;
template <typename T>
concept single_const_buffer = std::is_convertible_v<const T*, const const_buffer*>;
template <typename T>
concept single_buffer = single_mutable_buffer<T> || single_const_buffer<T>;

// What buffer(...) accepts as the element of an array, vector or string.
template <typename T>
concept pod = std::is_trivially_copyable_v<T>;

}  // namespace detail

// The first and one-past-the-last buffer of a sequence. A single buffer is a
// sequence of one; any other sequence is a container of buffers (its begin()
// and end()).
template <detail::single_mutable_buffer T>
const mutable_buffer* buffer_sequence_begin(const T& b) noexcept {
  return static_cast<const mutable_buffer*>(std::addressof(b));
}
template <detail::single_mutable_buffer T>
const mutable_buffer* buffer_sequence_end(const T& b) noexcept {
  return static_cast<const mutable_buffer*>(std::addressof(b)) + 1;
}
template <detail::single_const_buffer T>
const const_buffer* buffer_sequence_begin(const T& b) noexcept {
  return static_cast<const const_buffer*>(std::addressof(b));
}
template <detail::single_const_buffer T>
const const_buffer* buffer_sequence_end(const T& b) noexcept {
  return static_cast<const const_buffer*>(std::addressof(b)) + 1;
}
// clang-format 14 mangles a requires-clause that joins two.
// clang-format off
template <typename C>
  requires(!detail::single_buffer<C>) && requires(const C& c) { c.begin(); }
auto buffer_sequence_begin(const C& c) noexcept(noexcept(c.begin())) -> decltype(c.begin()) {
  return c.begin();
}
template <typename C>
  requires(!detail::single_buffer<C>) && requires(const C& c) { c.end(); }
auto buffer_sequence_end(const C& c) noexcept(noexcept(c.end())) -> decltype(c.end()) {
  return c.end();
}
// clang-format on

namespace detail {

// A sequence whose elements convert to `Buffer`.
template <typename T, typename Buffer>
concept buffer_sequence_of = requires(const T& t) {
  { *buffer_sequence_begin(t) } -> std::convertible_to<Buffer>;
  { buffer_sequence_end(t) } -> std::equality_comparable_with<decltype(buffer_sequence_begin(t))>;
};

// Asio's MutableBufferSequence: what reads fill.
template <typename T>
concept mutable_buffer_sequence = buffer_sequence_of<T, mutable_buffer>;

// Asio's ConstBufferSequence: what writes send (every mutable one is one too).
template <typename T>
concept const_buffer_sequence = buffer_sequence_of<T, const_buffer>;

// What both versions of Asio's DynamicBuffer have: the buffer sequence
// types, size(), max_size(), capacity() and consume(n) from the front.
// clang-format 14 mangles a concept joined with &&.
// clang-format off
template <typename T>
concept dynamic_buffer_common = requires(T& b, const T& cb, std::size_t n) {
  typename T::const_buffers_type;
  typename T::mutable_buffers_type;
  { cb.size() } -> std::convertible_to<std::size_t>;
  { cb.max_size() } -> std::convertible_to<std::size_t>;
  { cb.capacity() } -> std::convertible_to<std::size_t>;
  b.consume(n);
} && const_buffer_sequence<typename T::const_buffers_type>
  && mutable_buffer_sequence<typename T::mutable_buffers_type>;

// Asio's DynamicBuffer (v1): readable bytes data() followed by a writable
// area that prepare(n) opens and commit(n) turns into readable bytes.
template <typename T>
concept dynamic_buffer_v1 = dynamic_buffer_common<T> && requires(T& b, const T& cb, std::size_t n) {
  { cb.data() } -> std::convertible_to<typename T::const_buffers_type>;
  { b.prepare(n) } -> std::convertible_to<typename T::mutable_buffers_type>;
  b.commit(n);
};

// Asio's DynamicBuffer (v2): one area of bytes that grow(n) lengthens and
// shrink(n) shortens at the end; data(pos, n) views any part of it.
template <typename T>
concept dynamic_buffer_v2 = dynamic_buffer_common<T> && requires(T& b, const T& cb, std::size_t n) {
  { cb.data(n, n) } -> std::convertible_to<typename T::const_buffers_type>;
  { b.data(n, n) } -> std::convertible_to<typename T::mutable_buffers_type>;
  b.grow(n);
  b.shrink(n);
};
// clang-format on

}  // namespace detail

// Asio's trait names for the concepts above.
template <typename T>
struct is_mutable_buffer_sequence : std::bool_constant<detail::mutable_buffer_sequence<T>> {};
template <typename T>
struct is_const_buffer_sequence : std::bool_constant<detail::const_buffer_sequence<T>> {};
template <typename T>
struct is_dynamic_buffer_v1 : std::bool_constant<detail::dynamic_buffer_v1<T>> {};
template <typename T>
struct is_dynamic_buffer_v2 : std::bool_constant<detail::dynamic_buffer_v2<T>> {};
// DynamicBuffer means v1, as in Asio built without BOOST_ASIO_NO_DYNAMIC_BUFFER_V1.
template <typename T>
struct is_dynamic_buffer : is_dynamic_buffer_v1<T> {};

// The total number of bytes in a sequence.
template <detail::const_buffer_sequence Buffers>
std::size_t buffer_size(const Buffers& buffers) noexcept {
  std::size_t total = 0;
  auto end = buffer_sequence_end(buffers);
  for (auto it = buffer_sequence_begin(buffers); it != end; ++it) total += const_buffer(*it).size();
  return total;
}

// Copies bytes from `source` to `target`, across element boundaries, until
// either runs out or `max_bytes_to_copy` were copied; returns the count.
template <detail::mutable_buffer_sequence Target, detail::const_buffer_sequence Source>
std::size_t buffer_copy(const Target& target, const Source& source,
                        std::size_t max_bytes_to_copy = detail::unlimited) noexcept {
  auto to = buffer_sequence_begin(target);
  auto to_end = buffer_sequence_end(target);
  auto from = buffer_sequence_begin(source);
  auto from_end = buffer_sequence_end(source);
  std::size_t to_offset = 0, from_offset = 0, copied = 0;
  while (to != to_end && from != from_end && copied < max_bytes_to_copy) {
    mutable_buffer dst = mutable_buffer(*to) + to_offset;
    const_buffer src = const_buffer(*from) + from_offset;
    std::size_t n = std::min({dst.size(), src.size(), max_bytes_to_copy - copied});
    if (n > 0) std::memcpy(dst.data(), src.data(), n);
    copied += n;
    to_offset += n;
    from_offset += n;
    if (n == dst.size()) {
      ++to;
      to_offset = 0;
    }
    if (n == src.size()) {
      ++from;
      from_offset = 0;
    }
  }
  return copied;
}

// buffer(...): a buffer over memory the caller owns. Each form takes an
// optional `max_size_in_bytes` that cuts the buffer shorter. A non-const
// container gives a mutable_buffer, a const one a const_buffer; an empty
// container gives a null pointer.

inline mutable_buffer buffer(void* data, std::size_t size_in_bytes) noexcept {
  return {data, size_in_bytes};
}
inline const_buffer buffer(const void* data, std::size_t size_in_bytes) noexcept {
  return {data, size_in_bytes};
}
inline mutable_buffer buffer(const mutable_buffer& b,
                             std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {b.data(), std::min(b.size(), max_size_in_bytes)};
}
inline const_buffer buffer(const const_buffer& b,
                           std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {b.data(), std::min(b.size(), max_size_in_bytes)};
}

template <detail::pod T, std::size_t N>
mutable_buffer buffer(T (&data)[N], std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data, std::min(N * sizeof(T), max_size_in_bytes)};
}
template <detail::pod T, std::size_t N>
const_buffer buffer(const T (&data)[N],
                    std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data, std::min(N * sizeof(T), max_size_in_bytes)};
}

template <detail::pod T, std::size_t N>
mutable_buffer buffer(std::array<T, N>& data,
                      std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {N ? data.data() : nullptr, std::min(N * sizeof(T), max_size_in_bytes)};
}
template <detail::pod T, std::size_t N>
const_buffer buffer(std::array<const T, N>& data,
                    std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {N ? data.data() : nullptr, std::min(N * sizeof(T), max_size_in_bytes)};
}
template <detail::pod T, std::size_t N>
const_buffer buffer(const std::array<T, N>& data,
                    std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {N ? data.data() : nullptr, std::min(N * sizeof(T), max_size_in_bytes)};
}

template <detail::pod T, typename Allocator>
mutable_buffer buffer(std::vector<T, Allocator>& data,
                      std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data.empty() ? nullptr : data.data(),
          std::min(data.size() * sizeof(T), max_size_in_bytes)};
}
template <detail::pod T, typename Allocator>
const_buffer buffer(const std::vector<T, Allocator>& data,
                    std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data.empty() ? nullptr : data.data(),
          std::min(data.size() * sizeof(T), max_size_in_bytes)};
}

template <typename Elem, typename Traits, typename Allocator>
mutable_buffer buffer(std::basic_string<Elem, Traits, Allocator>& data,
                      std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data.empty() ? nullptr : data.data(),
          std::min(data.size() * sizeof(Elem), max_size_in_bytes)};
}
template <typename Elem, typename Traits, typename Allocator>
const_buffer buffer(const std::basic_string<Elem, Traits, Allocator>& data,
                    std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data.empty() ? nullptr : data.data(),
          std::min(data.size() * sizeof(Elem), max_size_in_bytes)};
}
template <typename Elem, typename Traits>
const_buffer buffer(std::basic_string_view<Elem, Traits> data,
                    std::size_t max_size_in_bytes = detail::unlimited) noexcept {
  return {data.empty() ? nullptr : data.data(),
          std::min(data.size() * sizeof(Elem), max_size_in_bytes)};
}

namespace detail {

// A dynamic buffer over a std::string or std::vector of bytes it does not
// own: Asio's DynamicBuffer v1 and v2 on one object, as Asio's are. Copies
// share the container.
//
// v2: the container is the buffer. size() is its size (at most max_size());
// grow(n) and shrink(n) resize it at the end, consume(n) erases at the front
// and data(pos, n) views any part of it.
//
// v1: the container's contents are the readable bytes until the first
// prepare(n), which resizes it to open n bytes after them; from then on this
// copy tracks its own readable size, which size() reports: commit(n) keeps n
// of the prepared bytes and drops the rest, consume(n) erases readable
// bytes. So an operation works on its own copy while the caller's copy
// keeps reading the container directly.
//
// Mixing the two follows Asio's arithmetic: once a copy has prepared, grow
// and shrink measure from its readable size and leave that size alone.
template <typename Container>
class dynamic_container_buffer {
public:
  static_assert(sizeof(typename Container::value_type) == 1, "a dynamic buffer holds bytes");

  using const_buffers_type = const_buffer;
  using mutable_buffers_type = mutable_buffer;

  // A buffer over `c`, never to grow beyond `maximum_size` bytes.
  explicit dynamic_container_buffer(Container& c, std::size_t maximum_size = unlimited) noexcept
      : container_(&c), max_size_(maximum_size) {}

  // The readable bytes once this copy has prepared; until then the
  // container's size, at most max_size().
  std::size_t size() const noexcept {
    return readable_ != unset ? readable_ : std::min(container_->size(), max_size_);
  }
  std::size_t max_size() const noexcept { return max_size_; }
  // The container's capacity, at most max_size().
  std::size_t capacity() const noexcept { return std::min(container_->capacity(), max_size_); }

  // v1: the readable bytes — the whole container until this copy first
  // prepares (even past max_size(), as Asio's), then size() bytes (no more
  // than the container holds). Invalidated by anything that resizes it.
  const_buffer data() const noexcept {
    return {container_->data(), std::min(container_->size(), readable_)};
  }

  // v2: the bytes [pos, pos + n) of the container's first max_size() bytes,
  // cut short where those end (empty when pos is past them). Invalidated by
  // anything that resizes the container.
  mutable_buffer data(std::size_t pos, std::size_t n) noexcept {
    const_buffer b = std::as_const(*this).data(pos, n);
    return {const_cast<void*>(b.data()), b.size()};
  }
  const_buffer data(std::size_t pos, std::size_t n) const noexcept {
    std::size_t end = std::min(container_->size(), max_size_);
    std::size_t skip = std::min(pos, end);
    return {container_->data() + skip, std::min(n, end - skip)};
  }

  // v1: opens `n` writable bytes after the readable ones; throws
  // std::length_error when size() + n would exceed max_size().
  mutable_buffer prepare(std::size_t n) {
    std::size_t have = size();
    check_room(have, n);
    readable_ = have;
    container_->resize(have + n);
    return {container_->data() + have, n};
  }

  // v1: makes the first `n` prepared bytes readable (at most all of them)
  // and drops the rest of the prepared area.
  void commit(std::size_t n) {
    std::size_t have = size();
    std::size_t prepared = container_->size() > have ? container_->size() - have : 0;
    readable_ = have + std::min(n, prepared);
    container_->resize(readable_);
  }

  // v2: resizes the container to size() + n bytes, the new ones zero;
  // throws std::length_error when that would exceed max_size(). A container
  // already longer than max_size() is cut to max_size() + n, as Asio's is.
  void grow(std::size_t n) {
    std::size_t have = size();
    check_room(have, n);
    container_->resize(have + n);
  }

  // v2: resizes the container to size() - n bytes (empty when n > size()).
  void shrink(std::size_t n) {
    std::size_t have = size();
    container_->resize(n > have ? 0 : have - n);
  }

  // Erases the first `n` bytes: v1, of the readable ones (all of them when
  // n > size()); v2, of the container — a string's up to all of it, a
  // vector's up to size(), which stops at max_size(), as Asio's two differ.
  void consume(std::size_t n) {
    if (readable_ != unset) {
      std::size_t erase = std::min(n, readable_);
      erase_front(std::min(erase, container_->size()));
      readable_ -= erase;
      return;
    }
    erase_front(std::min(n, is_vector ? size() : container_->size()));
  }

private:
  static constexpr std::size_t unset = unlimited;
  static constexpr bool is_vector = std::is_same_v<
      Container, std::vector<typename Container::value_type, typename Container::allocator_type>>;

  void check_room(std::size_t have, std::size_t n) const {
    if (have > max_size_ || max_size_ - have < n)
      throw std::length_error("twin::dynamic_buffer too long");
  }

  void erase_front(std::size_t n) {
    container_->erase(container_->begin(), container_->begin() + static_cast<std::ptrdiff_t>(n));
  }

  Container* container_;
  std::size_t readable_ = unset;
  std::size_t max_size_;
};

}  // namespace detail

// Asio's dynamic buffers over a string and a vector of bytes.
template <typename Elem, typename Traits = std::char_traits<Elem>,
          typename Allocator = std::allocator<Elem>>
using dynamic_string_buffer =
    detail::dynamic_container_buffer<std::basic_string<Elem, Traits, Allocator>>;
template <typename Elem, typename Allocator = std::allocator<Elem>>
using dynamic_vector_buffer = detail::dynamic_container_buffer<std::vector<Elem, Allocator>>;

// A dynamic buffer over `data` (which must outlive it and its copies),
// growing to at most `max_size` bytes.
template <typename Elem, typename Traits, typename Allocator>
dynamic_string_buffer<Elem, Traits, Allocator> dynamic_buffer(
    std::basic_string<Elem, Traits, Allocator>& data,
    std::size_t max_size = detail::unlimited) noexcept {
  return dynamic_string_buffer<Elem, Traits, Allocator>(data, max_size);
}
template <typename Elem, typename Allocator>
dynamic_vector_buffer<Elem, Allocator> dynamic_buffer(
    std::vector<Elem, Allocator>& data, std::size_t max_size = detail::unlimited) noexcept {
  return dynamic_vector_buffer<Elem, Allocator>(data, max_size);
}

}  // namespace twin
