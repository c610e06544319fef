// twin::detail::complete_handler — how every I/O and timer completion
// reaches the user's handler: directly when the handler has no executor of
// its own (the scheduler is already running it on the I/O object's
// context), otherwise dispatched to its associated executor, so that a
// handler bound to a strand runs inside that strand (as Asio's handler_work
// does).
//
// twin::detail::tracked<Handler> — what an operation stores: the handler
// itself, or, when the handler has an executor of its own that tracks work,
// the handler with a unit of work counted on that executor from initiation
// until the handler has been handed over (Asio's handler_work). That unit
// shows: a scheduler running with concurrency hint 1 counts a handler's
// posts privately until it returns, so a poll() nested in it can bring the
// shared count to zero — and stop the context — unless pending operations
// with strand-bound handlers hold one each, as in Asio.
#pragma once

#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "twin/associated_executor.hpp"
#include "twin/execution.hpp"
#include "twin/executor_work_guard.hpp"

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

// A handler and the work its own executor counts for it (see above). Moved
// out of the operation before the operation's memory is freed; the work is
// released when it is destroyed, after complete_handler has handed the
// handler over (or, at shutdown, without calling it).
template <typename Handler>
class tracked_handler {
public:
  // From the handler, moved or (an lvalue the user passed) copied.
  template <typename H>
    requires(!std::is_same_v<std::decay_t<H>, tracked_handler>)
  explicit tracked_handler(H&& handler)
      : handler_(std::forward<H>(handler)), work_(handler_.get_executor()) {}

  template <typename... Args>
  friend void complete_handler(tracked_handler& self, Args&&... args) {
    complete_handler(self.handler_, std::forward<Args>(args)...);
  }

private:
  Handler handler_;
  executor_work_guard<typename Handler::executor_type> work_;
};

template <typename Handler>
concept has_work_tracking_executor = has_own_executor<Handler> &&
    requires(const typename Handler::executor_type& ex) {
  ex.on_work_started();
  ex.on_work_finished();
};

template <typename Handler>
using tracked =
    std::conditional_t<has_work_tracking_executor<Handler>, tracked_handler<Handler>, Handler>;

}  // namespace twin::detail
