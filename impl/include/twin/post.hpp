// twin::post / twin::dispatch / twin::defer — queue a handler on an
// executor or an execution context (anything with get_executor()).
//
// post: never runs the handler inside the call. dispatch: runs it inline when
// the caller is already running on the executor (an exception it throws
// then surfaces from run() after the calling handler returns). defer: like
// post, but marks the handler as a continuation of the current one.
// A handler with an associated executor (bind_executor) is run there: the
// given executor runs a work_dispatcher that dispatches it onward, as Asio
// does. Safe to call from any thread.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include "twin/associated_executor.hpp"
#include "twin/detail/work_dispatcher.hpp"
#include "twin/execution.hpp"
#include "twin/execution_concepts.hpp"

namespace twin {

namespace detail {

enum class submission { post, dispatch, defer };

// As Asio: post is execute() with blocking.never and relationship.fork,
// defer with blocking.never and relationship.continuation, dispatch with
// blocking.possibly. An executor without execute() (an older user-written
// one) gets its own post/dispatch/defer members instead.
template <submission How, typename Executor, typename Function>
void submit(const Executor& ex, Function&& f) {
  if constexpr (requires { ex.execute(std::forward<Function>(f)); }) {
    if constexpr (How == submission::post)
      twin::prefer(twin::require(ex, execution::blocking.never), execution::relationship.fork)
          .execute(std::forward<Function>(f));
    else if constexpr (How == submission::dispatch)
      twin::prefer(ex, execution::blocking.possibly).execute(std::forward<Function>(f));
    else
      twin::prefer(twin::require(ex, execution::blocking.never),
                   execution::relationship.continuation)
          .execute(std::forward<Function>(f));
  } else if constexpr (How == submission::post) {
    ex.post(std::forward<Function>(f), std::allocator<void>());
  } else if constexpr (How == submission::dispatch) {
    ex.dispatch(std::forward<Function>(f), std::allocator<void>());
  } else {
    ex.defer(std::forward<Function>(f), std::allocator<void>());
  }
}

template <submission How, typename Executor, typename Handler>
void initiate(const Executor& ex, Handler&& handler) {
  using handler_type = std::decay_t<Handler>;
  if constexpr (has_own_executor<handler_type>) {
    auto handler_ex = get_associated_executor(handler, ex);
    submit<How>(ex, work_dispatcher<handler_type, decltype(handler_ex)>(
                        handler_type(std::forward<Handler>(handler)), handler_ex));
  } else {
    submit<How>(ex, std::forward<Handler>(handler));
  }
}

}  // namespace detail

template <detail::executor Executor, typename Handler>
void post(const Executor& ex, Handler&& handler) {
  detail::initiate<detail::submission::post>(ex, std::forward<Handler>(handler));
}

template <detail::execution_context Context, typename Handler>
void post(Context& ctx, Handler&& handler) {
  twin::post(ctx.get_executor(), std::forward<Handler>(handler));
}

template <detail::executor Executor, typename Handler>
void dispatch(const Executor& ex, Handler&& handler) {
  detail::initiate<detail::submission::dispatch>(ex, std::forward<Handler>(handler));
}

template <detail::execution_context Context, typename Handler>
void dispatch(Context& ctx, Handler&& handler) {
  twin::dispatch(ctx.get_executor(), std::forward<Handler>(handler));
}

template <detail::executor Executor, typename Handler>
void defer(const Executor& ex, Handler&& handler) {
  detail::initiate<detail::submission::defer>(ex, std::forward<Handler>(handler));
}

template <detail::execution_context Context, typename Handler>
void defer(Context& ctx, Handler&& handler) {
  twin::defer(ctx.get_executor(), std::forward<Handler>(handler));
}

}  // namespace twin
