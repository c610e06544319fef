// twin::detail::reactor_op — an operation the reactor performs when its
// descriptor is ready (a recv, a send, an accept, a connect check).
//
// `perform()` makes one non-blocking attempt: not_done means "would block,
// wait for readiness"; done means finished (with ec_ / bytes_transferred_
// set); done_and_exhausted additionally says the kernel buffer ran dry, so
// the next op should not be tried speculatively before readiness is
// reported again. After perform() succeeds the op is completed like any
// other operation, through the scheduler.
#pragma once

#include <cstddef>
#include <system_error>

#include "twin/detail/operation.hpp"

namespace twin::detail {

class reactor_op : public operation {
public:
  enum status { not_done, done, done_and_exhausted };

  // One non-blocking attempt. Called with the descriptor's mutex held.
  status perform() { return perform_func_(this); }

  std::error_code ec_;
  std::size_t bytes_transferred_ = 0;

protected:
  using perform_func_type = status (*)(reactor_op*);

  reactor_op(perform_func_type perform, func_type complete)
      : operation(complete), perform_func_(perform) {}
  ~reactor_op() = default;

private:
  perform_func_type perform_func_;
};

}  // namespace twin::detail
