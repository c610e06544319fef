// twin::strand<Executor> — an executor adapter that runs its handlers one at
// a time, in FIFO order, on whatever threads run the inner executor.
//
// Copies of a strand share one queue (they compare equal); make_strand
// creates a new, independent one. All members are safe to call from any
// thread. Handlers still queued when the last copy of a strand and the
// pending invoker are gone are destroyed without being invoked.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "twin/detail/invoke_inline.hpp"
#include "twin/detail/strand_invoker.hpp"
#include "twin/detail/strand_queue.hpp"
#include "twin/execution.hpp"
#include "twin/post.hpp"

namespace twin {

template <typename Executor>
class strand {
public:
  using inner_executor_type = Executor;

  // A new strand over `ex`.
  explicit strand(const Executor& ex)
      : inner_(ex), queue_(std::make_shared<detail::strand_queue>()) {}

  inner_executor_type get_inner_executor() const noexcept { return inner_; }
  auto& context() const noexcept { return inner_.context(); }
  void on_work_started() const noexcept { inner_.on_work_started(); }
  void on_work_finished() const noexcept { inner_.on_work_finished(); }

  // The same strand (same queue) over the inner executor with a property
  // changed (execution.hpp); query reads the inner executor's.
  template <typename Property>
  auto require(Property p) const
      -> strand<decltype(twin::require(std::declval<const Executor&>(), p))> {
    return {twin::require(inner_, p), queue_};
  }
  execution::blocking_t query(execution::blocking_property p) const {
    return twin::query(inner_, p);
  }

  // True when the calling thread is running one of this strand's handlers.
  bool running_in_this_thread() const noexcept { return queue_->running_in_this_thread(); }

  // Runs `f` inline when already inside this strand, unless the inner
  // executor is never-blocking; otherwise queues it and, if the strand was
  // idle, executes the strand's invoker on the inner executor — which runs
  // it inline when that executor may block and the caller is one of its run
  // threads (so a free strand is entered at once), else queues it.
  template <typename Function>
  void execute(Function&& f) const {
    if (twin::query(inner_, execution::blocking) != execution::blocking_t::never &&
        running_in_this_thread()) {
      return detail::invoke_inline(std::forward<Function>(f));
    }
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      inner_.execute(invoker(inner_));
  }

  // The strand's own members (Asio's older executor interface): the
  // invoker of an idle strand is dispatched, posted or deferred to the
  // inner executor as it is; it re-posts itself plainly.
  template <typename Function, typename Allocator = std::allocator<void>>
  void dispatch(Function&& f, const Allocator& = Allocator()) const {
    if (running_in_this_thread()) return detail::invoke_inline(std::forward<Function>(f));
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      twin::dispatch(inner_, invoker(inner_));
  }

  // Queues `f` on the strand; never runs it inside this call.
  template <typename Function, typename Allocator = std::allocator<void>>
  void post(Function&& f, const Allocator& = Allocator()) const {
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      twin::post(inner_, invoker(inner_));
  }

  // Like post; the strand's invoker is scheduled as a continuation.
  template <typename Function, typename Allocator = std::allocator<void>>
  void defer(Function&& f, const Allocator& = Allocator()) const {
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      twin::defer(inner_, invoker(inner_));
  }

  // Equal when they share one queue (whatever their inner properties).
  friend bool operator==(const strand& a, const strand& b) noexcept { return a.queue_ == b.queue_; }

private:
  template <typename>
  friend class strand;

  strand(Executor ex, std::shared_ptr<detail::strand_queue> queue)
      : inner_(std::move(ex)), queue_(std::move(queue)) {}

  // The invoker keeps `ex` as a tracked executor (see strand_invoker.hpp).
  auto invoker(const Executor& ex) const {
    return detail::strand_invoker(queue_, twin::prefer(ex, execution::outstanding_work.tracked));
  }

  Executor inner_;
  std::shared_ptr<detail::strand_queue> queue_;
};

template <detail::executor Executor>
strand<Executor> make_strand(const Executor& ex) {
  return strand<Executor>(ex);
}

template <detail::execution_context Context>
auto make_strand(Context& ctx) {
  return make_strand(ctx.get_executor());
}

}  // namespace twin
