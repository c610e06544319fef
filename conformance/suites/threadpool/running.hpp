// ThreadPool scenarios: where and in which order the pool runs what it is
// given — its own threads, never the caller's; every function, including
// those the functions post, before join() or wait() returns; a one-thread
// pool's posts from inside a function queued behind earlier work; dispatch
// inline only from a pool thread; an attached thread takes work the busy
// pool threads cannot.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/threadpool/suite.hpp"

namespace conformance::threadpool {

TYPED_TEST_P(ThreadPool, FunctionsRunOnPoolThreadsNeverTheCaller) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        auto ex = pool.get_executor();
        const auto caller = std::this_thread::get_id();
        std::atomic<int> ran{0}, on_caller{0}, inside{0};
        for (int i = 0; i < 100; ++i)
          post(pool, [&] {
            on_caller += std::this_thread::get_id() == caller;
            inside += ex.running_in_this_thread();
            ++ran;
          });
        rec.record("running_in_this_thread on the caller: " + yes_no(ex.running_in_this_thread()));
        pool.join();
        rec.record("ran " + std::to_string(ran.load()));
        rec.record("on the caller's thread " + std::to_string(on_caller.load()));
        rec.record("running_in_this_thread inside " + std::to_string(inside.load()));
      },
      expect_labels(ElementsAre("running_in_this_thread on the caller: no", "ran 100",
                                "on the caller's thread 0", "running_in_this_thread inside 100")));
}

// join() gives up the pool's own unit of work: the threads then run until the
// work runs out, a chain of functions each posting the next included.
TYPED_TEST_P(ThreadPool, JoinWaitsForWorkTheFunctionsPost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        std::atomic<int> ran{0};
        std::function<void(int)> hop = [&](int left) {
          ++ran;
          if (left > 0) post(pool, [&hop, left] { hop(left - 1); });
        };
        post(pool, [&] { hop(49); });
        pool.join();
        rec.record("ran " + std::to_string(ran.load()) + " of 50 before join returned");
        pool.join();
        rec.record("a second join returns at once");
      },
      expect_labels(
          ElementsAre("ran 50 of 50 before join returned", "a second join returns at once")));
}

TYPED_TEST_P(ThreadPool, WaitReturnsOnceTheWorkHasRun) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(3);
        std::atomic<int> ran{0};
        for (int i = 0; i < 30; ++i) post(pool.get_executor(), [&] { ++ran; });
        pool.wait();
        rec.record("ran " + std::to_string(ran.load()) + " of 30 before wait returned");
      },
      expect_labels(ElementsAre("ran 30 of 30 before wait returned")));
}

// One thread: the pool's functions run in the order they were posted.
TYPED_TEST_P(ThreadPool, OneThreadRunsFunctionsInPostOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(1);
        std::vector<int> order;  // the pool thread's; read after join
        for (int i = 0; i < 20; ++i) post(pool, [&order, i] { order.push_back(i); });
        pool.join();
        std::string seen;
        for (int i : order) seen += std::to_string(i) + " ";
        rec.record("order: " + seen);
      },
      expect_labels(ElementsAre("order: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 ")));
}

// A one-thread pool runs with concurrency hint 1 (Asio's choice): what a
// function posts waits in its thread's queue until the function returns, so
// a post from the caller made in between runs first. (With more threads the
// posts go straight to the shared queue: B, then E, then C.)
TYPED_TEST_P(ThreadPool, OneThreadKeepsAFunctionsPostsBehindEarlierWork) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(1);
        std::vector<std::string> order;  // the pool thread's; read after join
        std::atomic<bool> b_posted{false}, e_posted{false};
        post(pool, [&] {
          order.push_back("A");
          post(pool, [&] { order.push_back("B"); });
          b_posted = true;
          if (!wait_until(e_posted)) order.push_back("E never posted");
          post(pool, [&] { order.push_back("C"); });
          defer(pool, [&] { order.push_back("D (deferred)"); });
        });
        if (!wait_until(b_posted)) rec.record("A never ran");
        post(pool, [&] { order.push_back("E (from the caller)"); });
        e_posted = true;
        pool.join();
        for (const auto& what : order) rec.record(what);
      },
      expect_labels(ElementsAre("A", "E (from the caller)", "B", "C", "D (deferred)")));
}

// dispatch runs the function inside the call only on a pool thread.
TYPED_TEST_P(ThreadPool, DispatchRunsInlineOnlyOnAPoolThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        const auto caller = std::this_thread::get_id();
        std::atomic<bool> inner_ran_first{false}, outer_done{false}, from_caller_on_caller{true};
        std::atomic<bool> from_caller_ran{false};
        post(pool, [&] {
          bool inner = false;
          dispatch(pool.get_executor(), [&] { inner = true; });
          inner_ran_first = inner;
          outer_done = true;
        });
        dispatch(pool, [&] {
          from_caller_on_caller = std::this_thread::get_id() == caller;
          from_caller_ran = true;
        });
        pool.join();
        rec.record("dispatch on a pool thread ran inline: " + yes_no(inner_ran_first));
        rec.record("dispatch from the caller ran: " + yes_no(from_caller_ran));
        rec.record("... on the caller's thread: " + yes_no(from_caller_on_caller));
      },
      expect_labels(ElementsAre("dispatch on a pool thread ran inline: yes",
                                "dispatch from the caller ran: yes",
                                "... on the caller's thread: no")));
}

// attach() makes the calling thread one of the pool's: with both pool
// threads held busy, the third function can only run there. It returns once
// the pool is joined (from another thread) and out of work.
TYPED_TEST_P(ThreadPool, AttachedThreadTakesWorkTheBusyThreadsCannot) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        const auto caller = std::this_thread::get_id();
        std::atomic<int> busy{0};
        std::atomic<bool> third_done{false}, third_on_caller{false};
        for (int i = 0; i < 2; ++i)
          post(pool, [&] {
            ++busy;
            wait_until(third_done);
          });
        post(pool, [&] {
          third_on_caller = std::this_thread::get_id() == caller;
          third_done = true;
        });
        rec.record("both pool threads busy: " + yes_no(wait_until([&] { return busy == 2; })));
        std::thread joiner([&] { pool.join(); });
        pool.attach();
        joiner.join();
        rec.record("attach returned; the third function ran on the attached thread: " +
                   yes_no(third_on_caller));
      },
      expect_labels(
          ElementsAre("both pool threads busy: yes",
                      "attach returned; the third function ran on the attached thread: yes")));
}

// The same with one pool thread (concurrency hint 1): the attached thread
// still takes the second function while the first holds the pool thread.
TYPED_TEST_P(ThreadPool, AttachedThreadHelpsAOneThreadPool) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(1);
        const auto caller = std::this_thread::get_id();
        std::atomic<bool> first_running{false}, second_done{false}, second_on_caller{false};
        post(pool, [&] {
          first_running = true;
          wait_until(second_done);
        });
        post(pool, [&] {
          second_on_caller = std::this_thread::get_id() == caller;
          second_done = true;
        });
        rec.record("pool thread busy: " + yes_no(wait_until(first_running)));
        std::thread joiner([&] { pool.join(); });
        pool.attach();
        joiner.join();
        rec.record("the second function ran on the attached thread: " + yes_no(second_on_caller));
      },
      expect_labels(ElementsAre("pool thread busy: yes",
                                "the second function ran on the attached thread: yes")));
}

}  // namespace conformance::threadpool
