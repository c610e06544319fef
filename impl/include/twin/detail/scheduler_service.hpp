// twin::detail::scheduler_service — the service through which an execution
// context that owns a scheduler (io_context, thread_pool) takes part in the
// service order. It is the context's first, so the oldest: at shutdown every
// user service is shut down before it, and its own shutdown destroys the
// handlers still queued, uninvoked, as in Asio. Created by the context's
// constructor; not for use elsewhere.
#pragma once

#include "twin/detail/scheduler.hpp"
#include "twin/execution_context.hpp"

namespace twin::detail {

class scheduler_service final : public twin::execution_context::service {
public:
  static inline twin::execution_context::id id;
  scheduler_service(twin::execution_context& owner, scheduler& s)
      : twin::execution_context::service(owner), scheduler_(s) {}

private:
  void shutdown() override { scheduler_.shutdown(); }

  scheduler& scheduler_;
};

}  // namespace twin::detail
