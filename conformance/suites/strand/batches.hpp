// Strand scenarios: how a strand's batches share the io_context's queue —
// plain handlers are not starved by a long strand queue and take turns with
// a self-posting strand; run_one runs one batch; strand post/defer/dispatch
// interleave with plain posts in Asio's order; an exception leaves run() and
// the rest of the batch runs on the next run(); destroying the context
// destroys queued strand handlers without invoking them.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/strand/suite.hpp"

namespace conformance::strand {

// 1000 handlers queued on a strand, then a plain post: the plain handler
// does not wait for the whole strand queue. Asio's first invoker runs only
// handler 0 (the rest arrived after it was queued), then re-posts itself
// behind the plain handler, and that second batch runs handlers 1..999.
TYPED_TEST_P(Strand, PlainHandlerIsNotStarvedByQueuedStrandWork) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int handlers = 1000;
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        int ran = 0;
        for (int i = 0; i < handlers; ++i) post(strand, [&] { ++ran; });
        post(ctx, [&] {
          rec.record("plain after " + std::to_string(ran) + " strand handlers");
          post(ctx, [&] {
            rec.record("second plain after " + std::to_string(ran) + " strand handlers");
          });
        });
        ctx.run();
        rec.record("strand handlers run: " + std::to_string(ran));
      },
      expect_labels(ElementsAre("plain after 1 strand handlers",
                                "second plain after 1000 strand handlers",
                                "strand handlers run: 1000")));
}

// A strand that keeps feeding itself (each handler posts the next) and a
// chain of plain handlers that does the same take turns on one thread.
TYPED_TEST_P(Strand, SelfPostingStrandTakesTurnsWithPlainHandlers) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        std::function<void(int)> strand_step = [&](int i) {
          rec.record("strand " + std::to_string(i));
          if (i < 4) post(strand, [&, i] { strand_step(i + 1); });
        };
        std::function<void(int)> plain_step = [&](int i) {
          rec.record("plain " + std::to_string(i));
          if (i < 4) post(ctx, [&, i] { plain_step(i + 1); });
        };
        post(strand, [&] { strand_step(0); });
        post(ctx, [&] { plain_step(0); });
        ctx.run();
      },
      expect_labels(ElementsAre("strand 0", "plain 0", "strand 1", "plain 1", "strand 2", "plain 2",
                                "strand 3", "plain 3", "strand 4", "plain 4")));
}

// One invoker runs a whole batch, and run_one / run count it as one
// handler: three strand posts before run take two run_one calls (handler 0
// alone, then 1 and 2 together).
TYPED_TEST_P(Strand, RunOneRunsOneStrandBatch) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        post_numbered(strand, rec, "handler", 0, 3);
        for (int i = 0; i < 3; ++i) rec.record("run_one returned " + std::to_string(ctx.run_one()));
        ctx.restart();
        post_numbered(strand, rec, "handler", 3, 10);
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_labels(ElementsAre("handler 0", "run_one returned 1", "handler 1", "handler 2",
                                "run_one returned 1", "run_one returned 0", "handler 3",
                                "handler 4", "handler 5", "handler 6", "handler 7", "handler 8",
                                "handler 9", "run returned 2")));
}

// One run thread, three strands: post, defer and dispatch through a strand,
// from inside a plain handler, interleaved with plain posts and a plain
// defer. Dispatch to a free strand runs inline; post goes to the shared
// queue in program order; defer (strand or plain) is a continuation, kept on
// the thread's private queue until the handler returns, so it runs after
// every post the handler made. Then each strand gets a second handler while
// its first is queued: the second runs in the strand's next batch, behind
// the plain posts made meanwhile (s2's first batch, deferred, runs after the
// plain post).
TYPED_TEST_P(Strand, PostDeferDispatchInterleaveWithPlainPosts) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s1 = make_strand(ctx);
        auto s2 = make_strand(ctx);
        auto s3 = make_strand(ctx);
        auto note = [&](std::string label) { return [&rec, label] { rec.record(label); }; };
        post(ctx, [&] {
          rec.record("round 1");
          post(s1, note("s1 post"));
          post(ctx, note("plain post 1"));
          defer(s2, note("s2 defer"));
          post(ctx, note("plain post 2"));
          dispatch(s3, note("s3 dispatch"));
          post(ctx, note("plain post 3"));
          defer(ctx, note("plain defer"));
          post(ctx, note("plain post 4"));
        });
        ctx.run();
        ctx.restart();
        post(ctx, [&] {
          rec.record("round 2");
          post(s1, [&] {
            rec.record("s1 first");
            post(ctx, note("plain from s1"));
          });
          defer(s2, [&] {
            rec.record("s2 first");
            post(ctx, note("plain from s2"));
          });
          post(s1, note("s1 second"));
          defer(s2, note("s2 second"));
          post(ctx, note("plain post"));
        });
        ctx.run();
      },
      expect_labels(ElementsAre("round 1", "s3 dispatch", "s1 post", "plain post 1", "plain post 2",
                                "plain post 3", "plain post 4", "s2 defer", "plain defer",
                                "round 2", "s1 first", "plain post", "s2 first", "plain from s1",
                                "s1 second", "plain from s2", "s2 second")));
}

// An exception from a strand handler leaves run() (the thread is no longer
// in the strand); Asio re-queues the rest of the batch as the invoker
// unwinds, so the remaining handlers run, in order, when run() is called
// again (no restart needed: the context is not stopped); later posts still
// run.
TYPED_TEST_P(Strand, ExceptionLeavesRunAndStrandKeepsWorking) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        post(strand, [&] { rec.record("s0"); });
        post(strand, [&] {
          rec.record("s1 throws");
          throw std::runtime_error("boom");
        });
        post(strand, [&] { rec.record("s2"); });
        post(strand, [&] { rec.record("s3"); });
        record_run_or_throw(rec, ctx);
        rec.record("in strand after the throw: " + yes_no(strand.running_in_this_thread()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        ctx.run();
        rec.record("run again returned");
        post(strand, [&] { rec.record("s4"); });
        ctx.restart();
        ctx.run();
      },
      expect_labels(ElementsAre("s0", "s1 throws", "run threw boom",
                                "in strand after the throw: no", "not stopped", "s2", "s3",
                                "run again returned", "s4")));
}

// Handlers queued on a strand outlive the strand object: destroying the
// io_context destroys them without invoking any. The properties leave the
// order open; the oracle fixes it: Asio's strand service shuts down before
// the scheduler and frees the strand's waiting queue (1, 2) before its
// ready queue (0), then the scheduler frees the plain handler.
TYPED_TEST_P(Strand, DestroyingStrandThenContextDestroysQueuedHandlers) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        {
          typename B::io_context ctx;
          {
            auto strand = make_strand(ctx);
            for (int i = 0; i < 3; ++i)
              post(strand,
                   [&rec, i, w = destruction_witness(rec, "strand handler " + std::to_string(i))] {
                     rec.record("invoked " + std::to_string(i));
                   });
            rec.record("destroying strand");
          }
          post(ctx, [&rec, w = destruction_witness(rec, "plain handler")] {
            rec.record("invoked plain handler");
          });
          rec.record("destroying context");
        }
        rec.record("context destroyed");
      },
      [](const trace& t) {
        const std::vector<std::string> events = labels(t);
        using ::testing::_;
        ASSERT_THAT(events, ElementsAre("destroying strand", "destroying context", _, _, _, _,
                                        "context destroyed"));
        EXPECT_THAT(std::vector(events.begin() + 2, events.end() - 1),
                    UnorderedElementsAre("destroyed strand handler 0", "destroyed strand handler 1",
                                         "destroyed strand handler 2", "destroyed plain handler"));
      });
}

}  // namespace conformance::strand
