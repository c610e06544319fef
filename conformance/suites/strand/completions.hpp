// Strand scenarios: I/O and timer completions whose handlers belong to a
// strand — the work a strand-bound handler holds while its operation is
// pending, and an operation started inside a legacy strand with a wrapped
// handler, whose completion continues the strand's handler.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/strand/suite.hpp"

namespace conformance::strand {

// With concurrency hint 1 a handler's posts are counted privately until it
// returns, so a poll() nested in it can bring the shared work count to zero
// and stop the context although a timer wait is still pending — Asio's
// quirk, for a plain wait handler. A wait whose handler is bound to a strand
// holds one more unit on the strand's executor while it is pending (Asio's
// handler_work): there the nested poll leaves the context running.
TYPED_TEST_P(Strand, StrandBoundWaitHoldsWorkThroughANestedPoll) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx(1);
        auto s0 = make_strand(ctx);
        auto s1 = make_strand(ctx);
        typename B::steady_timer timer(ctx);
        for (const bool bound : {false, true}) {
          const std::string wait = bound ? "strand-bound wait" : "plain wait";
          ctx.restart();
          post(ctx, [&] {
            timer.expires_after(std::chrono::hours(1));
            if (bound)
              timer.async_wait(bind_executor(s0, recording(rec, wait)));
            else
              timer.async_wait(recording(rec, wait));
            post(s1, bind_executor(s1, [] {}));
            post(ctx, bind_executor(s0, [] {}));
            const std::size_t n = ctx.poll();
            rec.record("poll nested beside the " + wait + " ran " + std::to_string(n) +
                       ", stopped " + yes_no(ctx.stopped()));
            timer.cancel();
          });
          ctx.run();
          rec.record("run returned");
          ctx.restart();
          ctx.run();
        }
      },
      [](const trace& t, std::string_view backend) {
        if (backend == "asio_uring")
          // On io_uring the nested poll runs one handler more, and the
          // strand-bound wait does not keep the context running either.
          EXPECT_THAT(outcomes(t),
                      ElementsAre("poll nested beside the plain wait ran 3, stopped yes",
                                  "run returned", "plain wait [ECANCELED]",
                                  "poll nested beside the strand-bound wait ran 3, stopped yes",
                                  "run returned", "strand-bound wait [ECANCELED]"));
        else
          EXPECT_THAT(outcomes(t),
                      ElementsAre("poll nested beside the plain wait ran 2, stopped yes",
                                  "run returned", "plain wait [ECANCELED]",
                                  "poll nested beside the strand-bound wait ran 2, stopped no",
                                  "strand-bound wait [ECANCELED]", "run returned"));
      });
}

// An operation started inside a legacy strand's handler, with a handler
// wrapped by that strand, is a continuation of that handler
// (strand::wrap's is_continuation_if_running): its completion runs only
// after the strand's handler has returned and after the handler's own
// deferred one — not in a poll() nested in the strand's handler (which runs
// one handler of the strand's own in both Asio and twin).
TYPED_TEST_P(Strand, WrappedCompletionContinuesTheLegacyStrandsHandler) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::io_context::strand legacy(ctx);
        auto p = loopback::connected_pair<B>(ctx);
        const std::string byte = "x";
        post(ctx, legacy.wrap([&] {
          defer(ctx, [&] { rec.record("deferred"); });
          p.client.async_write_some(B::buffer(byte), legacy.wrap(recording(rec, "write")));
          rec.record("nested poll ran " + std::to_string(ctx.poll()));
          rec.record("strand handler ends");
        }));
        ctx.run();
      },
      [](const trace& t, std::string_view backend) {
        if (backend == "asio_uring")
          // On io_uring the write completes inside the nested poll: its
          // completion comes from the ring, not the thread's private queue.
          EXPECT_THAT(outcomes(t), ElementsAre("write 1B", "nested poll ran 2",
                                               "strand handler ends", "deferred"));
        else
          EXPECT_THAT(outcomes(t), ElementsAre("nested poll ran 1", "strand handler ends",
                                               "deferred", "write 1B"));
      });
}

}  // namespace conformance::strand
