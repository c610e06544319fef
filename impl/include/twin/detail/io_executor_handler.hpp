// twin::detail::on_io_executor — how an I/O object's handler reaches its
// executor (the part of Asio's handler_work that concerns the I/O object).
//
// A handler with an executor of its own (bind_executor, a strand-bound
// composed operation) runs there: complete_handler (handler_work.hpp) sees
// to that. Any other handler runs on the I/O object's executor: called
// directly when that is a plain io_context executor — the scheduler is
// already running on it, the case the common path must keep free — and
// otherwise handed to it with blocking.possibly (a strand then runs it
// inside the strand, inline when it is free). on_io_executor wraps the handler
// at initiation accordingly; the wrapper decides once, when it is made, so
// a completion costs one branch. Safe wherever the handler itself is.
#pragma once

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/associated_executor.hpp"
#include "twin/detail/handler_continuation.hpp"
#include "twin/execution.hpp"
#include "twin/io_context.hpp"

namespace twin::detail {

// Whether handlers on `Executor` can be called directly: a plain
// io_context executor, known from its type.
template <typename Executor>
inline constexpr bool calls_directly = std::is_same_v<Executor, io_context::executor_type>;

// The same question at run time, for an executor whose type does not say.
template <typename Executor>
bool calls_directly_now(const Executor& ex) noexcept {
  if constexpr (std::is_same_v<Executor, any_io_executor>)
    return ex.template target<io_context::executor_type>() != nullptr &&
           ex.query(execution::blocking) != execution::blocking_t::never;
  else
    return calls_directly<Executor>;
}

// What on_io_executor hands an operation's constructor: the handler and
// where it is to run, as references, so that the operation builds its
// io_executor_handler in place instead of receiving one and moving it in
// (a move of the whole handler per operation: a composed operation's state
// is the handler). Consumed within the full expression that made it.
template <typename Handler, typename Executor>
struct io_bound_handler {
  Handler&& handler;
  const Executor& executor;
  bool direct;  // calls_directly_now(executor), which the I/O object kept
};

template <typename Handler, typename Executor>
class io_executor_handler {
public:
  template <typename H>
  explicit io_executor_handler(io_bound_handler<H, Executor>&& bound)
      : handler_(std::forward<H>(bound.handler)) {
    if (!bound.direct) executor_.emplace(bound.executor);
  }

  template <typename... Args>
  void operator()(Args&&... args) {
    if (!executor_) {
      // A handler may return something (Asio ignores it too).
      std::move(handler_)(std::forward<Args>(args)...);
      return;
    }
    auto ex = twin::prefer(*executor_, execution::blocking.possibly);
    ex.execute(
        [h = std::move(handler_), bound = std::make_tuple(std::forward<Args>(args)...)]() mutable {
          std::apply(std::move(h), std::move(bound));
        });
  }

  bool is_continuation() const noexcept { return handler_is_continuation(handler_); }

private:
  Handler handler_;
  std::optional<Executor> executor_;  // empty: call directly
};

// Whether an operation on `Executor` keeps `Handler` as it is.
template <typename Executor, typename Handler>
inline constexpr bool kept_as_is =
    has_own_executor<std::decay_t<Handler>> || calls_directly<Executor>;

// The handler type an I/O object on `Executor` stores for a `Handler`.
template <typename Executor, typename Handler>
using on_io_executor_t = std::conditional_t<kept_as_is<Executor, Handler>, std::decay_t<Handler>,
                                            io_executor_handler<std::decay_t<Handler>, Executor>>;

// What an I/O object on `ex` passes on to make its operation's handler (an
// on_io_executor_t): the handler itself, or an io_bound_handler. `direct`
// is calls_directly_now(ex), kept by the I/O object.
template <typename Executor, typename Handler>
decltype(auto) on_io_executor(const Executor& ex, bool direct, Handler&& handler) {
  if constexpr (kept_as_is<Executor, Handler>)
    return std::forward<Handler>(handler);
  else
    return io_bound_handler<Handler, Executor>{std::forward<Handler>(handler), ex, direct};
}

}  // namespace twin::detail
