// ThreadPool scenarios: the pool's life — stop() leaves what is queued
// uninvoked and its destructor destroys it; a work guard on its executor
// keeps join() waiting; its executors know their pool and compare equal
// only within it.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <type_traits>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/threadpool/suite.hpp"

namespace conformance::threadpool {

// stop() while a function runs: the thread returns when it does, the
// function queued behind it never runs, and the pool's destruction destroys
// it.
TYPED_TEST_P(ThreadPool, StopLeavesQueuedFunctionsForTheDestructor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        {
          typename B::thread_pool pool(1);
          std::atomic<bool> running{false}, release{false}, second_ran{false};
          post(pool, [&] {
            running = true;
            wait_until(release);
          });
          post(pool,
               [&, w = destruction_witness(rec, "the queued function")] { second_ran = true; });
          rec.record("first function running: " + yes_no(wait_until(running)));
          pool.stop();
          release = true;
          pool.join();
          rec.record("joined; the queued function ran: " + yes_no(second_ran));
          rec.record("destroying the pool");
        }
        rec.record("pool destroyed");
      },
      expect_labels(ElementsAre("first function running: yes",
                                "joined; the queued function ran: no", "destroying the pool",
                                "destroyed the queued function", "pool destroyed")));
}

// Outstanding work counted on the pool's executor keeps join() from
// returning; resetting the guard lets it.
TYPED_TEST_P(ThreadPool, WorkGuardKeepsJoinWaiting) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(1);
        auto guard = make_work_guard(pool.get_executor());
        std::atomic<bool> joined{false}, ran{false};
        std::thread joiner([&] {
          pool.join();
          joined = true;
        });
        post(pool, [&] { ran = true; });
        rec.record("a function ran meanwhile: " + yes_no(wait_until(ran)));
        rec.record("join returned while the guard held work: " + yes_no(joined));
        guard.reset();
        rec.record("join returned after the reset: " + yes_no(wait_until(joined)));
        joiner.join();
      },
      expect_labels(ElementsAre("a function ran meanwhile: yes",
                                "join returned while the guard held work: no",
                                "join returned after the reset: yes")));
}

TYPED_TEST_P(ThreadPool, ExecutorsKnowTheirPool) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool a(1), b(1);
        rec.record("get_executor() == executor(): " + yes_no(a.get_executor() == a.executor()));
        rec.record("context() is the pool: " + yes_no(&a.get_executor().context() == &a));
        rec.record("two pools' executors equal: " + yes_no(a.get_executor() == b.get_executor()));
        rec.record(
            "pool is an execution_context: " +
            yes_no(std::is_base_of_v<typename B::execution_context, typename B::thread_pool>));
        a.join();
        b.join();
      },
      expect_labels(ElementsAre("get_executor() == executor(): yes", "context() is the pool: yes",
                                "two pools' executors equal: no",
                                "pool is an execution_context: yes")));
}

}  // namespace conformance::threadpool
