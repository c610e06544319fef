// Strand scenarios: io_context::strand (deprecated in Asio, still common) —
// its post, dispatch, running_in_this_thread and wrap — and bind_executor
// with either kind of strand handed to a plain post.
#pragma once

#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/strand/suite.hpp"

namespace conformance::strand {

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
