// Executor scenarios: system_executor, the executor of no context of the
// program's own — dispatch runs the function at once on the
// calling thread; post and defer hand it to the system context's threads;
// system executors are equal, and all share one context (in Asio, require
// changes the executor's type, so one with blocking.never is not compared
// with the default); a handler that names no executor is associated with
// it. Then the properties any executor is only queried for: context,
// mapping, allocator.
#pragma once

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/executor/suite.hpp"

namespace conformance::executor {

// Where one submission ran: "inline", "another thread", or "never ran".
template <typename Submit>
std::string where_it_runs(Submit submit) {
  const auto caller = std::this_thread::get_id();
  std::promise<std::thread::id> ran_on;
  auto result = ran_on.get_future();
  submit([&] { ran_on.set_value(std::this_thread::get_id()); });
  if (!ready_in_time(result)) return "never ran";
  return result.get() == caller ? "inline" : "another thread";
}

TYPED_TEST_P(Executor, SystemExecutorRunsDispatchInlineAndPostElsewhere) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        const typename B::system_executor ex;
        rec.record("dispatch: " + where_it_runs([&](auto f) { dispatch(ex, std::move(f)); }));
        rec.record("post: " + where_it_runs([&](auto f) { post(ex, std::move(f)); }));
        rec.record("defer: " + where_it_runs([&](auto f) { defer(ex, std::move(f)); }));
        rec.record("member post: " +
                   where_it_runs([&](auto f) { ex.post(std::move(f), std::allocator<void>()); }));
      },
      expect_outcomes(ElementsAre("dispatch: inline", "post: another thread",
                                  "defer: another thread", "member post: another thread")));
}

TYPED_TEST_P(Executor, SystemExecutorsAreAllOneExecutor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        const typename B::system_executor ex;
        const auto never = B::require_blocking_never(ex);
        rec.record("two equal: " + yes_no(ex == typename B::system_executor()));
        rec.record("blocking.never queried back: " + yes_no(B::blocking_is_never(never)) +
                   ", the default possibly: " + yes_no(!B::blocking_is_never(ex)));
        rec.record("one context: " + yes_no(&ex.context() == &never.context()));
        // A plain function object names no executor: it is associated with
        // the system executor.
        const auto handler = [] {};
        using associated = decltype(B::associated_executor_of(handler));
        rec.record("associated with a system_executor: " +
                   yes_no(std::is_same_v<associated, typename B::system_executor>));
      },
      expect_outcomes(ElementsAre("two equal: yes",
                                  "blocking.never queried back: yes, the default possibly: yes",
                                  "one context: yes", "associated with a system_executor: yes")));
}

// The properties an executor is only asked about: its context (the
// io_context for its own executor, a strand over it and an any_io_executor
// holding either; the pool for a thread_pool's), a mapping of execution
// agents onto threads, and the standard allocator.
TYPED_TEST_P(Executor, QueriedPropertiesNameContextMappingAndAllocator) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::thread_pool pool(1);
        const auto io_ex = ctx.get_executor();
        const auto strand = make_strand(ctx);
        const typename B::any_io_executor any(strand);
        const auto pool_ex = pool.get_executor();
        const auto context_is = [](const auto& ex, const auto& expected) {
          return yes_no(static_cast<const void*>(&B::query_context(ex)) ==
                        static_cast<const void*>(&expected));
        };
        rec.record("context: io_context's " + context_is(io_ex, ctx) + ", strand's " +
                   context_is(strand, ctx) + ", any_io_executor's " + context_is(any, ctx) +
                   ", pool's " + context_is(pool_ex, pool));
        rec.record("mapping thread: " +
                   yes_no(B::maps_to_threads(io_ex) && B::maps_to_threads(strand) &&
                          B::maps_to_threads(any) && B::maps_to_threads(pool_ex)));
        rec.record("standard allocator: " + yes_no(B::uses_the_standard_allocator(io_ex) &&
                                                   B::uses_the_standard_allocator(pool_ex)));
        pool.join();
      },
      expect_outcomes(
          ElementsAre("context: io_context's yes, strand's yes, any_io_executor's yes, pool's yes",
                      "mapping thread: yes", "standard allocator: yes")));
}

}  // namespace conformance::executor
