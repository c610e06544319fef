// twin::detail::wrapped_handler — what io_context::strand::wrap returns: a
// handler that, when invoked, dispatches the wrapped handler (with the
// arguments it was invoked with) through the strand.
#pragma once

#include <tuple>
#include <type_traits>
#include <utility>

namespace twin::detail {

template <typename Dispatcher, typename Handler>
class wrapped_handler {
public:
  wrapped_handler(const Dispatcher& dispatcher, Handler handler)
      : dispatcher_(dispatcher), handler_(std::move(handler)) {}

  void operator()() { dispatcher_.dispatch(std::move(handler_)); }
  void operator()() const { dispatcher_.dispatch(handler_); }

  // The arguments are copied into the dispatched call, as Asio binds them.
  template <typename Arg, typename... Args>
  void operator()(Arg&& arg, Args&&... args) const {
    dispatcher_.dispatch(
        [handler = handler_,
         bound = std::make_tuple(std::forward<Arg>(arg), std::forward<Args>(args)...)]() mutable {
          std::apply(handler, bound);
        });
  }

  // Started while its strand runs on this thread, the operation continues
  // that strand's handler: its completion is queued as a continuation (in
  // the thread's private queue, behind the handler's other continuations),
  // as Asio's strand::wrap says (is_continuation_if_running).
  bool is_continuation() const noexcept { return dispatcher_.running_in_this_thread(); }

private:
  Dispatcher dispatcher_;
  Handler handler_;
};

}  // namespace twin::detail
