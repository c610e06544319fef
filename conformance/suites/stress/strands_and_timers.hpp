// Stress scenarios: a strand fed by 8 foreign producers and run by 4
// threads, and timers re-armed and cancelled from foreign threads while
// they fire.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "conformance/error_name.hpp"
#include "conformance/expectations.hpp"
#include "conformance/on_threads.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/stress_support.hpp"
#include "conformance/waiting.hpp"
#include "suites/stress/suite.hpp"

namespace conformance::stress {

// 8 producers post through one strand; 4 threads run the context. Strand
// handlers never overlap, each producer's run in the order it posted them,
// and none is lost or run twice. `next` is touched only inside the strand,
// so a strand that let two handlers overlap is also a data race
// ThreadSanitizer reports. Once the context is gone and its threads have
// ended, the heap is back where it started. (Not "flat over time": five
// rounds are too few for twin's per-thread caches — up to 8 MiB of freed
// handler memory on each of the four run threads — to fill, and a cache
// that fills is not a leak.)
TYPED_TEST_P(Stress, StrandFromEightProducersIntoFourRunThreads) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t producers = 8;
        const std::size_t per_producer = scaled(25000);
        const std::size_t per_round = producers * per_producer;
        constexpr std::size_t rounds = 5;
        once_slots slots(per_round);
        std::vector<std::size_t> next(producers);
        std::atomic<bool> inside{false};
        std::atomic<std::size_t> ran{0}, overlaps{0}, out_of_order{0};
        std::size_t missing = 0, repeated = 0, rounds_done = 0;
        heap_baseline heap;
        {
          typename B::io_context ctx;
          auto strand = make_strand(ctx);
          auto guard = make_work_guard(ctx);
          run_threads runners(ctx, 4, rec);
          for (std::size_t round = 0; round < rounds; ++round, ++rounds_done) {
            std::fill(next.begin(), next.end(), 0);  // no handler is running
            ran = 0;
            on_threads(producers, [&](std::size_t p) {
              for (std::size_t i = 0; i < per_producer; ++i)
                post(strand, [&, p, i] {
                  if (inside.exchange(true)) ++overlaps;
                  if (next[p]++ != i) ++out_of_order;
                  slots.mark(p * per_producer + i);
                  inside = false;
                  ++ran;
                });
            });
            const bool all_ran = wait_until([&] { return ran == per_round; });
            const auto verdict = slots.settle(per_round);
            missing += verdict.missing;
            repeated += verdict.repeated;
            if (!all_ran) break;
          }
          if (rounds_done != rounds) ctx.stop();
          guard.reset();
          runners.join();
        }
        rec.record("rounds completed: " + std::to_string(rounds_done));
        rec.record("overlaps: " + std::to_string(overlaps.load()) +
                   ", out of producer order: " + std::to_string(out_of_order.load()));
        rec.record("handlers missing: " + std::to_string(missing) +
                   ", repeated: " + std::to_string(repeated));
        count_stressed("strand posts", rounds_done * per_round);
        record_heap_returned(rec, heap);
      },
      expect_labels(ElementsAre("runner 0 started", "runner 1 started", "runner 2 started",
                                "runner 3 started", "rounds completed: 5",
                                "overlaps: 0, out of producer order: 0",
                                "handlers missing: 0, repeated: 0", "heap returned: yes")));
}

// How the waits of TimersArmedAndCancelledFromForeignThreads ended.
struct timer_tally {
  std::atomic<std::size_t> started{0}, completed{0}, fired{0}, aborted{0}, other{0};
  std::atomic<std::size_t> cancels_reported{0};  // what expires_after/cancel returned
};

// Four foreign threads each own 32 timers and, in a loop, re-arm one
// (expires_after, which cancels its pending wait), start a wait, and
// sometimes cancel it — while two run threads fire the timers that expire
// (deadlines of 0 to 200 us). Every wait completes exactly once, with
// success or operation_aborted, and the aborted ones are exactly those
// that expires_after() and cancel() said they cancelled. A timer object is
// used by its owner only, as Asio requires. Ten rounds, each with owners of
// its own. Once the context is gone, the heap is back where it started.
TYPED_TEST_P(Stress, TimersArmedAndCancelledFromForeignThreads) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t owners = 4, timers_each = 32, rounds = 10;
        const std::size_t per_owner = scaled(50000) / rounds;  // in each round
        const std::size_t per_round = owners * per_owner, total = rounds * per_round;
        once_slots slots(total);
        timer_tally tally;
        std::vector<std::atomic<std::size_t>> owner_done(owners);
        bool all_done = true;
        heap_baseline heap;
        {
          typename B::io_context ctx;
          auto guard = make_work_guard(ctx);
          run_threads runners(ctx, 2, rec);
          for (std::size_t round = 0; round < rounds && all_done; ++round) {
            on_threads(owners, [&](std::size_t o) {
              const std::size_t first = round * per_round + o * per_owner;
              owner_done[o] = 0;
              std::vector<typename B::steady_timer> timers;
              for (std::size_t i = 0; i < timers_each; ++i) timers.emplace_back(ctx);
              for (std::size_t i = 0; i < per_owner; ++i) {
                auto& timer = timers[i % timers_each];
                // One deadline in five has passed already: it fires at once,
                // racing the owner's cancel() and next expires_after().
                const auto deadline = std::chrono::microseconds(i % 5 ? i * 37 % 200 : 0);
                tally.cancels_reported += timer.expires_after(deadline);
                ++tally.started;
                timer.async_wait([&, o, id = first + i](const auto& ec) {
                  slots.mark(id);
                  const std::string error = error_name(ec);
                  ++(error.empty()          ? tally.fired
                     : error == "ECANCELED" ? tally.aborted
                                            : tally.other);
                  ++tally.completed;
                  ++owner_done[o];
                });
                if (i % 3 == 0) tally.cancels_reported += timer.cancel();
              }
              for (auto& timer : timers) tally.cancels_reported += timer.cancel();
              // The timers die with this thread: wait for their handlers first.
              wait_until([&] { return owner_done[o] == per_owner; });
            });
            // Quiescent: every wait of the round has completed.
            all_done = wait_until([&] { return tally.completed == (round + 1) * per_round; });
          }
          if (!all_done) ctx.stop();
          guard.reset();
          runners.join();
        }
        const auto verdict = slots.settle(total);
        rec.record("every wait completed: " + yes_no(all_done));
        rec.record("waits missing: " + std::to_string(verdict.missing) +
                   ", repeated: " + std::to_string(verdict.repeated));
        rec.record("errors other than operation_aborted: " + std::to_string(tally.other.load()));
        rec.record("aborted waits equal the cancellations reported: " +
                   yes_no(tally.aborted == tally.cancels_reported));
        rec.record("some fired, some aborted: " + yes_no(tally.fired && tally.aborted));
        count_stressed("timer waits", tally.started);
        count_stressed("timer waits fired", tally.fired);
        count_stressed("timer waits aborted", tally.aborted);
        record_heap_returned(rec, heap);
      },
      expect_labels(ElementsAre("runner 0 started", "runner 1 started", "every wait completed: yes",
                                "waits missing: 0, repeated: 0",
                                "errors other than operation_aborted: 0",
                                "aborted waits equal the cancellations reported: yes",
                                "some fired, some aborted: yes", "heap returned: yes")));
}

}  // namespace conformance::stress
