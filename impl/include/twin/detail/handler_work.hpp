// twin::detail::complete_handler — how every I/O and timer completion
// reaches the user's handler: directly when the handler has no executor of
// its own (the scheduler is already running it on the I/O object's
// context), otherwise dispatched to its associated executor, so that a
// handler bound to a strand runs inside that strand (as Asio's handler_work
// does).
#pragma once

#include <tuple>
#include <type_traits>
#include <utility>

#include "twin/associated_executor.hpp"

namespace twin::detail {

template <typename Handler, typename... Args>
void complete_handler(Handler& handler, Args&&... args) {
  if constexpr (has_own_executor<Handler>) {
    auto ex = handler.get_executor();
    ex.dispatch([h = std::move(handler),
                 bound = std::make_tuple(std::forward<Args>(args)...)]() mutable {
      std::apply(std::move(h), std::move(bound));
    });
  } else {
    std::move(handler)(std::forward<Args>(args)...);
  }
}

}  // namespace twin::detail
