// twin::detail::handler_is_continuation — whether a handler continues the
// operation that is completing now (Asio's asio_handler_is_continuation).
//
// A composed operation (async_read, async_write, async_read_until) says so
// for every step after its first, through a member is_continuation(). An
// I/O object that completes a handler immediately, without waiting for the
// reactor, should queue it as a continuation when this is true (like defer:
// on the running thread's private queue), as Asio's reactive services do.
#pragma once

#include <concepts>

namespace twin::detail {

// h.is_continuation() when the handler has it; otherwise false.
template <typename Handler>
bool handler_is_continuation(const Handler& h) noexcept {
  if constexpr (requires {
                  { h.is_continuation() } -> std::convertible_to<bool>;
                })
    return h.is_continuation();
  else
    return false;
}

}  // namespace twin::detail
