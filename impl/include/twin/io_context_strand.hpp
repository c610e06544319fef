// twin::io_context::strand — the legacy strand (Asio's io_context::strand,
// still used by many programs): handlers posted or
// dispatched through it never run concurrently, and run in FIFO order.
//
// Same queue as twin::strand (detail/strand_queue.hpp), scheduled the way
// Asio's strand_service schedules it: the strand is posted to the context's
// shared queue, re-posts itself as a continuation when more handlers
// arrived, and dispatch() from a run thread of the context runs the handler
// at once if the strand is free. Safe to call from any thread.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "twin/detail/invoke_inline.hpp"
#include "twin/detail/strand_invoker.hpp"
#include "twin/detail/strand_queue.hpp"
#include "twin/detail/wrapped_handler.hpp"
#include "twin/io_context.hpp"

namespace twin {

class io_context::strand {
public:
  explicit strand(io_context& ctx)
      : context_(&ctx), queue_(std::make_shared<detail::strand_queue>()) {}

  io_context& context() const noexcept { return *context_; }
  void on_work_started() const noexcept { context_->impl_.work_started(); }
  void on_work_finished() const noexcept { context_->impl_.work_finished(); }

  // True when the calling thread is running one of this strand's handlers.
  bool running_in_this_thread() const noexcept { return queue_->running_in_this_thread(); }

  // Runs `f` inline when already inside the strand, or when called from a
  // run thread of the context while the strand is free; otherwise queues it.
  template <typename Function, typename Allocator = std::allocator<void>>
  void dispatch(Function&& f, const Allocator& = Allocator()) const {
    if (running_in_this_thread()) return detail::invoke_inline(std::forward<Function>(f));
    if (!queue_->enqueue(detail::make_strand_op(std::forward<Function>(f)))) return;
    if (context_->impl_.can_dispatch())
      // Entered inline: if handlers arrived meanwhile, the invoker is posted
      // plainly this once (Asio's strand_service does), re-posting itself as
      // a continuation from then on.
      queue_->run([this] { context_->get_executor().post(invoker()); });
    else
      context_->get_executor().post(invoker());
  }

  // Queues `f` on the strand; never runs it inside this call.
  template <typename Function, typename Allocator = std::allocator<void>>
  void post(Function&& f, const Allocator& = Allocator()) const {
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      context_->get_executor().post(invoker());
  }

  // The same as post for the legacy strand (as in Asio).
  template <typename Function, typename Allocator = std::allocator<void>>
  void defer(Function&& f, const Allocator& a = Allocator()) const {
    post(std::forward<Function>(f), a);
  }

  // A handler that, when invoked, dispatches `handler` (with the arguments)
  // through this strand.
  template <typename Handler>
  detail::wrapped_handler<strand, std::decay_t<Handler>> wrap(Handler&& handler) const {
    return {*this, std::forward<Handler>(handler)};
  }

  friend bool operator==(const strand& a, const strand& b) noexcept { return a.queue_ == b.queue_; }

private:
  // Re-posts itself as a continuation, like Asio's strand_service; holds
  // no work of its own (only the queued operation counts).
  detail::strand_invoker<executor_type> invoker() const {
    return {queue_, twin::require(context_->get_executor(), execution::relationship.continuation)};
  }

  io_context* context_;
  std::shared_ptr<detail::strand_queue> queue_;
};

}  // namespace twin
