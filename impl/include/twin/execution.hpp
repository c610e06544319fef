// twin::execution — the three executor properties twin's executors carry,
// and require/prefer/query to change or read them (Asio's execution::
// blocking, relationship and outstanding_work, as values rather than
// Asio's property objects); and three that are only queried: context,
// mapping and allocator.
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

#include <memory>
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

// Properties only queried: the context an executor submits to
// (query(ex, context) is ex.context()), how its execution agents map to
// threads (always `thread` for twin's executors, as for Asio's), and the
// allocator it uses for its operations (std::allocator<void>).
inline constexpr struct context_property {
} context{};

enum class mapping_t { thread, new_thread, other };
inline constexpr struct mapping_property {
  mapping_t thread = mapping_t::thread;
  mapping_t new_thread = mapping_t::new_thread;
  mapping_t other = mapping_t::other;
} mapping{};

inline constexpr struct allocator_property { } allocator{}; }  // namespace twin::execution

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

template <typename Executor>
auto query(const Executor& ex, execution::context_property) noexcept -> decltype(ex.context()) {
  return ex.context();
}

template <typename Executor>
execution::mapping_t query(const Executor&, execution::mapping_property) noexcept {
  return execution::mapping_t::thread;
}

template <typename Executor>
std::allocator<void> query(const Executor&, execution::allocator_property) noexcept {
  return {};
}

}  // namespace twin
