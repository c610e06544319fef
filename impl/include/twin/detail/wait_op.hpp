// twin::detail::wait_op — a pending wait on a timer; completes with ec_
// (success, or operation_aborted when the timer is cancelled or re-armed).
#pragma once

#include <system_error>

#include "twin/detail/operation.hpp"

namespace twin::detail {

class wait_op : public operation {
public:
  std::error_code ec_;

protected:
  explicit wait_op(func_type complete) : operation(complete) {}
  ~wait_op() = default;
};

}  // namespace twin::detail
