// twin::buffers_iterator — the bytes of a buffer sequence seen as one array,
// through a random-access iterator (Asio's buffers_iterator, and
// buffers_begin / buffers_end).
//
// It is what a read_until match condition receives. Its value type is
// ByteType; it is writable when the sequence holds mutable buffers. Two
// iterators over the same sequence compare and subtract by their byte
// position. An iterator over a sequence of several buffers refers to that
// sequence object, which must outlive it; over a single buffer (the
// data() of a dynamic buffer or a streambuf) it holds the buffer itself, so
// the sequence may be a temporary. Iterators over different sequences do
// not compare. Moving it within a buffer costs O(1); across buffers, one
// step per buffer crossed. Not synchronised, like the buffers themselves.
#pragma once

#include <compare>
#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>

#include "twin/buffer.hpp"

namespace twin {

template <typename BufferSequence, typename ByteType = char>
class buffers_iterator {
  // Writable bytes when every element is a mutable buffer, as in Asio.
  static constexpr bool is_mutable = detail::mutable_buffer_sequence<BufferSequence>;
  using buffer_type = std::conditional_t<is_mutable, mutable_buffer, const_buffer>;
  using byte_type = std::conditional_t<is_mutable, ByteType, const ByteType>;
  static constexpr bool single = detail::single_buffer<BufferSequence>;
  using element_iterator = decltype(buffer_sequence_begin(std::declval<const BufferSequence&>()));

public:
  using difference_type = std::ptrdiff_t;
  using value_type = ByteType;
  using pointer = byte_type*;
  using reference = byte_type&;
  using iterator_category = std::random_access_iterator_tag;

  // A singular iterator (compares equal only to another one).
  buffers_iterator() = default;

  // The first byte of `buffers`, and one past the last.
  static buffers_iterator begin(const BufferSequence& buffers) {
    buffers_iterator it;
    if constexpr (single) {
      it.at_.whole = buffer_type(buffers);
    } else {
      it.at_.first = buffer_sequence_begin(buffers);
      it.at_.current = it.at_.first;
      it.at_.last = buffer_sequence_end(buffers);
      it.skip_empty_forward();
    }
    return it;
  }
  static buffers_iterator end(const BufferSequence& buffers) {
    buffers_iterator it = begin(buffers);
    if constexpr (single) {
      it.position_ = it.at_.whole.size();
    } else {
      it.position_ = buffer_size(buffers);
      it.at_.current = it.at_.last;
      it.at_.offset = 0;
    }
    return it;
  }

  reference operator*() const { return bytes()[offset()]; }
  pointer operator->() const { return &**this; }
  reference operator[](difference_type n) const { return *(*this + n); }

  buffers_iterator& operator++() { return *this += 1; }
  buffers_iterator operator++(int) {
    buffers_iterator before = *this;
    ++*this;
    return before;
  }
  buffers_iterator& operator--() { return *this -= 1; }
  buffers_iterator operator--(int) {
    buffers_iterator before = *this;
    --*this;
    return before;
  }

  buffers_iterator& operator+=(difference_type n) {
    if (n >= 0)
      forward(static_cast<std::size_t>(n));
    else
      backward(static_cast<std::size_t>(-n));
    return *this;
  }
  buffers_iterator& operator-=(difference_type n) { return *this += -n; }

  friend buffers_iterator operator+(buffers_iterator it, difference_type n) { return it += n; }
  friend buffers_iterator operator+(difference_type n, buffers_iterator it) { return it += n; }
  friend buffers_iterator operator-(buffers_iterator it, difference_type n) { return it -= n; }
  friend difference_type operator-(const buffers_iterator& a, const buffers_iterator& b) {
    return static_cast<difference_type>(a.position_) - static_cast<difference_type>(b.position_);
  }

  friend bool operator==(const buffers_iterator& a, const buffers_iterator& b) {
    return a.position_ == b.position_;
  }
  friend auto operator<=>(const buffers_iterator& a, const buffers_iterator& b) {
    return a.position_ <=> b.position_;
  }

private:
  // A single buffer: the buffer itself, indexed by position_.
  struct single_place {
    buffer_type whole;
  };
  // Several: the element the iterator is in and the offset in it. Except at
  // the end, `current` is never an empty buffer, nor `offset` its size.
  struct sequence_place {
    element_iterator first{}, current{}, last{};
    std::size_t offset = 0;
  };

  byte_type* bytes() const {
    if constexpr (single)
      return static_cast<byte_type*>(at_.whole.data());
    else
      return static_cast<byte_type*>(buffer_type(*at_.current).data());
  }
  std::size_t offset() const {
    if constexpr (single)
      return position_;
    else
      return at_.offset;
  }

  void forward(std::size_t n) {
    position_ += n;
    if constexpr (!single) {
      while (n > 0 && at_.current != at_.last) {
        const std::size_t left = buffer_type(*at_.current).size() - at_.offset;
        if (n < left) {
          at_.offset += n;
          return;
        }
        n -= left;
        ++at_.current;
        at_.offset = 0;
        skip_empty_forward();
      }
    }
  }

  void backward(std::size_t n) {
    position_ -= n;
    if constexpr (!single) {
      while (n > 0) {
        if (n <= at_.offset) {
          at_.offset -= n;
          return;
        }
        n -= at_.offset;
        // To the end of the previous buffer; an empty one is passed over
        // by the next round (its offset, 0, never covers n).
        --at_.current;
        at_.offset = buffer_type(*at_.current).size();
      }
    }
  }

  void skip_empty_forward() {
    while (at_.current != at_.last && buffer_type(*at_.current).size() == 0) ++at_.current;
  }

  std::conditional_t<single, single_place, sequence_place> at_{};
  std::size_t position_ = 0;
};

// The first byte of `buffers`, and one past the last.
template <typename BufferSequence>
buffers_iterator<BufferSequence> buffers_begin(const BufferSequence& buffers) {
  return buffers_iterator<BufferSequence>::begin(buffers);
}
template <typename BufferSequence>
buffers_iterator<BufferSequence> buffers_end(const BufferSequence& buffers) {
  return buffers_iterator<BufferSequence>::end(buffers);
}

}  // namespace twin
