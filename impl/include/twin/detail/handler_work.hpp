// twin::detail::complete_handler — how every I/O and timer completion
// reaches the user's handler: directly when the handler has no executor of
// its own (the scheduler is already running it on the I/O object's
// context), otherwise dispatched to its associated executor, so that a
// handler bound to a strand runs inside that strand (as Asio's handler_work
// does).
#pragma once

#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "twin/associated_executor.hpp"
#include "twin/execution.hpp"

namespace twin::detail {

template <typename Handler, typename... Args>
void complete_handler(Handler& handler, Args&&... args) {
  if constexpr (has_own_executor<Handler>) {
    auto ex = handler.get_executor();
    auto f = [h = std::move(handler),
              bound = std::make_tuple(std::forward<Args>(args)...)]() mutable {
      std::apply(std::move(h), std::move(bound));
    };
    // Asio's handler_work executes with blocking.possibly: inline when it
    // can (an exception then waits for the current handler to return).
    if constexpr (requires { ex.execute(std::move(f)); })
      twin::prefer(ex, execution::blocking.possibly).execute(std::move(f));
    else
      ex.dispatch(std::move(f), std::allocator<void>());
  } else {
    std::move(handler)(std::forward<Args>(args)...);
  }
}

}  // namespace twin::detail
