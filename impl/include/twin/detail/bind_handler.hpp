// twin::detail::handler_holder and bind_handler — carrying a user's handler
// inside another function object without losing its associated executor.
//
// An operation that wraps a handler (a binder that fixes its arguments, an
// intermediate step of a composed operation) must be associated with the
// handler's executor, or a handler bound to a strand would run outside it.
// handler_holder stores the handler and, if the handler has executor_type and
// get_executor(), exposes the same two members; whoever completes the wrapper
// (post, a socket) then delivers it through that executor. As Asio's
// binder1/binder2 and its associator specialisations do.
#pragma once

#include <tuple>
#include <type_traits>
#include <utility>

#include "twin/associated_executor.hpp"

namespace twin::detail {

// Stores a handler; the wrapper's own executor is none, like the handler's.
template <typename Handler>
class handler_holder {
protected:
  explicit handler_holder(Handler&& handler) : handler_(std::move(handler)) {}
  Handler handler_;
};

// Stores a handler that has an executor; the wrapper is associated with it.
template <has_own_executor Handler>
class handler_holder<Handler> {
public:
  using executor_type = typename Handler::executor_type;
  executor_type get_executor() const noexcept { return handler_.get_executor(); }

protected:
  explicit handler_holder(Handler&& handler) : handler_(std::move(handler)) {}
  Handler handler_;
};

// A nullary function object that calls the handler with the stored
// arguments, passed as const lvalues (as Asio's binders pass them).
template <typename Handler, typename... Args>
class binder : public handler_holder<Handler> {
public:
  binder(Handler&& handler, Args&&... args)
      : handler_holder<Handler>(std::move(handler)), args_(std::move(args)...) {}

  void operator()() {
    std::apply([this](const Args&... args) { std::move(this->handler_)(args...); }, args_);
  }

private:
  std::tuple<Args...> args_;
};

// `handler` with `args` bound to it, keeping its associated executor.
template <typename Handler, typename... Args>
binder<std::decay_t<Handler>, std::decay_t<Args>...> bind_handler(Handler&& handler,
                                                                  Args&&... args) {
  return {std::decay_t<Handler>(std::forward<Handler>(handler)),
          std::decay_t<Args>(std::forward<Args>(args))...};
}

}  // namespace twin::detail
