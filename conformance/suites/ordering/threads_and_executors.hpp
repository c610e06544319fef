// Ordering scenarios: threads and executors — one run thread runs one
// handler at a time, two run threads run two at once; an executor is
// "running in this thread" only inside its context's run(); executors
// compare equal exactly when they share a context.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/ordering/suite.hpp"

namespace conformance::ordering {

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
