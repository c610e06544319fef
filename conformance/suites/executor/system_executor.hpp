// Executor scenarios: system_executor, the executor of no context of the
// program's own — dispatch runs the function at once on the
// calling thread; post and defer hand it to the system context's threads;
// system executors are equal, and all share one context (in Asio, require
// changes the executor's type, so one with blocking.never is not compared
// with the default); a handler that names no executor is associated with
// it.
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

}  // namespace conformance::executor
