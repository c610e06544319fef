// Ordering scenarios: how a context's life goes on around its handlers —
// outstanding work (a work guard, the executor's work count) keeps run()
// going; stop() ends it, and only restart() lets it run again; an exception
// leaves run() and the next run() carries on where it stopped; destroying
// the context destroys what is queued without invoking it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/ordering/suite.hpp"

namespace conformance::ordering {

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
        try {
          ctx.run();
          rec.record("run returned normally");
        } catch (const std::runtime_error& e) {
          rec.record(std::string("run threw ") + e.what());
        }
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record("run again returned " + std::to_string(ctx.run()));
      },
      expect_labels(ElementsAre("first", "thrower", "run threw boom", "not stopped",
                                "after thrower", "run again returned 1")));
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
