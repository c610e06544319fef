// Strand scenarios: post, dispatch and running_in_this_thread, on the new
// strand and on io_context::strand (deprecated in Asio, still common) —
// posts from one thread run FIFO; dispatch runs inline inside the strand,
// and from a run thread while the strand is free, but queues from outside
// run() and while the strand is busy on another thread; nested
// dispatch/post/defer chains; which strand a thread is in; strand
// executors' identity; the legacy strand's wrap; bind_executor with either
// kind of strand handed to a plain post.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/strand/suite.hpp"

namespace conformance::strand {

TYPED_TEST_P(Strand, PostFromOneThreadIsFifo) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        for (int i = 0; i < 5; ++i)
          post(strand, [&, i] {
            rec.record("handler " + std::to_string(i));
            // Posted while the strand is busy: queued behind 0..4.
            post(strand, [&, i] { rec.record("handler " + std::to_string(i + 5)); });
          });
        ctx.run();
      },
      expect_labels(ElementsAreArray(numbered("handler", 10))));
}

TYPED_TEST_P(Strand, DispatchInsideStrandRunsInline) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        post(strand, [&] {
          rec.record("outer begins");
          dispatch(strand, [&] { rec.record("dispatched"); });
          rec.record("outer ends");
        });
        ctx.run();
      },
      expect_labels(ElementsAre("outer begins", "dispatched", "outer ends")));
}

// Inside a plain handler (a run thread, not in the strand) a dispatch to a
// free strand takes the strand and runs inline, in the strand.
TYPED_TEST_P(Strand, DispatchFromPlainHandlerWhileStrandFreeRunsInline) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        post(ctx, [&] {
          rec.record("plain begins, in strand " + yes_no(strand.running_in_this_thread()));
          dispatch(strand, [&] {
            rec.record("dispatched, in strand " + yes_no(strand.running_in_this_thread()));
          });
          rec.record("plain ends, in strand " + yes_no(strand.running_in_this_thread()));
        });
        ctx.run();
      },
      expect_labels(ElementsAre("plain begins, in strand no", "dispatched, in strand yes",
                                "plain ends, in strand no")));
}

TYPED_TEST_P(Strand, DispatchOutsideRunIsQueued) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        dispatch(strand, [&] { rec.record("dispatched"); });
        rec.record("main after dispatch");
        ctx.run();
      },
      expect_labels(ElementsAre("main after dispatch", "dispatched")));
}

// On a run thread but outside the strand, a dispatch to a strand that has
// a handler queued (not running) is queued behind it — through the free
// dispatch() and through the strand's own dispatch member alike: being a
// run thread of the inner executor is not being inside the strand.
TYPED_TEST_P(Strand, DispatchBehindAQueuedHandlerIsQueued) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        post(ctx, [&] {
          post(strand, [&] { rec.record("queued first"); });
          dispatch(strand, [&] { rec.record("free dispatch"); });
          strand.dispatch([&] { rec.record("member dispatch"); }, std::allocator<void>());
          rec.record("plain handler ends");
        });
        ctx.run();
      },
      expect_labels(
          ElementsAre("plain handler ends", "queued first", "free dispatch", "member dispatch")));
}

// Two run threads: while a strand handler runs on one, a plain handler on
// the other dispatches to the strand. The strand is taken, so the dispatch
// queues, and the handler runs only after the busy one has finished.
TYPED_TEST_P(Strand, DispatchWhileStrandBusyElsewhereIsQueued) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        std::atomic<bool> strand_busy{false}, plain_done{false};
        post(strand, [&] {
          rec.record("strand handler begins");
          strand_busy = true;
          rec.record(wait_until(plain_done) ? "strand handler ends" : "strand handler timed out");
        });
        post(ctx, [&] {
          if (!wait_until(strand_busy)) rec.record("plain handler timed out");
          dispatch(strand, [&] { rec.record("dispatched"); });
          rec.record("plain handler after dispatch");
          plain_done = true;
        });
        run_threads(ctx, 2, rec).join();
      },
      [](const trace& t) {
        ASSERT_EQ(t.size(), 6u) << format(t);  // with "runner i started"
        const std::size_t begins = position(t, "strand handler begins");
        const std::size_t after = position(t, "plain handler after dispatch");
        const std::size_t ends = position(t, "strand handler ends");
        const std::size_t dispatched = position(t, "dispatched");
        EXPECT_LT(begins, after);
        EXPECT_LT(after, ends);
        EXPECT_LT(ends, dispatched) << "the dispatched handler overlapped the strand";
        EXPECT_NE(t[begins].thread, t[after].thread);
      });
}

// Inside the strand, dispatch runs inline at any depth while post and defer
// queue behind what the strand already holds (here B) — and the whole queue
// runs only after a plain handler posted meanwhile, since the strand's next
// batch is queued behind it.
TYPED_TEST_P(Strand, NestedDispatchAndPostChains) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        post(strand, [&] {
          rec.record("A");
          post(strand, [&] {
            rec.record("A.post");
            dispatch(strand, [&] { rec.record("A.post.dispatch"); });
            rec.record("A.post ends");
          });
          dispatch(strand, [&] {
            rec.record("A.dispatch");
            post(strand, [&] { rec.record("A.dispatch.post"); });
            dispatch(strand, [&] { rec.record("A.dispatch.dispatch"); });
            rec.record("A.dispatch ends");
          });
          defer(strand, [&] { rec.record("A.defer"); });
          rec.record("A ends");
        });
        post(strand, [&] { rec.record("B"); });
        post(ctx, [&] { rec.record("plain"); });
        ctx.run();
      },
      expect_labels(ElementsAre("A", "A.dispatch", "A.dispatch.dispatch", "A.dispatch ends",
                                "A ends", "plain", "B", "A.post", "A.post.dispatch", "A.post ends",
                                "A.dispatch.post", "A.defer")));
}

// running_in_this_thread: true only inside the strand (or a copy of it),
// false for another strand. A dispatch from inside s1 to a free s2 runs
// inline, inside both; once s2 has work queued, a dispatch to it from s1 is
// queued too and later runs in s2 alone, after s2's earlier handler.
TYPED_TEST_P(Strand, RunningInThisThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s1 = make_strand(ctx);
        auto s2 = make_strand(ctx);
        auto report = [&](const std::string& where) {
          rec.record(where + ": s1 " + yes_no(s1.running_in_this_thread()) + ", s2 " +
                     yes_no(s2.running_in_this_thread()));
        };
        report("before run");
        post(s1, [&] {
          report("in s1");
          dispatch(s2, [&] { report("dispatched to free s2 from s1"); });
          post(s2, [&] { report("in s2"); });
          dispatch(s2, [&] { report("dispatched to busy s2 from s1"); });
        });
        post(ctx, [&] { report("in plain handler"); });
        auto copy = s1;
        post(copy, [&] { report("in a copy of s1"); });
        ctx.run();
        report("after run");
      },
      expect_labels(ElementsAre(
          "before run: s1 no, s2 no", "in s1: s1 yes, s2 no",
          "dispatched to free s2 from s1: s1 yes, s2 yes", "in plain handler: s1 no, s2 no",
          "in s2: s1 no, s2 yes", "in a copy of s1: s1 yes, s2 no",
          "dispatched to busy s2 from s1: s1 no, s2 yes", "after run: s1 no, s2 no")));
}

TYPED_TEST_P(Strand, ExecutorIdentity) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        using strand_type = typename B::template strand<typename B::io_context::executor_type>;
        strand_type s1(ctx.get_executor());
        strand_type s2 = make_strand(ctx);
        const strand_type copy = s1;
        rec.record(std::string("copy: ") + (s1 == copy ? "equal" : "different"));
        rec.record(std::string("other strand: ") + (s1 == s2 ? "equal" : "different"));
        rec.record(std::string("inner executor is ctx's: ") +
                   yes_no(s1.get_inner_executor() == ctx.get_executor()));
        rec.record("context() is ctx: " + yes_no(&s1.context() == &ctx));
      },
      expect_labels(ElementsAre("copy: equal", "other strand: different",
                                "inner executor is ctx's: yes", "context() is ctx: yes")));
}

// io_context::strand (deprecated in Asio, still common): post, dispatch and
// running_in_this_thread. A dispatch from outside run queues behind the
// strand's pending post; the strand's next batch (that handler and what the
// first batch posted) is re-queued behind the plain handler, whose own
// dispatch finds the strand taken and queues too. Once the strand is free
// (second run), a dispatch from a plain handler runs inline.
TYPED_TEST_P(Strand, LegacyStrandPostDispatchRunningInThisThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::io_context::strand strand(ctx);
        auto report = [&](const std::string& where) {
          rec.record(where + ", in strand " + yes_no(strand.running_in_this_thread()));
        };
        report("before run");
        strand.post([&] {
          report("posted");
          strand.dispatch([&] { report("dispatched inline"); });
          strand.post([&] { report("posted from strand"); });
          report("posted handler ends");
        });
        strand.dispatch([&] { report("dispatched from outside"); });
        report("main after dispatch");
        post(ctx, [&] {
          report("plain handler");
          strand.dispatch([&] { report("dispatched from plain handler"); });
          report("plain handler ends");
        });
        ctx.run();
        report("after run");
        ctx.restart();
        post(ctx, [&] {
          report("second plain handler");
          strand.dispatch([&] { report("dispatched to free strand"); });
          report("second plain handler ends");
        });
        ctx.run();
      },
      expect_labels(ElementsAre(
          "before run, in strand no", "main after dispatch, in strand no", "posted, in strand yes",
          "dispatched inline, in strand yes", "posted handler ends, in strand yes",
          "plain handler, in strand no", "plain handler ends, in strand no",
          "dispatched from outside, in strand yes", "posted from strand, in strand yes",
          "dispatched from plain handler, in strand yes", "after run, in strand no",
          "second plain handler, in strand no", "dispatched to free strand, in strand yes",
          "second plain handler ends, in strand no")));
}

// io_context::strand::wrap: calling the wrapper dispatches the handler (with
// its arguments) to the strand. Surprising but Asio's: a wrapper posted to
// the context first runs *after* a wrapper called later from main — main's
// call (outside run, so queued) took the strand, and when the posted wrapper
// comes up the strand is busy, so it queues behind it. Once the strand is
// free, calling the wrapper from a plain handler runs it inline.
TYPED_TEST_P(Strand, LegacyStrandWrap) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::io_context::strand strand(ctx);
        auto with_arg = strand.wrap([&](int x) {
          rec.record("wrapped got " + std::to_string(x) + ", in strand " +
                     yes_no(strand.running_in_this_thread()));
        });
        post(ctx, strand.wrap([&] {
          rec.record("posted wrapper, in strand " + yes_no(strand.running_in_this_thread()));
        }));
        with_arg(7);
        rec.record("main after calling the wrapper");
        ctx.run();
        ctx.restart();
        post(ctx, [&, with_arg]() mutable {
          rec.record("plain begins");
          with_arg(42);
          rec.record("plain ends");
        });
        ctx.run();
      },
      expect_labels(ElementsAre("main after calling the wrapper", "wrapped got 7, in strand yes",
                                "posted wrapper, in strand yes", "plain begins",
                                "wrapped got 42, in strand yes", "plain ends")));
}

// A handler bound to a strand (new or legacy) with bind_executor runs in the
// strand even when it is handed to a plain post(ctx, ...).
TYPED_TEST_P(Strand, BindExecutorRunsInStrandThroughPlainPost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        typename B::io_context::strand legacy(ctx);
        auto report = [&](const std::string& what) {
          rec.record(what + ": strand " + yes_no(strand.running_in_this_thread()) + ", legacy " +
                     yes_no(legacy.running_in_this_thread()));
        };
        post(ctx, bind_executor(strand, [&] { report("bound to strand"); }));
        post(ctx, bind_executor(legacy, [&] { report("bound to legacy strand"); }));
        post(ctx, [&] { report("unbound"); });
        ctx.run();
      },
      expect_labels(ElementsAre("bound to strand: strand yes, legacy no",
                                "bound to legacy strand: strand no, legacy yes",
                                "unbound: strand no, legacy no")));
}

}  // namespace conformance::strand
