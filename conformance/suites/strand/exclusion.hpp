// Strand scenarios: mutual exclusion across threads — strand handlers never
// overlap on 2, 4 and 8 run threads (also when bound with bind_executor and
// posted plainly); foreign producers' handlers run in each producer's order;
// the legacy strand keeps its posts' order on five threads; two strands, by
// contrast, do run in parallel.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/foreign_producers.hpp"
#include "conformance/on_threads.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/strand/suite.hpp"

namespace conformance::strand {

// How never_overlap hands its handlers to the strand.
enum class through {
  strand_post,  // post(strand, h)
  plain_post,   // post(ctx, bind_executor(strand, h)): a bound handler goes through the strand too
};

// `handlers` strand handlers, posted by the main thread while `threads`
// threads run the context: never more than one in flight, each inside the
// strand, and a plain counter (only ever touched inside the strand) sees
// all of them.
template <typename B>
void never_overlap(recorder& rec, std::size_t threads, int handlers, through how) {
  typename B::io_context ctx;
  auto strand = make_strand(ctx);
  auto guard = make_work_guard(ctx);
  overlap_meter meter;
  int ran = 0;
  std::atomic<int> outside_strand{0};
  run_threads runners(ctx, threads, rec);
  const auto handler = [&] {
    meter.enter();
    if (!strand.running_in_this_thread()) ++outside_strand;
    ++ran;
    meter.leave();
  };
  for (int i = 0; i < handlers; ++i) {
    if (how == through::strand_post)
      post(strand, handler);
    else
      post(ctx, bind_executor(strand, handler));
  }
  post_and_wait(strand, rec, "last handler ran");
  guard.reset();
  runners.join();
  rec.record("most handlers in flight: " + std::to_string(meter.most()));
  rec.record("handlers run: " + std::to_string(ran));
  rec.record("ran outside the strand: " + std::to_string(outside_strand.load()));
}

// The scenario: never_overlap with `threads` runners and `handlers`
// handlers, which must record each runner starting, then that the last
// handler ran, that at most one was ever in flight, that all ran, and that
// none ran outside the strand.
template <typename Backend>
void verify_never_overlap(std::size_t threads, int handlers, through how) {
  verify<Backend>(
      determinism::nondeterministic,
      [=]<class B>(recorder& rec) { never_overlap<B>(rec, threads, handlers, how); },
      expect_labels(ElementsAreArray(
          joined({runners_started(threads),
                  {"last handler ran", "most handlers in flight: 1",
                   "handlers run: " + std::to_string(handlers), "ran outside the strand: 0"}}))));
}

TYPED_TEST_P(Strand, HandlersNeverOverlapOnTwoThreads) {
  verify_never_overlap<TypeParam>(2, 2000, through::strand_post);
}

TYPED_TEST_P(Strand, HandlersNeverOverlapOnFourThreads) {
  verify_never_overlap<TypeParam>(4, 2000, through::strand_post);
}

TYPED_TEST_P(Strand, HandlersNeverOverlapOnEightThreads) {
  verify_never_overlap<TypeParam>(8, 2000, through::strand_post);
}

// A plain post(ctx, h) of a handler bound to a strand goes through the
// strand: 1000 such handlers on four run threads never overlap.
TYPED_TEST_P(Strand, BoundHandlersPostedPlainlyNeverOverlap) {
  verify_never_overlap<TypeParam>(4, 1000, through::plain_post);
}

// Four foreign producers post 1000 handlers each through one strand while
// three threads run the context: each producer's handlers run in the order
// it posted them, all of them once, one at a time.
TYPED_TEST_P(Strand, ForeignProducersKeepPerProducerOrder) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr int producers = 4, per_producer = 1000;
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        auto guard = make_work_guard(ctx);
        producer_order order(producers);  // touched only inside the strand
        overlap_meter meter;
        run_threads runners(ctx, 3, rec);
        post_from_threads(strand, producers, per_producer, [&order, &meter](int p, int i) {
          meter.enter();
          order.ran(p, i);
          meter.leave();
        });
        post_and_wait(strand, rec, "last handler ran");
        guard.reset();
        runners.join();
        rec.record("handlers run: " + std::to_string(order.ran()));
        rec.record("out of order: " + std::to_string(order.out_of_order()));
        rec.record("most in flight: " + std::to_string(meter.most()));
      },
      expect_labels(ElementsAre("runner 0 started", "runner 1 started", "runner 2 started",
                                "last handler ran", "handlers run: 4000", "out of order: 0",
                                "most in flight: 1")));
}

// Two run threads, two strands: a handler on strand A waits (bounded) for a
// handler on strand B to start, which can only happen if they run at once.
TYPED_TEST_P(Strand, TwoStrandsRunInParallel) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto a = make_strand(ctx);
        auto b = make_strand(ctx);
        std::atomic<bool> b_started{false};
        post(a, [&] {
          rec.record("A begins");
          rec.record(wait_until(b_started) ? "A saw B start" : "A timed out waiting for B");
        });
        post(b, [&] {
          rec.record("B begins");
          b_started = true;
        });
        run_threads(ctx, 2, rec).join();
      },
      [](const trace& t) {
        ASSERT_EQ(t.size(), 5u) << format(t);  // with "runner i started"
        const std::size_t a = position(t, "A begins");
        const std::size_t b = position(t, "B begins");
        const std::size_t saw = position(t, "A saw B start");
        ASSERT_LT(saw, t.size()) << "strand B never ran while strand A was busy";
        EXPECT_LT(a, saw);
        EXPECT_LT(b, saw);
        EXPECT_NE(t[a].thread, t[b].thread);
      });
}

// Five threads run the context; ten io_context::strand::post calls each
// record i. The order is 0..9 on every backend; which run thread ran each
// varies, so only the order is checked, and that none ran on the main
// thread.
TYPED_TEST_P(Strand, FiveThreadsRunTenLegacyStrandPostsInOrder) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::io_context::strand strand(ctx);
        for (int i = 0; i < 10; ++i) strand.post([&rec, i] { rec.record(std::to_string(i)); });
        on_threads(5, [&](int) { ctx.run(); });
      },
      [](const trace& t) {
        EXPECT_THAT(labels(t), ElementsAre("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        for (const event& e : t) EXPECT_NE(e.thread, 0) << "ran on the main thread";
      });
}

}  // namespace conformance::strand
