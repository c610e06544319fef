// Conformance category Ordering: in what order, on which thread and how many
// times the scheduler runs handlers — post, dispatch, defer, the run/poll
// family, stop/restart, work guards, exceptions and destruction.
//
// Nearly every scenario here runs on one thread, where Asio's order is fully
// determined, so twin's trace must equal Asio's event for event.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/destruction_witness.hpp"
#include "conformance/scenario.hpp"

namespace conformance::ordering {

template <typename Backend>
class Ordering : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Ordering);

// "prefix i" for i in [0, n).
inline std::vector<std::string> numbered(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + " " + std::to_string(i));
  return out;
}

TYPED_TEST_P(Ordering, PostIsFifo) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        for (int i = 0; i < 10; ++i)
          post(ctx, [&rec, i] { rec.record("handler " + std::to_string(i)); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        auto expected = numbered("handler", 10);
        expected.push_back("run returned 10");
        EXPECT_EQ(labels(t), expected);
      });
}

TYPED_TEST_P(Ordering, PostNeverRunsInline) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          rec.record("outer");
          post(ctx, [&] { rec.record("inner"); });
          rec.record("outer after post");
        });
        rec.record("main after post");
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"main after post", "outer",
                                                       "outer after post", "inner"}));
      });
}

TYPED_TEST_P(Ordering, DispatchRunsInlineInsideRun) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          rec.record("outer begins");
          dispatch(ctx, [&] { rec.record("dispatched"); });
          rec.record("outer ends");
        });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"outer begins", "dispatched", "outer ends"}));
      });
}

TYPED_TEST_P(Ordering, DispatchOutsideRunIsQueued) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        dispatch(ctx, [&] { rec.record("dispatched"); });
        rec.record("main after dispatch");
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"main after dispatch", "dispatched"}));
      });
}

TYPED_TEST_P(Ordering, DispatchFromAnotherContextsHandlerIsQueued) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context target, other;
        post(other, [&] {
          dispatch(target, [&] { rec.record("dispatched"); });
          rec.record("other's handler after dispatch");
        });
        other.run();
        target.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"other's handler after dispatch", "dispatched"}));
      });
}

// Asio queues a continuation (defer) on the running thread's private queue,
// flushed after the handler returns, but a post straight on the shared queue:
// with the default hint, "defer a; post b" runs b first.
TYPED_TEST_P(Ordering, DeferredContinuationRunsAfterLaterPost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          defer(ctx, [&] { rec.record("deferred"); });
          post(ctx, [&] { rec.record("posted"); });
        });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"posted", "deferred"}));
      });
}

// With concurrency hint 1 every post from the run thread is private too, so
// defer and post keep program order.
TYPED_TEST_P(Ordering, DeferAndPostKeepOrderUnderHintOne) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx(1);
        post(ctx, [&] {
          defer(ctx, [&] { rec.record("deferred"); });
          post(ctx, [&] { rec.record("posted"); });
        });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"deferred", "posted"}));
      });
}

TYPED_TEST_P(Ordering, DeferOutsideRunIsQueued) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        defer(ctx, [&] { rec.record("deferred"); });
        rec.record("main after defer");
        post(ctx, [&] { rec.record("posted"); });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"main after defer", "deferred", "posted"}));
      });
}

TYPED_TEST_P(Ordering, NestedPostsRunAfterWhatWasAlreadyQueued) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          rec.record("A");
          post(ctx, [&] {
            rec.record("A1");
            post(ctx, [&] { rec.record("A1a"); });
          });
          post(ctx, [&] { rec.record("A2"); });
        });
        post(ctx, [&] {
          rec.record("B");
          post(ctx, [&] { rec.record("B1"); });
        });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"A", "B", "A1", "A2", "B1", "A1a"}));
      });
}

// Seed 000, first program: one run thread runs one handler at a time.
TYPED_TEST_P(Ordering, OneHandlerAtATimeOnOneThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::atomic<int> in_flight{0};
        int most_in_flight = 0;
        auto handler = [&](std::string name, bool long_running) {
          return [&, name, long_running] {
            most_in_flight = std::max(most_in_flight, ++in_flight);
            rec.record(name + (long_running ? " start" : ""));
            // Long enough for a second thread to interfere, if there were one.
            if (long_running)
              for (int i = 0; i < 1000; ++i) std::this_thread::yield();
            if (long_running) rec.record(name + " end");
            --in_flight;
          };
        };
        post(ctx, handler("Handler 1", true));
        post(ctx, handler("Handler 2", false));
        ctx.run();
        rec.record("most handlers in flight: " + std::to_string(most_in_flight));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"Handler 1 start", "Handler 1 end", "Handler 2",
                                            "most handlers in flight: 1"}));
      });
}

TYPED_TEST_P(Ordering, RunReturnsHandlerCount) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          post(ctx, [] {});
          post(ctx, [] {});
        });
        post(ctx, [] {});
        post(ctx, [] {});
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"run returned 5", "stopped"}));
      });
}

TYPED_TEST_P(Ordering, RunOneRunsExactlyOne) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        for (int i = 0; i < 3; ++i)
          post(ctx, [&rec, i] { rec.record("handler " + std::to_string(i)); });
        for (int i = 0; i < 4; ++i)
          rec.record("run_one returned " + std::to_string(ctx.run_one()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"handler 0", "run_one returned 1", "handler 1",
                                            "run_one returned 1", "handler 2",
                                            "run_one returned 1", "run_one returned 0",
                                            "stopped"}));
      });
}

TYPED_TEST_P(Ordering, PollRunsEveryReadyHandlerIncludingNewOnes) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          rec.record("first");
          post(ctx, [&] { rec.record("posted by first"); });
        });
        post(ctx, [&] { rec.record("second"); });
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"first", "second", "posted by first",
                                                       "poll returned 3", "stopped"}));
      });
}

TYPED_TEST_P(Ordering, PollOneRunsAtMostOne) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] { rec.record("first"); });
        post(ctx, [&] { rec.record("second"); });
        for (int i = 0; i < 3; ++i)
          rec.record("poll_one returned " + std::to_string(ctx.poll_one()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"first", "poll_one returned 1", "second",
                                                       "poll_one returned 1",
                                                       "poll_one returned 0"}));
      });
}

TYPED_TEST_P(Ordering, PollWithNothingReadyReturnsZeroAndKeepsRunning) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto guard = make_work_guard(ctx);
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record("poll_one returned " + std::to_string(ctx.poll_one()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"poll returned 0", "poll_one returned 0",
                                                       "not stopped"}));
      });
}

TYPED_TEST_P(Ordering, RunWithoutWorkReturnsZeroAndStops) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        post(ctx, [&] { rec.record("handler"); });
        rec.record("run while stopped returned " + std::to_string(ctx.run()));
        ctx.restart();
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"run returned 0", "stopped",
                                            "run while stopped returned 0", "not stopped",
                                            "handler", "run returned 1"}));
      });
}

TYPED_TEST_P(Ordering, WorkGuardKeepsContextRunningUntilReset) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto guard = make_work_guard(ctx);
        post(ctx, [&] { rec.record("handler"); });
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record(guard.owns_work() ? "guard owns work" : "guard released");
        guard.reset();
        rec.record(guard.owns_work() ? "guard owns work" : "guard released");
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"handler", "poll returned 1", "not stopped",
                                            "guard owns work", "guard released", "stopped"}));
      });
}

TYPED_TEST_P(Ordering, ExecutorWorkCountingKeepsRunAlive) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto ex = ctx.get_executor();
        ex.on_work_started();
        post(ctx, [&] {
          rec.record("handler");
          post(ctx, [&] {
            rec.record("releases the work");
            ex.on_work_finished();
          });
        });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"handler", "releases the work",
                                                       "run returned 2"}));
      });
}

TYPED_TEST_P(Ordering, StopInsideHandlerThenRestartRunsTheRest) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] {
          rec.record("stopper");
          ctx.stop();
          rec.record(ctx.stopped() ? "stopped inside handler" : "not stopped inside handler");
        });
        post(ctx, [&] { rec.record("second"); });
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("run again returned " + std::to_string(ctx.run()));
        ctx.restart();
        rec.record("run after restart returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"stopper", "stopped inside handler",
                                            "run returned 1", "run again returned 0", "second",
                                            "run after restart returned 1"}));
      });
}

TYPED_TEST_P(Ordering, StopBeforeRunRunsNothing) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] { rec.record("handler"); });
        ctx.stop();
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("poll returned " + std::to_string(ctx.poll()));
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"run returned 0", "poll returned 0",
                                                       "handler", "run returned 1"}));
      });
}

TYPED_TEST_P(Ordering, ExceptionLeavesRunAndRunContinues) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post(ctx, [&] { rec.record("first"); });
        post(ctx, [&] {
          rec.record("thrower");
          throw std::runtime_error("boom");
        });
        post(ctx, [&] { rec.record("after thrower"); });
        try {
          ctx.run();
          rec.record("run returned normally");
        } catch (const std::runtime_error& e) {
          rec.record(std::string("run threw ") + e.what());
        }
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record("run again returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"first", "thrower", "run threw boom", "not stopped",
                                            "after thrower", "run again returned 1"}));
      });
}

TYPED_TEST_P(Ordering, DestructionDestroysQueuedHandlersWithoutInvoking) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        {
          typename B::io_context ctx;
          for (int i = 0; i < 3; ++i)
            post(ctx, [&rec, i, w = destruction_witness(rec, "handler " + std::to_string(i))] {
              rec.record("invoked " + std::to_string(i));
            });
          rec.record("destroying context");
        }
        rec.record("context destroyed");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"destroying context", "destroyed handler 0",
                                                       "destroyed handler 1", "destroyed handler 2",
                                                       "context destroyed"}));
      });
}

TYPED_TEST_P(Ordering, RunningInThisThreadOnlyInsideRun) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx, other;
        auto ex = ctx.get_executor();
        auto other_ex = other.get_executor();
        auto report = [&](const std::string& where) {
          rec.record(where + ": ctx " + (ex.running_in_this_thread() ? "yes" : "no") +
                     ", other " + (other_ex.running_in_this_thread() ? "yes" : "no"));
        };
        report("before run");
        post(ctx, [&] {
          report("in ctx handler");
          post(other, [&] { report("in other handler nested in ctx handler"); });
          other.run();
        });
        ctx.run();
        report("after run");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{
                      "before run: ctx no, other no", "in ctx handler: ctx yes, other no",
                      "in other handler nested in ctx handler: ctx yes, other yes",
                      "after run: ctx no, other no"}));
      });
}

TYPED_TEST_P(Ordering, ExecutorsCompareEqualPerContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx, other;
        rec.record(ctx.get_executor() == ctx.get_executor() ? "same context: equal"
                                                            : "same context: different");
        rec.record(ctx.get_executor() == other.get_executor() ? "other context: equal"
                                                              : "other context: different");
        rec.record(&ctx.get_executor().context() == &ctx ? "context() is ctx"
                                                         : "context() is not ctx");
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"same context: equal",
                                                       "other context: different",
                                                       "context() is ctx"}));
      });
}

TYPED_TEST_P(Ordering, ExecutorMembersPostDispatchDefer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto ex = ctx.get_executor();
        const std::allocator<void> alloc;
        ex.post([&] {
          rec.record("posted");
          ex.dispatch([&] { rec.record("dispatched inline"); }, alloc);
          ex.defer([&] { rec.record("deferred"); }, alloc);
          ex.post([&] { rec.record("posted from handler"); }, alloc);
          rec.record("posted handler ends");
        }, alloc);
        ex.dispatch([&] { rec.record("dispatched from outside"); }, alloc);
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "posted", "dispatched inline", "posted handler ends",
                                 "dispatched from outside", "posted from handler",
                                 "deferred"}));
      });
}

// io_context::post and ::dispatch: deprecated in Asio, still in seed 000 and
// in many existing programs.
TYPED_TEST_P(Ordering, LegacyMemberPostAndDispatch) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        ctx.post([&] {
          rec.record("posted");
          ctx.dispatch([&] { rec.record("dispatched inline"); });
          ctx.post([&] { rec.record("posted from handler"); });
        });
        ctx.dispatch([&] { rec.record("dispatched from outside"); });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"posted", "dispatched inline",
                                                       "dispatched from outside",
                                                       "posted from handler"}));
      });
}

TYPED_TEST_P(Ordering, NestedPollRunsWhatTheOuterHandlerPosted) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for (int hint : {1, -1}) {
          typename B::io_context ctx(hint);
          post(ctx, [&] {
            rec.record("outer");
            post(ctx, [&] { rec.record("posted by outer"); });
            rec.record("nested poll returned " + std::to_string(ctx.poll()));
          });
          rec.record("run returned " + std::to_string(ctx.run()));
        }
      },
      [](const trace& t) {
        const std::vector<std::string> once{"outer", "posted by outer", "nested poll returned 1",
                                            "run returned 1"};
        std::vector<std::string> expected = once;
        expected.insert(expected.end(), once.begin(), once.end());
        EXPECT_EQ(labels(t), expected);
      });
}

TYPED_TEST_P(Ordering, RunForReturnsWhenWorkRunsOut) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        for (int i = 0; i < 3; ++i)
          post(ctx, [&rec, i] { rec.record("handler " + std::to_string(i)); });
        // An hour: only running out of work can make this return in time.
        rec.record("run_for returned " + std::to_string(ctx.run_for(std::chrono::hours(1))));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        auto expected = numbered("handler", 3);
        expected.push_back("run_for returned 3");
        expected.push_back("stopped");
        EXPECT_EQ(labels(t), expected);
      });
}

TYPED_TEST_P(Ordering, RunOneForWithNothingReadyReturnsZero) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto guard = make_work_guard(ctx);
        rec.record("run_one_for returned " +
                   std::to_string(ctx.run_one_for(std::chrono::milliseconds(1))));
        rec.record("run_until (past) returned " +
                   std::to_string(ctx.run_until(std::chrono::steady_clock::now())));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        post(ctx, [&] { rec.record("handler"); });
        rec.record("run_one_for returned " +
                   std::to_string(ctx.run_one_for(std::chrono::hours(1))));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "run_one_for returned 0", "run_until (past) returned 0",
                                 "not stopped", "handler", "run_one_for returned 1"}));
      });
}

// Seed 000, second program: with two run threads, handler 2 runs while
// handler 1 is still running. Handler 1 waits (bounded) for handler 2
// instead of sleeping, so the overlap is proven, not hoped for.
TYPED_TEST_P(Ordering, TwoRunThreadsRunTwoHandlersConcurrently) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::atomic<bool> second_ran{false};
        post(ctx, [&] {
          rec.record("Handler 1 start");
          const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
          while (!second_ran && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
          rec.record("Handler 1 end");
        });
        post(ctx, [&] {
          rec.record("Handler 2");
          second_ran = true;
        });
        std::thread t1([&] { ctx.run(); });
        std::thread t2([&] { ctx.run(); });
        t1.join();
        t2.join();
      },
      [](const trace& t) {
        ASSERT_EQ(t.size(), 3u);
        const std::size_t start = position(t, "Handler 1 start");
        const std::size_t second = position(t, "Handler 2");
        const std::size_t end = position(t, "Handler 1 end");
        EXPECT_LT(start, end);
        EXPECT_LT(second, end) << "handler 2 did not run while handler 1 was running";
        EXPECT_NE(t[start].thread, t[second].thread);
      });
}

REGISTER_TYPED_TEST_SUITE_P(Ordering, PostIsFifo, PostNeverRunsInline, DispatchRunsInlineInsideRun,
                            DispatchOutsideRunIsQueued, DispatchFromAnotherContextsHandlerIsQueued,
                            DeferredContinuationRunsAfterLaterPost,
                            DeferAndPostKeepOrderUnderHintOne, DeferOutsideRunIsQueued,
                            NestedPostsRunAfterWhatWasAlreadyQueued, OneHandlerAtATimeOnOneThread,
                            RunReturnsHandlerCount, RunOneRunsExactlyOne,
                            PollRunsEveryReadyHandlerIncludingNewOnes, PollOneRunsAtMostOne,
                            PollWithNothingReadyReturnsZeroAndKeepsRunning,
                            RunWithoutWorkReturnsZeroAndStops,
                            WorkGuardKeepsContextRunningUntilReset,
                            ExecutorWorkCountingKeepsRunAlive,
                            StopInsideHandlerThenRestartRunsTheRest, StopBeforeRunRunsNothing,
                            ExceptionLeavesRunAndRunContinues,
                            DestructionDestroysQueuedHandlersWithoutInvoking,
                            RunningInThisThreadOnlyInsideRun, ExecutorsCompareEqualPerContext,
                            ExecutorMembersPostDispatchDefer, LegacyMemberPostAndDispatch,
                            NestedPollRunsWhatTheOuterHandlerPosted, RunForReturnsWhenWorkRunsOut,
                            RunOneForWithNothingReadyReturnsZero,
                            TwoRunThreadsRunTwoHandlersConcurrently);

}  // namespace conformance::ordering
