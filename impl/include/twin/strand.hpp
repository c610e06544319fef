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

#include "twin/detail/strand_invoker.hpp"
#include "twin/detail/strand_queue.hpp"
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

  // True when the calling thread is running one of this strand's handlers.
  bool running_in_this_thread() const noexcept { return queue_->running_in_this_thread(); }

  // Runs `f` inline when already inside this strand; otherwise queues it,
  // and runs it inline after all if the strand is free and the caller is a
  // thread of the inner executor (Asio's blocking.possibly).
  template <typename Function>
  void execute(Function&& f) const {
    dispatch(std::forward<Function>(f));
  }

  template <typename Function, typename Allocator = std::allocator<void>>
  void dispatch(Function&& f, const Allocator& = Allocator()) const {
    if (running_in_this_thread()) {
      std::decay_t<Function> local(std::forward<Function>(f));
      std::move(local)();
      return;
    }
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      inner_.dispatch(invoker(queue_, inner_));
  }

  // Queues `f` on the strand; never runs it inside this call.
  template <typename Function, typename Allocator = std::allocator<void>>
  void post(Function&& f, const Allocator& = Allocator()) const {
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      inner_.post(invoker(queue_, inner_));
  }

  // Like post; the strand's invoker is scheduled as a continuation.
  template <typename Function, typename Allocator = std::allocator<void>>
  void defer(Function&& f, const Allocator& = Allocator()) const {
    if (queue_->enqueue(detail::make_strand_op(std::forward<Function>(f))))
      inner_.defer(invoker(queue_, inner_));
  }

  friend bool operator==(const strand& a, const strand& b) noexcept {
    return a.queue_ == b.queue_ && a.inner_ == b.inner_;
  }

private:
  using invoker = detail::strand_invoker<Executor, false>;

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
