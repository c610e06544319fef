// twin::executor_work_guard — keeps an executor's context "busy" so run()
// does not return for lack of work, until reset() or destruction.
// A guard object is not thread-safe; different guards may be used from
// different threads.
#pragma once

#include <type_traits>
#include <utility>

#include "twin/execution_concepts.hpp"

namespace twin {

template <typename Executor>
class executor_work_guard {
public:
  using executor_type = Executor;

  explicit executor_work_guard(const executor_type& ex) noexcept : executor_(ex), owns_(true) {
    executor_.on_work_started();
  }
  executor_work_guard(const executor_work_guard& other) noexcept
      : executor_(other.executor_), owns_(other.owns_) {
    if (owns_) executor_.on_work_started();
  }
  executor_work_guard(executor_work_guard&& other) noexcept
      : executor_(std::move(other.executor_)), owns_(std::exchange(other.owns_, false)) {}
  executor_work_guard& operator=(const executor_work_guard&) = delete;
  ~executor_work_guard() { reset(); }

  executor_type get_executor() const noexcept { return executor_; }
  bool owns_work() const noexcept { return owns_; }

  // Releases the work (once); run() may then return when nothing is queued.
  void reset() noexcept {
    if (owns_) {
      executor_.on_work_finished();
      owns_ = false;
    }
  }

private:
  executor_type executor_;
  bool owns_;
};

template <detail::executor Executor>
executor_work_guard<Executor> make_work_guard(const Executor& ex) {
  return executor_work_guard<Executor>(ex);
}

template <detail::execution_context Context>
auto make_work_guard(Context& ctx) {
  return make_work_guard(ctx.get_executor());
}

}  // namespace twin
