// twin::detail::strand_invoker — the handler a strand schedules on its
// underlying executor to run its queued handlers.
//
// It owns a reference to the strand's queue, so a strand object may be
// destroyed while its handlers are still pending. When handlers arrived
// while it ran, it re-queues itself: as a plain post for twin::strand (Asio's
// strand<> re-posts with blocking.never), or as a continuation (defer) for
// the legacy io_context::strand (Asio's strand_service does that).
#pragma once

#include <memory>
#include <utility>

#include "twin/detail/completion_handler.hpp"
#include "twin/detail/strand_queue.hpp"

namespace twin::detail {

template <typename Executor, bool RepostAsContinuation>
class strand_invoker {
public:
  strand_invoker(std::shared_ptr<strand_queue> queue, const Executor& ex)
      : queue_(std::move(queue)), executor_(ex) {}

  void operator()() {
    strand_queue& queue = *queue_;
    queue.run([this] {
      Executor ex = executor_;
      if constexpr (RepostAsContinuation)
        ex.defer(std::move(*this));
      else
        ex.post(std::move(*this));
    });
  }

private:
  std::shared_ptr<strand_queue> queue_;
  Executor executor_;
};

// Allocates the operation that runs `f` inside a strand.
template <typename Function>
operation* make_strand_op(Function&& f) {
  return completion_handler<std::decay_t<Function>>::make(std::forward<Function>(f));
}

}  // namespace twin::detail
