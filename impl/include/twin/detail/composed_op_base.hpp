// twin::detail::composed_op_base — the base of the intermediate handlers of
// the composed operations (async_read, async_write, async_read_until).
//
// An intermediate handler is what the stream completes after each
// async_read_some/async_write_some. It holds the user's handler and stands in
// for it towards the stream: through handler_holder (bind_handler.hpp), when
// the user's handler has an executor of its own (bind_executor(strand, h)),
// the intermediate handler has the same executor_type and get_executor(), so
// every step runs there, and so does the final call of the user's handler,
// made directly from the last step. From its second step on it reports
// itself as a continuation (handler_continuation.hpp). Move-only handlers
// are fine: the operation is moved from step to step, never copied.
#pragma once

#include <concepts>
#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/detail/bind_handler.hpp"
#include "twin/detail/handler_continuation.hpp"

namespace twin::detail {

// Asio's ReadHandler/WriteHandler: called once, as an rvalue, with
// (error, bytes_transferred).
// clang-format 14 reads a concept's < as less-than.
// clang-format off
template <typename H>
concept io_handler = std::constructible_from<std::decay_t<H>, H> &&
                     std::move_constructible<std::decay_t<H>> &&
                     std::invocable<std::decay_t<H>, const std::error_code&, std::size_t>;
// clang-format on

template <typename Handler>
class composed_op_base : public handler_holder<Handler> {
public:
  // The first step continues whatever the user's handler continues; every
  // later step continues this operation.
  bool is_continuation() const noexcept {
    return continuing_ || handler_is_continuation(this->handler_);
  }

protected:
  explicit composed_op_base(Handler&& handler) : handler_holder<Handler>(std::move(handler)) {}

  // Marks the operation as past its first step; call on each completion.
  void continuing() noexcept { continuing_ = true; }

  // Calls the user's handler; the operation must not be touched afterwards.
  void complete(const std::error_code& ec, std::size_t bytes_transferred) {
    std::move(this->handler_)(ec, bytes_transferred);
  }

private:
  bool continuing_ = false;
};

}  // namespace twin::detail
