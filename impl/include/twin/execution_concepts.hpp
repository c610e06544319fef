// twin::detail::executor and ::execution_context — the concepts that tell an
// executor (a handle that queues work) from an execution context (io_context).
#pragma once

namespace twin::detail {

// Anything with get_executor(): io_context and the like.
template <typename T>
concept execution_context = requires(T& t) {
  t.get_executor();
};

// An executor: names its context and counts work.
template <typename T>
concept executor = requires(const T& e) {
  e.context();
  e.on_work_started();
  e.on_work_finished();
};

}  // namespace twin::detail
