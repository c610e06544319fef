// Ordering scenarios: the run loop — what run, run_one, poll, poll_one,
// run_for, run_one_for and run_until run and return, and when they leave
// the context stopped (out of work) or not; outstanding work (a work guard,
// the executor's work count) keeps run() going; stop() ends it and only
// restart() lets it run again; an exception leaves run() and the next run()
// carries on; destroying the context destroys what is queued uninvoked.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/ordering/suite.hpp"

namespace conformance::ordering {

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
      expect_labels(ElementsAre("run returned 5", "stopped")));
}

TYPED_TEST_P(Ordering, RunOneRunsExactlyOne) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post_numbered(ctx, rec, "handler", 0, 3);
        for (int i = 0; i < 4; ++i) rec.record("run_one returned " + std::to_string(ctx.run_one()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      expect_labels(ElementsAre("handler 0", "run_one returned 1", "handler 1",
                                "run_one returned 1", "handler 2", "run_one returned 1",
                                "run_one returned 0", "stopped")));
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
      expect_labels(
          ElementsAre("first", "second", "posted by first", "poll returned 3", "stopped")));
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
      expect_labels(ElementsAre("first", "poll_one returned 1", "second", "poll_one returned 1",
                                "poll_one returned 0")));
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
      expect_labels(ElementsAre("poll returned 0", "poll_one returned 0", "not stopped")));
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
      expect_labels(ElementsAre("run returned 0", "stopped", "run while stopped returned 0",
                                "not stopped", "handler", "run returned 1")));
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
      expect_labels(ElementsAreArray(
          repeated({"outer", "posted by outer", "nested poll returned 1", "run returned 1"}, 2))));
}

TYPED_TEST_P(Ordering, RunForReturnsWhenWorkRunsOut) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post_numbered(ctx, rec, "handler", 0, 3);
        // An hour: only running out of work can make this return in time.
        rec.record("run_for returned " + std::to_string(ctx.run_for(std::chrono::hours(1))));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      expect_labels(
          ElementsAre("handler 0", "handler 1", "handler 2", "run_for returned 3", "stopped")));
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
      expect_labels(ElementsAre("run_one_for returned 0", "run_until (past) returned 0",
                                "not stopped", "handler", "run_one_for returned 1")));
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
      expect_labels(ElementsAre("handler", "poll returned 1", "not stopped", "guard owns work",
                                "guard released", "stopped")));
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
      expect_labels(ElementsAre("handler", "releases the work", "run returned 2")));
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
      expect_labels(ElementsAre("stopper", "stopped inside handler", "run returned 1",
                                "run again returned 0", "second", "run after restart returned 1")));
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
      expect_labels(ElementsAre("run returned 0", "poll returned 0", "handler", "run returned 1")));
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
        record_run_or_throw(rec, ctx);
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record("run again returned " + std::to_string(ctx.run()));
      },
      expect_labels(ElementsAre("first", "thrower", "run threw boom", "not stopped",
                                "after thrower", "run again returned 1")));
}

// Under concurrency hint 1 (one run thread, handlers run in batches), a
// handler that throws leaves run() with the exception having used up its
// own unit of work and no other: what it posted before throwing and what
// was queued behind it run in the next run(), which then returns.
TYPED_TEST_P(Ordering, ExceptionUnderHintOneLeavesTheWorkCountExact) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx(1);
        post(ctx, [&] {
          rec.record("thrower");
          post(ctx, [&] { rec.record("posted by the thrower"); });
          throw std::runtime_error("boom");
        });
        post(ctx, [&] { rec.record("queued behind"); });
        record_run_or_throw(rec, ctx);
        rec.record("run again returned " + std::to_string(ctx.run()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      expect_labels(ElementsAre("thrower", "run threw boom", "queued behind",
                                "posted by the thrower", "run again returned 2", "stopped")));
}

// Under hint 1, stop() from a handler leaves the queue as one-at-a-time
// running would: the handlers queued behind the stopper first, then what
// another thread posted meanwhile, then the stopper's own posts.
TYPED_TEST_P(Ordering, StopUnderHintOneKeepsTheQueueOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx(1);
        post(ctx, [&] {
          rec.record("stopper");
          std::thread([&] { post(ctx, [&] { rec.record("posted by another thread"); }); }).join();
          post(ctx, [&] { rec.record("posted by the stopper"); });
          ctx.stop();
        });
        post(ctx, [&] { rec.record("queued behind the stopper"); });
        rec.record("run returned " + std::to_string(ctx.run()));
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_labels(ElementsAre("stopper", "run returned 1", "queued behind the stopper",
                                "posted by another thread", "posted by the stopper",
                                "run returned 3")));
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
      expect_labels(ElementsAre("destroying context", "destroyed handler 0", "destroyed handler 1",
                                "destroyed handler 2", "context destroyed")));
}

}  // namespace conformance::ordering
