// twin::detail::read_until_dynamic and read_until_op — the loop behind
// read_until and async_read_until on a dynamic buffer (or streambuf).
//
// Each round searches the bytes not yet searched for the delimiter (a char,
// or a string or match condition kept by the operation); if it is not there
// and the buffer is below max_size, reads at most 65536 more bytes
// (read_size()). Results, as in Asio: found — no error and the position just
// past the delimiter, or where the match condition said the match ends (the
// bytes after it stay in the buffer); max_size reached first —
// error::not_found and 0; a read error — that error and 0, with what was read
// kept in the buffer. The async operation always starts with an
// async_read_some (of 0 bytes when the delimiter is already there), so the
// handler never runs inside the initiating call. A read of 0 bytes without an
// error ends it with no error and the search position, as Asio's does.
#pragma once

#include <cstddef>
#include <limits>
#include <system_error>
#include <utility>

#include "twin/completion_condition.hpp"
#include "twin/detail/buffer_search.hpp"
#include "twin/detail/composed_op_base.hpp"
#include "twin/detail/dynamic_buffer_arg.hpp"
#include "twin/error.hpp"

namespace twin::detail {

// Reads into `b` until `delim` is in it; returns the position just past it,
// or 0 with `ec` set (error::not_found when max_size() was reached first).
// `delim` is a char, a string or a match condition (called, so not const).
template <typename Stream, typename DynamicBuffer, typename Delimiter>
std::size_t read_until_dynamic(Stream& s, DynamicBuffer& b, Delimiter& delim, std::error_code& ec) {
  std::size_t from = 0;
  for (;;) {
    search_result match = search_delimiter(b.data(), from, delim);
    if (match.found) {
      ec = std::error_code();
      return match.position;
    }
    from = match.position;
    if (b.size() == b.max_size()) {
      ec = error::not_found;
      return 0;
    }
    b.commit(s.read_some(b.prepare(read_size(b, default_max_transfer_size)), ec));
    if (ec) return 0;
  }
}

// `Delimiter` is char, std::string or a match condition (the operation's
// own copy).
template <typename Stream, typename DynamicBuffer, typename Delimiter, typename Handler>
class read_until_op : public composed_op_base<Handler> {
public:
  read_until_op(Stream& s, DynamicBuffer&& buffers, Delimiter delim, Handler&& handler)
      : composed_op_base<Handler>(std::move(handler)),
        stream_(s),
        buffers_(std::move(buffers)),
        delim_(std::move(delim)) {}

  // Searches what is already there, then reads (0 bytes if it was found).
  void start() { search_then_read(true); }

  // One read completed: commit it, then search again or finish.
  void operator()(std::error_code ec, std::size_t bytes_transferred) {
    this->continuing();
    buffers_.commit(bytes_transferred);
    if (ec || bytes_transferred == 0) return finish(ec);
    search_then_read(false);
  }

private:
  static constexpr std::size_t not_found = std::numeric_limits<std::size_t>::max();

  // position_ becomes the match's end, not_found, or where to search next.
  void search_then_read(bool first) {
    std::size_t want = 0;
    search_result match = search_delimiter(buffers_.data(), position_, delim_);
    if (match.found) {
      position_ = match.position;
    } else if (buffers_.size() == buffers_.max_size()) {
      position_ = not_found;
    } else {
      position_ = match.position;
      want = read_size(buffers_, default_max_transfer_size);
    }
    if (!first && want == 0) return finish(std::error_code());
    // Hands this operation to the stream: nothing may touch *this afterwards.
    async_read_some_into(stream_, buffers_, want, std::move(*this));
  }

  void finish(const std::error_code& ec) {
    if (position_ == not_found) return this->complete(error::not_found, 0);
    this->complete(ec, ec ? 0 : position_);
  }

  Stream& stream_;
  DynamicBuffer buffers_;
  Delimiter delim_;
  std::size_t position_ = 0;
};

}  // namespace twin::detail
