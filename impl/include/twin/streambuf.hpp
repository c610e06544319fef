// twin::basic_streambuf / twin::streambuf — a std::streambuf that is also a
// dynamic buffer, so bytes read with read/read_until/async_read(_until) can
// be parsed with a std::istream, and text formatted with a std::ostream can
// be sent with write/async_write.
//
// One contiguous block holds, in order: consumed bytes (free space), the
// readable bytes [gptr, pptr) — the get area — and the writable bytes
// [pptr, epptr) — the put area. prepare(n) makes the put area n bytes long,
// first by moving the readable bytes to the front, then by growing the block;
// commit(n) turns put-area bytes into readable ones; consume(n) and
// std::istream extraction drop readable bytes from the front; std::ostream
// insertion appends readable bytes directly. The readable bytes never exceed
// max_size(): prepare throws std::length_error past it, and an ostream sets
// badbit. The operations take a streambuf by reference (it cannot be copied):
// it must outlive them. Not synchronised: one thread at a time.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <streambuf>
#include <vector>

#include "twin/buffer.hpp"
#include "twin/detail/dynamic_buffer_arg.hpp"

namespace twin {

template <typename Allocator = std::allocator<char>>
class basic_streambuf : public std::streambuf {
public:
  using const_buffers_type = const_buffer;
  using mutable_buffers_type = mutable_buffer;

  // An empty buffer that will hold at most `maximum_size` readable bytes.
  explicit basic_streambuf(std::size_t maximum_size = detail::unlimited,
                           const Allocator& allocator = Allocator())
      : max_size_(maximum_size), storage_(allocator) {
    std::size_t put_area = std::min(max_size_, growth);
    storage_.resize(std::max<std::size_t>(put_area, 1));
    set_areas(0, put_area);
  }
  basic_streambuf(const basic_streambuf&) = delete;
  basic_streambuf& operator=(const basic_streambuf&) = delete;

  // The number of readable bytes.
  std::size_t size() const noexcept { return static_cast<std::size_t>(pptr() - gptr()); }
  std::size_t max_size() const noexcept { return max_size_; }
  // The size of the memory block the bytes live in.
  std::size_t capacity() const noexcept { return storage_.capacity(); }

  // The readable bytes; invalidated by prepare and by ostream insertion.
  const_buffer data() const noexcept { return {gptr(), size()}; }

  // A writable area of `n` bytes after the readable ones; throws
  // std::length_error when size() + n would exceed max_size().
  mutable_buffer prepare(std::size_t n) {
    reserve(n);
    return {pptr(), n};
  }

  // Makes the first `n` prepared bytes readable (at most the whole area).
  void commit(std::size_t n) {
    n = std::min(n, static_cast<std::size_t>(epptr() - pptr()));
    setp(pptr() + n, epptr());
    setg(eback(), gptr(), pptr());
  }

  // Drops the first `n` readable bytes (all of them when n > size()).
  void consume(std::size_t n) {
    n = std::min(n, size());
    setg(eback(), gptr() + n, pptr());
  }

protected:
  // Makes bytes written by an ostream (which move only pptr) readable.
  int_type underflow() override {
    if (gptr() == pptr()) return traits_type::eof();
    setg(eback(), gptr(), pptr());
    return traits_type::to_int_type(*gptr());
  }

  // Appends `c` when the put area is full, growing by up to 128 bytes.
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    if (pptr() == epptr()) {
      std::size_t readable = size();
      bool near_limit = readable < max_size_ && max_size_ - readable < growth;
      reserve(near_limit ? max_size_ - readable : growth);
    }
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }

  // Makes the put area at least `n` bytes long.
  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(epptr() - pptr()) >= n) return;
    char* base = storage_.data();
    std::size_t readable = size();
    std::size_t area_end = static_cast<std::size_t>(epptr() - base);
    // The consumed bytes before the readable ones are free: reuse them.
    if (gptr() != base) {
      area_end -= static_cast<std::size_t>(gptr() - base);
      std::memmove(base, gptr(), readable);
      set_areas(readable, area_end);
    }
    if (area_end - readable < n) {
      if (n > max_size_ || readable > max_size_ - n)
        throw std::length_error("twin::streambuf too long");
      storage_.resize(std::max(storage_.size(), readable + n));
      set_areas(readable, readable + n);
    }
  }

private:
  // How much the put area grows when an ostream fills it.
  static constexpr std::size_t growth = 128;

  // Readable bytes at the start of the block, then the put area up to `end`.
  void set_areas(std::size_t readable, std::size_t end) {
    char* base = storage_.data();
    setg(base, base, base + readable);
    setp(base + readable, base + end);
  }

  std::size_t max_size_;
  std::vector<char, Allocator> storage_;
};

// The streambuf of plain allocation.
using streambuf = basic_streambuf<>;

// A copyable dynamic buffer that refers to a streambuf (Asio's name); the
// operations make one themselves when given a streambuf.
template <typename Allocator = std::allocator<char>>
class basic_streambuf_ref : public detail::dynamic_buffer_ref<basic_streambuf<Allocator>> {
public:
  explicit basic_streambuf_ref(basic_streambuf<Allocator>& sb) noexcept
      : detail::dynamic_buffer_ref<basic_streambuf<Allocator>>(sb) {}
};

}  // namespace twin
