// twin::detail::transfer and transfer_op — the loop behind read/write and
// async_read/async_write over a buffer sequence, written once for both
// directions (`reading`, `writing`).
//
// Each round asks the completion condition how much the next
// read_some/write_some may transfer, and ends when it says 0, when the
// buffers are full (or all sent), or — async only — when a call transfers
// nothing without an error (end of file on streams that report it so). The
// async operation always starts with an async_read_some/async_write_some, so
// the handler never runs inside the initiating call; it calls the handler
// directly from the last step, with the error of that step and the total.
#pragma once

#include <cstddef>
#include <system_error>
#include <utility>

#include "twin/buffer.hpp"
#include "twin/completion_condition.hpp"
#include "twin/detail/composed_op_base.hpp"
#include "twin/detail/consuming_buffers.hpp"

namespace twin::detail {

// The direction of a transfer: reads fill mutable buffers.
struct reading {
  using buffer_type = mutable_buffer;

  template <typename Stream, typename Buffers>
  static std::size_t some(Stream& s, const Buffers& buffers, std::error_code& ec) {
    return s.read_some(buffers, ec);
  }
  template <typename Stream, typename Buffers, typename Handler>
  static void async_some(Stream& s, const Buffers& buffers, Handler&& handler) {
    s.async_read_some(buffers, std::forward<Handler>(handler));
  }
};

// Writes send const buffers.
struct writing {
  using buffer_type = const_buffer;

  template <typename Stream, typename Buffers>
  static std::size_t some(Stream& s, const Buffers& buffers, std::error_code& ec) {
    return s.write_some(buffers, ec);
  }
  template <typename Stream, typename Buffers, typename Handler>
  static void async_some(Stream& s, const Buffers& buffers, Handler&& handler) {
    s.async_write_some(buffers, std::forward<Handler>(handler));
  }
};

// Transfers until the condition says 0 or the buffers are done; returns the
// bytes transferred, `ec` the error that ended it (cleared first).
template <typename Direction, typename Stream, typename Sequence, typename Condition>
std::size_t transfer(Stream& s, const Sequence& buffers, Condition& condition,
                     std::error_code& ec) {
  ec = std::error_code();
  consuming_buffers<typename Direction::buffer_type, Sequence> rest(buffers);
  while (!rest.empty()) {
    std::size_t max_size = check_completion(condition, ec, rest.total_consumed());
    if (max_size == 0) break;
    rest.consume(Direction::some(s, rest.prepare(max_size), ec));
  }
  return rest.total_consumed();
}

template <typename Direction, typename Stream, typename Sequence, typename Condition,
          typename Handler>
class transfer_op : public composed_op_base<Handler> {
public:
  transfer_op(Stream& s, const Sequence& buffers, Condition condition, Handler&& handler)
      : composed_op_base<Handler>(std::move(handler)),
        stream_(s),
        buffers_(buffers),
        condition_(std::move(condition)) {}

  // Issues the first step, even when the condition asks for nothing.
  void start() { next(check_completion(condition_, std::error_code(), 0)); }

  // One step completed: go on, or call the user's handler.
  void operator()(std::error_code ec, std::size_t bytes_transferred) {
    this->continuing();
    buffers_.consume(bytes_transferred);
    std::size_t max_size = 0;
    if ((ec || bytes_transferred > 0) && !buffers_.empty())
      max_size = check_completion(condition_, ec, buffers_.total_consumed());
    if (max_size == 0) return this->complete(ec, buffers_.total_consumed());
    next(max_size);
  }

private:
  // Hands this operation to the stream: nothing may touch *this afterwards.
  void next(std::size_t max_size) {
    Direction::async_some(stream_, buffers_.prepare(max_size), std::move(*this));
  }

  Stream& stream_;
  consuming_buffers<typename Direction::buffer_type, Sequence> buffers_;
  Condition condition_;
};

}  // namespace twin::detail
