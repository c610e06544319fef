// Ordering scenarios: the run/poll family — what run, run_one, poll,
// poll_one, run_for, run_one_for and run_until run, what they return, and
// when they leave the context stopped (out of work) or not (a work guard,
// a nested poll).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
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
        for (int i = 0; i < 3; ++i)
          post(ctx, [&rec, i] { rec.record("handler " + std::to_string(i)); });
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
      [](const trace& t) {
        EXPECT_THAT(
            labels(t),
            ElementsAreArray(repeated(
                {"outer", "posted by outer", "nested poll returned 1", "run returned 1"}, 2)));
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

}  // namespace conformance::ordering
