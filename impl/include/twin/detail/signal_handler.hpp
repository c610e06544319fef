// twin::detail::signal_handler — a wait on a signal set holding the user's
// handler, called as handler(ec, signal_number). Its memory is recycled
// before the handler runs; the handler is delivered through its associated
// executor (handler_work.hpp).
#pragma once

#include <utility>

#include "twin/detail/handler_memory.hpp"
#include "twin/detail/handler_work.hpp"
#include "twin/detail/signal_set_service.hpp"

namespace twin::detail {

template <typename Handler>
class signal_handler final : public signal_op {
public:
  explicit signal_handler(Handler&& handler)
      : signal_op(&do_complete), handler_(std::move(handler)) {}

  template <typename H>
  static signal_handler* make(H&& handler) {
    return make_op<signal_handler>(Handler(std::forward<H>(handler)));
  }

private:
  static void do_complete(void* owner, operation* base, const std::error_code&, std::size_t) {
    auto* self = static_cast<signal_handler*>(base);
    tracked<Handler> handler(std::move(self->handler_));
    const std::error_code ec = self->ec_;
    const int signal_number = self->signal_number_;
    destroy_handler_object(self);
    if (owner) complete_handler(handler, ec, signal_number);
  }

  tracked<Handler> handler_;
};

}  // namespace twin::detail
