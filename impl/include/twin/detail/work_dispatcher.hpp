// twin::detail::work_dispatcher — what post/dispatch/defer queue when the
// handler has an executor of its own: run on the executor it was given, it
// dispatches the handler to its associated executor (e.g. into a strand),
// keeping that executor's context busy (a work guard) until then.
#pragma once

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
    ex.dispatch(std::move(handler_));
    work_.reset();
  }

private:
  Handler handler_;
  executor_work_guard<Executor> work_;
};

}  // namespace twin::detail
