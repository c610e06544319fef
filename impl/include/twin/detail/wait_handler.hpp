// twin::detail::wait_handler — a timer wait holding the user's handler.
// Its memory is recycled before the handler runs; the handler is delivered
// through its associated executor (handler_work.hpp).
#pragma once

#include <utility>

#include "twin/detail/handler_memory.hpp"
#include "twin/detail/handler_work.hpp"
#include "twin/detail/wait_op.hpp"

namespace twin::detail {

template <typename Handler>
class wait_handler final : public wait_op {
public:
  explicit wait_handler(Handler&& handler) : wait_op(&do_complete), handler_(std::move(handler)) {}

  template <typename H>
  static wait_handler* make(H&& handler) {
    return make_op<wait_handler>(Handler(std::forward<H>(handler)));
  }

private:
  static void do_complete(void* owner, operation* base, const std::error_code&, std::size_t) {
    auto* self = static_cast<wait_handler*>(base);
    tracked<Handler> handler(std::move(self->handler_));
    const std::error_code ec = self->ec_;
    destroy_handler_object(self);
    if (owner) complete_handler(handler, ec);
  }

  tracked<Handler> handler_;
};

}  // namespace twin::detail
