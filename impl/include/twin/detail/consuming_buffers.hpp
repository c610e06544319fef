// twin::detail::consuming_buffers — a read or write's position in the
// caller's buffer sequence: what has been transferred so far, and the next
// window to hand to read_some/write_some.
//
// The sequence is copied (buffers are views, so this copies no data) and the
// position is kept as (element index, offset), not as iterators, so the
// object stays valid when the operation holding it is moved. A window holds
// at most 64 buffers (an iovec batch, Asio's limit) and skips empty ones;
// a single buffer gets a window that is itself a single buffer.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>

#include "twin/buffer.hpp"

namespace twin::detail {

// The most buffers one read_some/write_some is given.
inline constexpr std::size_t max_prepared_buffers = 64;

// A window of up to `N` buffers: a buffer sequence of its own.
template <typename Buffer, std::size_t N = max_prepared_buffers>
class prepared_buffers {
public:
  using value_type = Buffer;
  using const_iterator = const Buffer*;

  const Buffer* begin() const noexcept { return elems_.data(); }
  const Buffer* end() const noexcept { return elems_.data() + count_; }

  bool full() const noexcept { return count_ == N; }
  void push_back(const Buffer& b) noexcept { elems_[count_++] = b; }

private:
  std::array<Buffer, N> elems_{};
  std::size_t count_ = 0;
};

// `Buffer` is mutable_buffer for reads, const_buffer for writes.
template <typename Buffer, typename Sequence>
class consuming_buffers {
public:
  explicit consuming_buffers(const Sequence& buffers)
      : buffers_(buffers), total_size_(buffer_size(buffers)) {}

  // True when every byte of the sequence has been transferred.
  bool empty() const noexcept { return consumed_ >= total_size_; }
  std::size_t total_consumed() const noexcept { return consumed_; }

  // The next at most `max_size` bytes, as at most 64 non-empty buffers.
  prepared_buffers<Buffer> prepare(std::size_t max_size) const {
    prepared_buffers<Buffer> window;
    auto it = current();
    auto end = buffer_sequence_end(buffers_);
    for (std::size_t skip = offset_; it != end && max_size > 0 && !window.full(); ++it) {
      Buffer b = Buffer(*it) + skip;
      skip = 0;
      if (b.size() == 0) continue;
      std::size_t n = std::min(b.size(), max_size);
      window.push_back(Buffer(b.data(), n));
      max_size -= n;
    }
    return window;
  }

  // Records that the first `n` bytes of the last window were transferred.
  void consume(std::size_t n) {
    consumed_ += n;
    auto it = current();
    auto end = buffer_sequence_end(buffers_);
    while (it != end && n > 0) {
      std::size_t left = Buffer(*it).size() - offset_;
      if (n < left) {
        offset_ += n;
        return;
      }
      n -= left;
      offset_ = 0;
      ++element_;
      ++it;
    }
  }

private:
  auto current() const {
    auto it = buffer_sequence_begin(buffers_);
    using difference = typename std::iterator_traits<decltype(it)>::difference_type;
    return std::next(it, static_cast<difference>(element_));
  }

  Sequence buffers_;
  std::size_t total_size_;
  std::size_t consumed_ = 0;
  std::size_t element_ = 0;  // the element the next byte is in
  std::size_t offset_ = 0;   // the next byte's offset in that element
};

// The one-buffer case: the window is a single buffer too.
template <typename Buffer, single_buffer Sequence>
class consuming_buffers<Buffer, Sequence> {
public:
  explicit consuming_buffers(const Sequence& buffer) : buffer_(buffer) {}

  bool empty() const noexcept { return consumed_ >= buffer_.size(); }
  std::size_t total_consumed() const noexcept { return consumed_; }

  Buffer prepare(std::size_t max_size) const noexcept {
    Buffer rest = buffer_ + consumed_;
    return Buffer(rest.data(), std::min(rest.size(), max_size));
  }

  void consume(std::size_t n) noexcept { consumed_ += n; }

private:
  Buffer buffer_;
  std::size_t consumed_ = 0;
};

}  // namespace twin::detail
