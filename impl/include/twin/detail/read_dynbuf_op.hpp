// twin::detail::read_dynamic and read_dynbuf_op — the loop behind read and
// async_read into a dynamic buffer (or streambuf).
//
// Each round prepares what read_size() allows (the free capacity, at least
// 512 bytes, at most what the completion condition and max_size() leave),
// reads into it and commits what arrived. It ends when that size is 0 (the
// condition is satisfied, an error occurred, or the buffer is at max_size)
// or — async only — when a read transfers nothing without an error. Like
// transfer_op, the async operation always starts with an async_read_some and
// calls the handler directly from its last step.
#pragma once

#include <cstddef>
#include <system_error>
#include <utility>

#include "twin/completion_condition.hpp"
#include "twin/detail/composed_op_base.hpp"
#include "twin/detail/dynamic_buffer_arg.hpp"

namespace twin::detail {

// Reads into `b` until read_size() is 0; returns the bytes read, `ec` the
// error that ended it (cleared first).
template <typename Stream, typename DynamicBuffer, typename Condition>
std::size_t read_dynamic(Stream& s, DynamicBuffer& b, Condition& condition, std::error_code& ec) {
  ec = std::error_code();
  std::size_t total = 0;
  std::size_t want = read_size(b, check_completion(condition, ec, total));
  while (want > 0) {
    std::size_t n = s.read_some(b.prepare(want), ec);
    b.commit(n);
    total += n;
    want = read_size(b, check_completion(condition, ec, total));
  }
  return total;
}

template <typename Stream, typename DynamicBuffer, typename Condition, typename Handler>
class read_dynbuf_op : public composed_op_base<Handler> {
public:
  read_dynbuf_op(Stream& s, DynamicBuffer&& buffers, Condition condition, Handler&& handler)
      : composed_op_base<Handler>(std::move(handler)),
        stream_(s),
        buffers_(std::move(buffers)),
        condition_(std::move(condition)) {}

  // Issues the first read, even when there is nothing to ask for.
  void start() { next(read_size(buffers_, check_completion(condition_, std::error_code(), 0))); }

  // One read completed: commit it, then go on or call the user's handler.
  void operator()(std::error_code ec, std::size_t bytes_transferred) {
    this->continuing();
    total_ += bytes_transferred;
    buffers_.commit(bytes_transferred);
    std::size_t want = read_size(buffers_, check_completion(condition_, ec, total_));
    if ((!ec && bytes_transferred == 0) || want == 0) return this->complete(ec, total_);
    next(want);
  }

private:
  // Hands this operation to the stream: nothing may touch *this afterwards.
  void next(std::size_t want) { async_read_some_into(stream_, buffers_, want, std::move(*this)); }

  Stream& stream_;
  DynamicBuffer buffers_;
  Condition condition_;
  std::size_t total_ = 0;
};

}  // namespace twin::detail
