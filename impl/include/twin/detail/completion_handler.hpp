// twin::detail::completion_handler — an operation that invokes a nullary
// handler: what post, dispatch and defer queue.
//
// The operation's memory is per-thread handler memory (handler_memory.hpp),
// returned before the handler runs, so the handler may reuse it for its own
// posts.
#pragma once

#include <utility>

#include "twin/detail/handler_memory.hpp"
#include "twin/detail/operation.hpp"

namespace twin::detail {

template <typename Handler>
class completion_handler final : public operation {
public:
  explicit completion_handler(Handler&& handler)
      : operation(&do_complete), handler_(std::move(handler)) {}

  // Allocates and constructs an operation holding `handler`.
  template <typename H>
  static completion_handler* make(H&& handler) {
    return make_op<completion_handler>(Handler(std::forward<H>(handler)));
  }

private:
  static void do_complete(void* owner, operation* base, const std::error_code&, std::size_t) {
    auto* self = static_cast<completion_handler*>(base);
    // Move the handler out and free the operation first: the handler may
    // post again, and should find this block in the thread's cache.
    Handler handler(std::move(self->handler_));
    destroy_handler_object(self);
    if (owner) std::move(handler)();
  }

  Handler handler_;
};

}  // namespace twin::detail
