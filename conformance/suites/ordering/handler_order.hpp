// Ordering scenarios: where a handler goes and on which thread it runs —
// post never runs it inline and queues it FIFO behind what is already
// queued; dispatch runs it inline only inside run() on its own context;
// defer keeps a continuation on the running thread's private queue until
// the handler returns (unless the concurrency hint is 1) — through the free
// functions, the executor's members and the deprecated io_context members.
// One run thread runs one handler at a time, two run two at once; an
// executor is "running in this thread" only inside its context's run(), and
// executors compare equal exactly when they share a context.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/ordering/suite.hpp"

namespace conformance::ordering {

TYPED_TEST_P(Ordering, PostIsFifo) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        post_numbered(ctx, rec, "handler", 0, 10);
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_labels(ElementsAreArray(joined({numbered("handler", 10), {"run returned 10"}}))));
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
      expect_labels(ElementsAre("main after post", "outer", "outer after post", "inner")));
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
      expect_labels(ElementsAre("outer begins", "dispatched", "outer ends")));
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
      expect_labels(ElementsAre("main after dispatch", "dispatched")));
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
      expect_labels(ElementsAre("other's handler after dispatch", "dispatched")));
}

// On a context made with `hint` (none: the default), one handler that
// defers a handler, then posts another.
template <typename B, typename... ConcurrencyHint>
void defer_then_post(recorder& rec, ConcurrencyHint... hint) {
  typename B::io_context ctx(hint...);
  post(ctx, [&] {
    defer(ctx, [&] { rec.record("deferred"); });
    post(ctx, [&] { rec.record("posted"); });
  });
  ctx.run();
}

// Asio queues a continuation (defer) on the running thread's private queue,
// flushed after the handler returns, but a post straight on the shared queue:
// with the default hint, "defer a; post b" runs b first.
TYPED_TEST_P(Ordering, DeferredContinuationRunsAfterLaterPost) {
  verify<TypeParam>(
      determinism::deterministic, []<class B>(recorder& rec) { defer_then_post<B>(rec); },
      expect_labels(ElementsAre("posted", "deferred")));
}

// With concurrency hint 1 every post from the run thread is private too, so
// defer and post keep program order.
TYPED_TEST_P(Ordering, DeferAndPostKeepOrderUnderHintOne) {
  verify<TypeParam>(
      determinism::deterministic, []<class B>(recorder& rec) { defer_then_post<B>(rec, 1); },
      expect_labels(ElementsAre("deferred", "posted")));
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
      expect_labels(ElementsAre("main after defer", "deferred", "posted")));
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
      expect_labels(ElementsAre("A", "B", "A1", "A2", "B1", "A1a")));
}

TYPED_TEST_P(Ordering, ExecutorMembersPostDispatchDefer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto ex = ctx.get_executor();
        const std::allocator<void> alloc;
        ex.post(
            [&] {
              rec.record("posted");
              ex.dispatch([&] { rec.record("dispatched inline"); }, alloc);
              ex.defer([&] { rec.record("deferred"); }, alloc);
              ex.post([&] { rec.record("posted from handler"); }, alloc);
              rec.record("posted handler ends");
            },
            alloc);
        ex.dispatch([&] { rec.record("dispatched from outside"); }, alloc);
        ctx.run();
      },
      expect_labels(ElementsAre("posted", "dispatched inline", "posted handler ends",
                                "dispatched from outside", "posted from handler", "deferred")));
}

// io_context::post and ::dispatch: deprecated in Asio, still in many
// existing programs.
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
      expect_labels(ElementsAre("posted", "dispatched inline", "dispatched from outside",
                                "posted from handler")));
}

// One run thread runs one handler at a time: a long handler ends before the
// next one starts.
TYPED_TEST_P(Ordering, OneHandlerAtATimeOnOneThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        overlap_meter meter;
        auto handler = [&](std::string name, bool long_running) {
          return [&, name, long_running] {
            meter.enter();
            rec.record(name + (long_running ? " start" : ""));
            if (long_running) {
              // Long enough for a second thread to interfere, if there were one.
              for (int i = 0; i < 1000; ++i) std::this_thread::yield();
              rec.record(name + " end");
            }
            meter.leave();
          };
        };
        post(ctx, handler("Handler 1", true));
        post(ctx, handler("Handler 2", false));
        ctx.run();
        rec.record("most handlers in flight: " + std::to_string(meter.most()));
      },
      expect_labels(ElementsAre("Handler 1 start", "Handler 1 end", "Handler 2",
                                "most handlers in flight: 1")));
}

// With two run threads, handler 2 runs while handler 1 is still running. Handler 1 waits (bounded)
// for handler 2 instead of sleeping, so the overlap is proven, not hoped for.
TYPED_TEST_P(Ordering, TwoRunThreadsRunTwoHandlersConcurrently) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        std::atomic<bool> second_ran{false};
        post(ctx, [&] {
          rec.record("Handler 1 start");
          wait_until(second_ran);
          rec.record("Handler 1 end");
        });
        post(ctx, [&] {
          rec.record("Handler 2");
          second_ran = true;
        });
        run_threads(ctx, 2, rec).join();
      },
      [](const trace& t) {
        ASSERT_EQ(t.size(), 5u) << format(t);  // with "runner i started"
        const std::size_t start = position(t, "Handler 1 start");
        const std::size_t second = position(t, "Handler 2");
        const std::size_t end = position(t, "Handler 1 end");
        EXPECT_LT(start, end);
        EXPECT_LT(second, end) << "handler 2 did not run while handler 1 was running";
        EXPECT_NE(t[start].thread, t[second].thread);
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
          rec.record(where + ": ctx " + (ex.running_in_this_thread() ? "yes" : "no") + ", other " +
                     (other_ex.running_in_this_thread() ? "yes" : "no"));
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
      expect_labels(ElementsAre("before run: ctx no, other no", "in ctx handler: ctx yes, other no",
                                "in other handler nested in ctx handler: ctx yes, other yes",
                                "after run: ctx no, other no")));
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
      expect_labels(
          ElementsAre("same context: equal", "other context: different", "context() is ctx")));
}

}  // namespace conformance::ordering
