// twin::system_executor — the executor that runs functions on any thread
// (Asio's system_executor): the default associated executor of a handler
// that names none, so post(f), dispatch(f) and defer(f) without an executor
// use it.
//
// Its context is the process's one system_context (system_context.hpp),
// made on first use, whose threads (twice the hardware's, as Asio's) run
// what is queued to it; every system_executor is equal to every other. It
// carries the properties of execution.hpp: execute() with blocking
// `possibly` (the default; dispatch) runs the function at once on the
// calling thread, and an exception escaping it ends the process
// (std::terminate), as in Asio; with blocking `never` (post, defer) it
// queues the function for the system_context's threads, as a continuation
// when the relationship is `continuation`. Work tracking is a no-op: the
// system context always has work until the process exits. Safe to use
// from any thread.
#pragma once

#include <exception>
#include <type_traits>
#include <utility>

#include "twin/detail/completion_handler.hpp"
#include "twin/detail/legacy_executor_members.hpp"
#include "twin/detail/scheduler.hpp"
#include "twin/execution.hpp"

namespace twin {

class system_context;

namespace detail {
// The one system_context, and its scheduler (made on first use).
system_context& system_context_instance();
scheduler& system_scheduler();
}  // namespace detail

// Asio's older members dispatch/post/defer come from
// legacy_executor_members: dispatch runs `f` now (an exception propagates).
class system_executor : public detail::legacy_executor_members<system_executor> {
public:
  system_executor() noexcept = default;

  // The process's system_context.
  system_context& context() const noexcept;

  void on_work_started() const noexcept {}
  void on_work_finished() const noexcept {}

  // The same executor with one property changed (see execution.hpp).
  system_executor require(execution::blocking_t b) const noexcept {
    return system_executor(b == execution::blocking_t::never, continuation_);
  }
  system_executor require(execution::relationship_t r) const noexcept {
    return system_executor(never_, r == execution::relationship_t::continuation);
  }
  system_executor require(execution::outstanding_work_t::tracked_t) const noexcept { return *this; }
  system_executor require(execution::outstanding_work_t::untracked_t) const noexcept {
    return *this;
  }
  execution::blocking_t query(execution::blocking_property) const noexcept {
    return never_ ? execution::blocking_t::never : execution::blocking_t::possibly;
  }

  // Runs `f` now (blocking possibly) or queues it (blocking never).
  template <typename Function>
  void execute(Function&& f) const {
    if (!never_) return run_now(std::forward<Function>(f));
    submit(std::forward<Function>(f), continuation_);
  }

  // Every system executor is the same executor, whatever its properties.
  friend bool operator==(const system_executor&, const system_executor&) noexcept { return true; }

private:
  friend class detail::legacy_executor_members<system_executor>;

  system_executor(bool never, bool continuation) noexcept
      : never_(never), continuation_(continuation) {}

  template <typename Function>
  static void run_now(Function&& f) {
    std::decay_t<Function> local(std::forward<Function>(f));
    try {
      std::move(local)();
    } catch (...) {
      std::terminate();
    }
  }

  static constexpr bool can_run_inline() noexcept { return true; }

  template <typename Function>
  static void submit(Function&& f, bool is_continuation) {
    using op = detail::completion_handler<std::decay_t<Function>>;
    detail::system_scheduler().post_immediate_completion(op::make(std::forward<Function>(f)),
                                                         is_continuation);
  }

  bool never_ = false;
  bool continuation_ = false;
};

}  // namespace twin
