// Ordering scenarios: where post, dispatch and defer put a handler — post
// never runs it inline and queues it FIFO behind what is already queued;
// dispatch runs it inline only inside run() on its own context; defer keeps
// a continuation on the running thread's private queue until the handler
// returns (unless the concurrency hint is 1) — through the free functions,
// the executor's members and the deprecated io_context members.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/ordering/suite.hpp"

namespace conformance::ordering {

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
        EXPECT_THAT(labels(t), ElementsAreArray(expected));
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

// One handler that defers a handler, then posts another.
template <typename B>
void defer_then_post(typename B::io_context& ctx, recorder& rec) {
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
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        defer_then_post<B>(ctx, rec);
      },
      expect_labels(ElementsAre("posted", "deferred")));
}

// With concurrency hint 1 every post from the run thread is private too, so
// defer and post keep program order.
TYPED_TEST_P(Ordering, DeferAndPostKeepOrderUnderHintOne) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx(1);
        defer_then_post<B>(ctx, rec);
      },
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

}  // namespace conformance::ordering
