// twin::detail::work_dispatcher — what post/dispatch/defer queue when the
// handler has an executor of its own: run on the executor it was given, it
// dispatches the handler to its associated executor (e.g. into a strand),
// keeping that executor's context busy (a work guard) until then, and
// executes it there with blocking.possibly (so into a free strand, or onto
// the running context, it runs inline).
#pragma once

#include <memory>
#include <utility>

#include "twin/executor_work_guard.hpp"

namespace twin::detail {

template <typename Handler, typename Executor>
class work_dispatcher {
public:
  work_dispatcher(Handler&& handler, const Executor& handler_ex)
      : handler_(std::move(handler)), work_(handler_ex) {}

  void operator()() {
    Executor ex = work_.get_executor();
    if constexpr (requires { ex.execute(std::move(handler_)); }) {
      // While the handler runs (inline), one more unit of work is counted
      // than the guard holds: Asio executes through a temporary copy of its
      // tracked executor, and a poll() nested in the handler can tell the
      // difference (it stops the context when the count reaches zero).
      executor_work_guard<Executor> while_running(ex);
      ex.execute(std::move(handler_));
    } else {
      // An older executor is asked to dispatch, once, with no extra unit.
      ex.dispatch(std::move(handler_), std::allocator<void>());
    }
    work_.reset();
  }

private:
  Handler handler_;
  executor_work_guard<Executor> work_;
};

}  // namespace twin::detail
