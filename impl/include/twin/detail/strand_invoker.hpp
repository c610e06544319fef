// twin::detail::strand_invoker — the handler a strand schedules on its
// underlying executor to run its queued handlers.
//
// It owns a reference to the strand's queue, so a strand object may be
// destroyed while its handlers are still pending, and it keeps the executor
// it was scheduled with. When handlers arrived while it ran, it re-schedules
// itself through that executor, never inline: so whether it goes back as a
// plain post or as a continuation is decided by how the strand was first
// scheduled (Asio: a strand<> entered by defer() keeps re-posting as a
// continuation; one entered by post() or dispatch() re-posts plainly). The
// legacy io_context::strand hands it an executor whose relationship is
// `continuation`, which is how Asio's strand_service re-posts.
//
// twin::strand gives it a `tracked` executor: while an invoker exists (queued
// or running) it counts as outstanding work, as in Asio, so a poll() nested
// in a strand handler does not find the context out of work.
#pragma once

#include <memory>
#include <utility>

#include "twin/detail/completion_handler.hpp"
#include "twin/detail/strand_queue.hpp"
#include "twin/execution.hpp"

namespace twin::detail {

template <typename Executor>
class strand_invoker {
public:
  strand_invoker(std::shared_ptr<strand_queue> queue, Executor ex)
      : queue_(std::move(queue)), executor_(std::move(ex)) {}

  void operator()() {
    strand_queue& queue = *queue_;
    queue.run([this] {
      auto ex = twin::require(executor_, execution::blocking.never);
      ex.execute(std::move(*this));
    });
  }

private:
  std::shared_ptr<strand_queue> queue_;
  Executor executor_;
};

template <typename Executor>
strand_invoker(std::shared_ptr<strand_queue>, Executor) -> strand_invoker<Executor>;

// Allocates the operation that runs `f` inside a strand.
template <typename Function>
operation* make_strand_op(Function&& f) {
  return completion_handler<std::decay_t<Function>>::make(std::forward<Function>(f));
}

}  // namespace twin::detail
