// twin::detail::invoke_inline — how a dispatch that may run a function at
// once runs it: on the calling thread, before returning, letting an
// exception propagate to the caller.
#pragma once

#include <type_traits>
#include <utility>

namespace twin::detail {

// Runs a decay-copy of `f` as an rvalue, as a queued copy would have run:
// `f` sees the same value category wherever it runs, and the caller's
// object is left as a move would leave it.
template <typename Function>
void invoke_inline(Function&& f) {
  std::decay_t<Function> local(std::forward<Function>(f));
  std::move(local)();
}

}  // namespace twin::detail
