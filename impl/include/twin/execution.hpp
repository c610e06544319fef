// twin::execution — the three executor properties twin's executors carry,
// and require/prefer/query to change or read them (Asio's execution::
// blocking, relationship and outstanding_work, as values rather than
// Asio's property objects).
//
//   blocking.possibly / never       may execute() run the function inline?
//   relationship.fork / continuation
//                                   is it a continuation of the running
//                                   handler (queued on the thread's private
//                                   queue, like defer)?
//   outstanding_work.untracked / tracked
//                                   does the executor object itself count as
//                                   outstanding work while it exists (like a
//                                   work guard)?
//
// post, dispatch and defer (post.hpp) are execute() on an executor with
// these properties set, as in Asio; that is what decides, for example,
// whether a strand re-schedules itself as a continuation. require(ex, p)
// needs `ex` to support `p`; prefer(ex, p...) applies the ones it supports
// and ignores the rest. Pure functions: safe from any thread.
#pragma once

#include <utility>

namespace twin::execution {

enum class blocking_t { possibly, never };
enum class relationship_t { fork, continuation };
// Tracking changes an executor's type (a tracked one releases work when
// destroyed), so its two values are types, as in Asio.
struct outstanding_work_t {
  struct untracked_t {};
  struct tracked_t {};
};

// `execution::blocking.never` and so on; the objects themselves name the
// property for query().
inline constexpr struct blocking_property {
  blocking_t possibly = blocking_t::possibly;
  blocking_t never = blocking_t::never;
} blocking{};

inline constexpr struct relationship_property {
  relationship_t fork = relationship_t::fork;
  relationship_t continuation = relationship_t::continuation;
} relationship{};

inline constexpr struct outstanding_work_property {
  outstanding_work_t::untracked_t untracked;
  outstanding_work_t::tracked_t tracked;
} outstanding_work{};

}  // namespace twin::execution

namespace twin {

template <typename Executor, typename Property>
auto require(const Executor& ex, Property p) -> decltype(ex.require(p)) {
  return ex.require(p);
}

template <typename Executor>
Executor prefer(const Executor& ex) {
  return ex;
}

template <typename Executor, typename Property, typename... Rest>
auto prefer(const Executor& ex, Property p, Rest... rest) {
  if constexpr (requires { ex.require(p); })
    return twin::prefer(ex.require(p), rest...);
  else
    return twin::prefer(ex, rest...);
}

// An executor that does not say is possibly-blocking, as in Asio.
template <typename Executor>
execution::blocking_t query(const Executor& ex, execution::blocking_property p) {
  if constexpr (requires { ex.query(p); })
    return ex.query(p);
  else
    return execution::blocking_t::possibly;
}

}  // namespace twin
