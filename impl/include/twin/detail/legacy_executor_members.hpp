// twin::detail::legacy_executor_members — Asio's older executor members,
// dispatch/post/defer(f, allocator), for an executor that also has the
// property-based execute(): they ignore its properties. Written once for
// every such executor (io_context's, thread_pool's, system_executor).
//
// Derived provides can_run_inline() (may dispatch run `f` on the calling
// thread now?) and submit(f, is_continuation) (queue `f`). dispatch runs
// `f` inline when it may, letting an exception propagate to the caller,
// otherwise queues it; post queues it; defer queues it as a continuation
// of the running handler. Callable from any thread the executor allows.
#pragma once

#include <memory>
#include <utility>

#include "twin/detail/invoke_inline.hpp"

namespace twin::detail {

template <typename Derived>
class legacy_executor_members {
public:
  template <typename Function, typename Allocator = std::allocator<void>>
  void dispatch(Function&& f, const Allocator& = Allocator()) const {
    if (self().can_run_inline()) return detail::invoke_inline(std::forward<Function>(f));
    self().submit(std::forward<Function>(f), false);
  }

  template <typename Function, typename Allocator = std::allocator<void>>
  void post(Function&& f, const Allocator& = Allocator()) const {
    self().submit(std::forward<Function>(f), false);
  }

  template <typename Function, typename Allocator = std::allocator<void>>
  void defer(Function&& f, const Allocator& = Allocator()) const {
    self().submit(std::forward<Function>(f), true);
  }

private:
  const Derived& self() const noexcept { return static_cast<const Derived&>(*this); }
};

}  // namespace twin::detail
