// twin::associated_executor — the executor a handler wants to run on.
//
// A handler that has `executor_type` and `get_executor()` (such as the
// result of bind_executor) is associated with that executor; any other
// handler runs on the executor it is given (the `Executor` parameter;
// system_executor when none is given, as in Asio).
// Every operation twin completes — post, dispatch, defer, and later timers
// and sockets — delivers its handler through the associated executor, so a
// handler bound to a strand runs in that strand.
#pragma once

#include "twin/execution_concepts.hpp"
#include "twin/system_executor.hpp"

namespace twin {

namespace detail {

template <typename T>
concept has_own_executor = requires(const T& t) {
  typename T::executor_type;
  {t.get_executor()};
};

}  // namespace detail

template <typename T, typename Executor = system_executor>
struct associated_executor {
  using type = Executor;
  static type get(const T&, const Executor& ex) noexcept { return ex; }
};

template <detail::has_own_executor T, typename Executor>
struct associated_executor<T, Executor> {
  using type = typename T::executor_type;
  static type get(const T& t, const Executor&) noexcept { return t.get_executor(); }
};

template <typename T, typename Executor = system_executor>
using associated_executor_t = typename associated_executor<T, Executor>::type;

// The executor `t` is associated with, or `ex` if none.
template <typename T, detail::executor Executor>
associated_executor_t<T, Executor> get_associated_executor(const T& t, const Executor& ex) {
  return associated_executor<T, Executor>::get(t, ex);
}

// The executor `t` is associated with, or a system_executor.
template <typename T>
associated_executor_t<T> get_associated_executor(const T& t) {
  return associated_executor<T>::get(t, system_executor());
}

template <typename T, detail::execution_context Context>
auto get_associated_executor(const T& t, Context& ctx) {
  return get_associated_executor(t, ctx.get_executor());
}

}  // namespace twin
