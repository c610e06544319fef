// twin::post / twin::dispatch / twin::defer — queue a handler on an
// executor or an execution context (anything with get_executor()).
//
// post: never runs the handler inside the call. dispatch: runs it inline when
// the caller is already running on the executor. defer: like post, but marks
// the handler as a continuation of the current one (see executor_type::defer).
// Safe to call from any thread.
#pragma once

#include <memory>
#include <utility>

namespace twin {

namespace detail {

template <typename T>
concept execution_context = requires(T& t) { t.get_executor(); };

template <typename T>
concept executor = requires(const T& e) {
  e.context();
  e.on_work_started();
  e.on_work_finished();
};

}  // namespace detail

template <detail::executor Executor, typename Handler>
void post(const Executor& ex, Handler&& handler) {
  ex.post(std::forward<Handler>(handler), std::allocator<void>());
}

template <detail::execution_context Context, typename Handler>
void post(Context& ctx, Handler&& handler) {
  twin::post(ctx.get_executor(), std::forward<Handler>(handler));
}

template <detail::executor Executor, typename Handler>
void dispatch(const Executor& ex, Handler&& handler) {
  ex.dispatch(std::forward<Handler>(handler), std::allocator<void>());
}

template <detail::execution_context Context, typename Handler>
void dispatch(Context& ctx, Handler&& handler) {
  twin::dispatch(ctx.get_executor(), std::forward<Handler>(handler));
}

template <detail::executor Executor, typename Handler>
void defer(const Executor& ex, Handler&& handler) {
  ex.defer(std::forward<Handler>(handler), std::allocator<void>());
}

template <detail::execution_context Context, typename Handler>
void defer(Context& ctx, Handler&& handler) {
  twin::defer(ctx.get_executor(), std::forward<Handler>(handler));
}

}  // namespace twin
