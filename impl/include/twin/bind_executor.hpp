// twin::bind_executor — associates a handler with an executor, so that
// whoever completes the handler runs it there (e.g. inside a strand).
#pragma once

#include <type_traits>
#include <utility>

#include "twin/associated_executor.hpp"

namespace twin {

template <typename T, typename Executor>
class executor_binder {
public:
  using target_type = T;
  using executor_type = Executor;

  template <typename U>
  executor_binder(const executor_type& ex, U&& target)
      : executor_(ex), target_(std::forward<U>(target)) {}

  target_type& get() noexcept { return target_; }
  const target_type& get() const noexcept { return target_; }
  executor_type get_executor() const noexcept { return executor_; }

  // Calls the target directly; running it on the executor is the job of the
  // operation that completes it.
  template <typename... Args>
  decltype(auto) operator()(Args&&... args) {
    return target_(std::forward<Args>(args)...);
  }
  template <typename... Args>
  decltype(auto) operator()(Args&&... args) const {
    return target_(std::forward<Args>(args)...);
  }

private:
  executor_type executor_;
  target_type target_;
};

template <detail::executor Executor, typename T>
executor_binder<std::decay_t<T>, Executor> bind_executor(const Executor& ex, T&& target) {
  return {ex, std::forward<T>(target)};
}

template <detail::execution_context Context, typename T>
auto bind_executor(Context& ctx, T&& target) {
  return bind_executor(ctx.get_executor(), std::forward<T>(target));
}

}  // namespace twin
