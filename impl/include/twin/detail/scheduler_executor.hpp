// twin::detail::scheduler_executor — the executor of a context that runs
// handlers on a detail::scheduler: io_context::executor_type and
// thread_pool::executor_type are this template. See the class comment.
#pragma once

#include <type_traits>
#include <utility>

#include "twin/detail/completion_handler.hpp"
#include "twin/detail/legacy_executor_members.hpp"
#include "twin/execution.hpp"

namespace twin::detail {

// A lightweight handle to a context that runs handlers on a scheduler
// (io_context, thread_pool: Context has impl(), its detail::scheduler);
// copies compare equal when they refer to the same context with the same
// properties. Safe to use from any thread. The context names it
// `basic_executor_type<Tracked>`, as Asio names its executors.
//
// It carries the properties of execution.hpp: execute() runs the function
// inline only when blocking is `possibly` and the caller is a run thread of
// the context; otherwise it queues it, as a continuation when the
// relationship is `continuation`. Those two are bits of the object; whether
// it is `tracked` is its type (as in Asio): a tracked executor counts as
// outstanding work for as long as it (or a copy) exists, moving it moves
// the work, and copying an untracked one costs nothing.
template <typename Context, bool Tracked>
class scheduler_executor : public legacy_executor_members<scheduler_executor<Context, Tracked>> {
public:
  // An executor of `context`, with no property bits set.
  explicit scheduler_executor(Context& context) noexcept : scheduler_executor(context, 0) {}

  // Untracked: copies are trivial. Tracked: a copy counts work of its own.
  scheduler_executor(const scheduler_executor&) noexcept requires(!Tracked) = default;
  scheduler_executor& operator=(const scheduler_executor&) noexcept requires(!Tracked) = default;
  ~scheduler_executor() requires(!Tracked) = default;

  scheduler_executor(const scheduler_executor& other) noexcept requires Tracked
      : context_(other.context_),
        bits_(other.bits_) {
    context_->impl().work_started();
  }
  scheduler_executor(scheduler_executor&& other) noexcept requires Tracked
      : context_(std::exchange(other.context_, nullptr)),
        bits_(other.bits_) {}
  scheduler_executor& operator=(const scheduler_executor& other) noexcept requires Tracked {
    return *this = scheduler_executor(other);
  }
  scheduler_executor& operator=(scheduler_executor&& other) noexcept requires Tracked {
    std::swap(context_, other.context_);
    bits_ = other.bits_;
    return *this;
  }
  ~scheduler_executor() requires Tracked {
    if (context_) context_->impl().work_finished();
  }

  Context& context() const noexcept { return *context_; }

  // True when the calling thread is running this context's handlers.
  bool running_in_this_thread() const noexcept { return context_->impl().can_dispatch(); }

  // Count / release one unit of outstanding work (what a work guard does).
  void on_work_started() const noexcept { context_->impl().work_started(); }
  void on_work_finished() const noexcept { context_->impl().work_finished(); }

  // The same executor with one property changed (see execution.hpp).
  scheduler_executor require(execution::blocking_t b) const noexcept {
    return {*context_, b == execution::blocking_t::never ? (bits_ | blocking_never_bit)
                                                         : (bits_ & ~blocking_never_bit)};
  }
  scheduler_executor require(execution::relationship_t r) const noexcept {
    return {*context_, r == execution::relationship_t::continuation ? (bits_ | continuation_bit)
                                                                    : (bits_ & ~continuation_bit)};
  }
  scheduler_executor<Context, true> require(
      execution::outstanding_work_t::tracked_t) const noexcept {
    return {*context_, bits_};
  }
  scheduler_executor<Context, false> require(
      execution::outstanding_work_t::untracked_t) const noexcept {
    return {*context_, bits_};
  }
  execution::blocking_t query(execution::blocking_property) const noexcept {
    return (bits_ & blocking_never_bit) ? execution::blocking_t::never
                                        : execution::blocking_t::possibly;
  }

  // Runs `f` now when blocking is possibly and the caller is a run thread of
  // this context; otherwise queues it. An exception `f` throws when run
  // inline does not leave execute(): the context keeps it and rethrows it
  // from run()/poll() once the handler that called execute() has returned
  // (so that handler carries on), as Asio's executor does.
  template <typename Function>
  void execute(Function&& f) const {
    if (!(bits_ & blocking_never_bit) && running_in_this_thread()) {
      std::decay_t<Function> local(std::forward<Function>(f));
      try {
        std::move(local)();
      } catch (...) {
        context_->impl().capture_current_exception();
      }
      return;
    }
    submit(std::forward<Function>(f), (bits_ & continuation_bit) != 0);
  }

  friend bool operator==(const scheduler_executor& a, const scheduler_executor& b) noexcept {
    return a.context_ == b.context_ && a.bits_ == b.bits_;
  }

private:
  template <typename, bool>
  friend class scheduler_executor;
  friend class legacy_executor_members<scheduler_executor>;
  static constexpr unsigned blocking_never_bit = 1;
  static constexpr unsigned continuation_bit = 2;

  scheduler_executor(Context& context, unsigned bits) noexcept : context_(&context), bits_(bits) {
    if constexpr (Tracked) context_->impl().work_started();
  }

  // For the legacy members: dispatch runs inline on a run thread.
  bool can_run_inline() const noexcept { return running_in_this_thread(); }

  template <typename Function>
  void submit(Function&& f, bool is_continuation) const {
    using op = detail::completion_handler<std::decay_t<Function>>;
    context_->impl().post_immediate_completion(op::make(std::forward<Function>(f)),
                                               is_continuation);
  }

  Context* context_;
  unsigned bits_;
};

}  // namespace twin::detail
