// twin::detail::search_delimiter — finds read_until's delimiter in the
// readable bytes of a dynamic buffer, which may span several buffers.
//
// A search starts at `from`, where the previous one left off, so each byte
// is looked at about once as data arrives. For a string delimiter, a match
// that is cut short by the end of the data is remembered: the next search
// starts at its first byte, so a delimiter split across two reads is found.
// A match condition decides that itself: it returns where the next search
// should start when it has not matched (Asio's contract, below).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <utility>

#include "twin/buffer.hpp"
#include "twin/buffers_iterator.hpp"

namespace twin::detail {

struct search_result {
  bool found;            // the whole delimiter is there
  std::size_t position;  // found: just past the delimiter; else: where to search next
};

// A byte iterator over a buffer sequence that knows its absolute position.
template <typename BufferIterator>
class buffer_byte_cursor {
public:
  buffer_byte_cursor(BufferIterator first, BufferIterator last) : elem_(first), end_(last) {
    skip_exhausted();
  }

  bool at_end() const noexcept { return elem_ == end_; }
  std::size_t position() const noexcept { return position_; }
  char operator*() const { return static_cast<const char*>(const_buffer(*elem_).data())[offset_]; }

  buffer_byte_cursor& operator++() {
    ++offset_;
    ++position_;
    skip_exhausted();
    return *this;
  }

  // Moves forward to absolute position `to` (or the end), whole buffers at a time.
  void advance_to(std::size_t to) {
    while (!at_end() && position_ < to) {
      std::size_t left = const_buffer(*elem_).size() - offset_;
      std::size_t step = left < to - position_ ? left : to - position_;
      offset_ += step;
      position_ += step;
      skip_exhausted();
    }
  }

private:
  void skip_exhausted() {
    while (elem_ != end_ && offset_ == const_buffer(*elem_).size()) {
      ++elem_;
      offset_ = 0;
    }
  }

  BufferIterator elem_;
  BufferIterator end_;
  std::size_t offset_ = 0;
  std::size_t position_ = 0;
};

// The first `delim` at or after `from`; not found: search next from the end.
template <const_buffer_sequence Buffers>
search_result search_delimiter(const Buffers& data, std::size_t from, char delim) {
  std::size_t base = 0;
  auto end = buffer_sequence_end(data);
  for (auto it = buffer_sequence_begin(data); it != end; ++it) {
    const_buffer b(*it);
    if (base + b.size() > from) {
      std::size_t start = from > base ? from - base : 0;
      const char* bytes = static_cast<const char*>(b.data());
      const void* hit =
          std::memchr(bytes + start, static_cast<unsigned char>(delim), b.size() - start);
      if (hit) {
        std::size_t offset = static_cast<std::size_t>(static_cast<const char*>(hit) - bytes);
        return {true, base + offset + 1};
      }
    }
    base += b.size();
  }
  return {false, base};
}

// The first whole `delim` at or after `from`; not found: search next from
// the start of a partial match at the end, or from the end.
template <const_buffer_sequence Buffers>
search_result search_delimiter(const Buffers& data, std::size_t from, std::string_view delim) {
  buffer_byte_cursor start(buffer_sequence_begin(data), buffer_sequence_end(data));
  start.advance_to(from);
  for (; !start.at_end(); ++start) {
    auto cursor = start;
    std::size_t matched = 0;
    while (matched < delim.size() && !cursor.at_end() && *cursor == delim[matched]) {
      ++cursor;
      ++matched;
    }
    if (matched == delim.size()) return {true, start.position() + delim.size()};
    if (cursor.at_end()) return {false, start.position()};
  }
  return {false, start.position()};
}

// A match condition: match(first, last) over the bytes from `from` to the
// end returns {position, true} when the data is complete up to `position`
// (exclusive), or {position, false} where the next search should start
// (`last`: after everything searched).
template <typename MatchCondition, typename Buffers>
concept searches =
    std::invocable<MatchCondition&, buffers_iterator<Buffers>, buffers_iterator<Buffers>>;

template <const_buffer_sequence Buffers, searches<Buffers> MatchCondition>
search_result search_delimiter(const Buffers& data, std::size_t from, MatchCondition& match) {
  using iterator = buffers_iterator<Buffers>;
  const iterator begin = iterator::begin(data);
  const iterator end = iterator::end(data);
  const std::pair<iterator, bool> result = match(begin + static_cast<std::ptrdiff_t>(from), end);
  return {result.second, static_cast<std::size_t>(result.first - begin)};
}

}  // namespace twin::detail
