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

template <typename Handler, typename Executor>
class io_executor_handler {
public:
  // `direct`: calls_directly_now(ex), which the I/O object worked out once.
  io_executor_handler(Handler handler, const Executor& ex, bool direct)
      : handler_(std::move(handler)) {
    if (!direct) executor_.emplace(ex);
  }

  template <typename... Args>
  void operator()(Args&&... args) {
    if (!executor_) return std::move(handler_)(std::forward<Args>(args)...);
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

// The handler an I/O object on `ex` stores for `handler` (see above).
// `direct` is calls_directly_now(ex), kept by the I/O object.
template <typename Executor, typename Handler>
decltype(auto) on_io_executor(const Executor& ex, bool direct, Handler&& handler) {
  using handler_type = std::decay_t<Handler>;
  if constexpr (has_own_executor<handler_type> || calls_directly<Executor>)
    return std::forward<Handler>(handler);
  else
    return io_executor_handler<handler_type, Executor>(std::forward<Handler>(handler), ex, direct);
}

template <typename Executor, typename Handler>
using on_io_executor_t = std::decay_t<decltype(on_io_executor(std::declval<const Executor&>(), true,
                                                              std::declval<Handler>()))>;

}  // namespace twin::detail
