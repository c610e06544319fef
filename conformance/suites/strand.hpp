// Conformance category Strand: strands serialise handlers without a lock
// held across them — `strand<io_context::executor_type>` (make_strand) and
// the legacy `io_context::strand`.
//
// Covered: strand handlers never overlap on 2, 4 and 8 run threads (also when
// bound with bind_executor and posted plainly); FIFO order from one thread
// and per-producer order from foreign threads; dispatch inline inside the
// strand and from a run thread while the strand is free, queued from outside
// run and while the strand is busy elsewhere; nested dispatch/post/defer
// chains; running_in_this_thread; two strands run in parallel; plain
// handlers interleave with a long strand queue; how strand post/defer/
// dispatch interleave with plain posts; an exception leaves run and the
// strand keeps working; destruction destroys queued strand handlers without
// invoking them; the legacy strand's post/dispatch/wrap; seed 003.
//
// Asio runs a strand through an "invoker" operation on the io_context's
// queue, posted by whoever finds the strand free. The invoker runs the
// strand's ready handlers; on leaving, it makes everything that arrived
// meanwhile ready and re-posts itself behind whatever is queued by then. So
// handlers come in batches (one run_one runs a batch), plain handlers get
// turns between batches, and single-thread traces depend on that batching:
// twin's must equal Asio's event for event.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/destruction_witness.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"

namespace conformance::strand {

template <typename Backend>
class Strand : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Strand);

inline std::string yes_no(bool b) { return b ? "yes" : "no"; }

// Yields until `flag` is set or 20 s pass; true when it was set. Used to
// prove that something happens concurrently, never to produce an order.
inline bool wait_for(const std::atomic<bool>& flag) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!flag && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  return flag;
}

// Counts handlers in flight and remembers the most seen at once.
class overlap_meter {
public:
  // Call on entry to a handler; spins a little (yielding) so that another
  // thread would overlap it if the strand let it.
  void enter() {
    const int now = ++in_flight_;
    int seen = most_.load();
    while (now > seen && !most_.compare_exchange_weak(seen, now)) {
    }
    for (int i = 0; i < 20; ++i) std::this_thread::yield();
  }
  void leave() { --in_flight_; }
  int most() const { return most_; }

private:
  std::atomic<int> in_flight_{0};
  std::atomic<int> most_{0};
};

// Posts a last handler through `ex` and waits (bounded) until it has run:
// for a strand, everything posted to it before has then run too.
template <typename Executor>
void post_and_wait(const Executor& ex, recorder& rec) {
  std::promise<void> ran;
  post(ex, [&] { ran.set_value(); });
  if (ran.get_future().wait_for(std::chrono::seconds(20)) != std::future_status::ready)
    rec.record("last handler never ran");
}

// 2000 strand handlers, posted by the main thread while `threads` threads
// run the context: never more than one in flight, and a plain counter (only
// ever touched inside the strand) sees all of them.
template <typename B>
void never_overlap(recorder& rec, std::size_t threads) {
  constexpr int handlers = 2000;
  typename B::io_context ctx;
  auto strand = make_strand(ctx);
  auto guard = make_work_guard(ctx);
  overlap_meter meter;
  int ran = 0;
  run_threads runners(ctx, threads, rec);
  for (int i = 0; i < handlers; ++i)
    post(strand, [&] {
      meter.enter();
      ++ran;
      meter.leave();
    });
  post_and_wait(strand, rec);
  guard.reset();
  runners.join();
  rec.record("most strand handlers in flight: " + std::to_string(meter.most()));
  rec.record("strand handlers run: " + std::to_string(ran));
}

inline void expect_no_overlap(const trace& t) {
  EXPECT_EQ(count(t, "last handler never ran"), 0u);
  EXPECT_EQ(count(t, "most strand handlers in flight: 1"), 1u);
  EXPECT_EQ(count(t, "strand handlers run: 2000"), 1u);
}

TYPED_TEST_P(Strand, HandlersNeverOverlapOnTwoThreads) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) { never_overlap<B>(rec, 2); }, expect_no_overlap);
}

TYPED_TEST_P(Strand, HandlersNeverOverlapOnFourThreads) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) { never_overlap<B>(rec, 4); }, expect_no_overlap);
}

TYPED_TEST_P(Strand, HandlersNeverOverlapOnEightThreads) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) { never_overlap<B>(rec, 8); }, expect_no_overlap);
}

// A plain post(ctx, h) of a handler bound to a strand goes through the
// strand: 1000 such handlers on four run threads never overlap.
TYPED_TEST_P(Strand, BoundHandlersPostedPlainlyNeverOverlap) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr int handlers = 1000;
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        auto guard = make_work_guard(ctx);
        overlap_meter meter;
        int ran = 0;
        std::atomic<int> outside_strand{0};
        run_threads runners(ctx, 4, rec);
        for (int i = 0; i < handlers; ++i)
          post(ctx, bind_executor(strand, [&] {
                 meter.enter();
                 if (!strand.running_in_this_thread()) ++outside_strand;
                 ++ran;
                 meter.leave();
               }));
        post_and_wait(strand, rec);
        guard.reset();
        runners.join();
        rec.record("most bound handlers in flight: " + std::to_string(meter.most()));
        rec.record("bound handlers run: " + std::to_string(ran));
        rec.record("ran outside the strand: " + std::to_string(outside_strand.load()));
      },
      [](const trace& t) {
        EXPECT_EQ(count(t, "last handler never ran"), 0u);
        EXPECT_EQ(count(t, "most bound handlers in flight: 1"), 1u);
        EXPECT_EQ(count(t, "bound handlers run: 1000"), 1u);
        EXPECT_EQ(count(t, "ran outside the strand: 0"), 1u);
      });
}

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
      [](const trace& t) {
        std::vector<std::string> expected;
        for (int i = 0; i < 10; ++i) expected.push_back("handler " + std::to_string(i));
        EXPECT_EQ(labels(t), expected);
      });
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
        std::vector<int> next(producers, 0);  // touched only inside the strand
        int ran = 0, out_of_order = 0;        // likewise
        overlap_meter meter;
        run_threads runners(ctx, 3, rec);
        std::vector<std::thread> threads;
        for (int p = 0; p < producers; ++p)
          threads.emplace_back([&, p] {
            for (int i = 0; i < per_producer; ++i)
              post(strand, [&, p, i] {
                meter.enter();
                if (next[p]++ != i) ++out_of_order;
                ++ran;
                meter.leave();
              });
          });
        for (auto& t : threads) t.join();
        post_and_wait(strand, rec);
        guard.reset();
        runners.join();
        rec.record("handlers run: " + std::to_string(ran));
        rec.record("out of order: " + std::to_string(out_of_order));
        rec.record("most in flight: " + std::to_string(meter.most()));
      },
      [](const trace& t) {
        EXPECT_EQ(count(t, "last handler never ran"), 0u);
        EXPECT_EQ(count(t, "handlers run: 4000"), 1u);
        EXPECT_EQ(count(t, "out of order: 0"), 1u);
        EXPECT_EQ(count(t, "most in flight: 1"), 1u);
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"outer begins", "dispatched", "outer ends"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"plain begins, in strand no",
                                                       "dispatched, in strand yes",
                                                       "plain ends, in strand no"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"main after dispatch", "dispatched"}));
      });
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
          rec.record(wait_for(plain_done) ? "strand handler ends" : "strand handler timed out");
        });
        post(ctx, [&] {
          if (!wait_for(strand_busy)) rec.record("plain handler timed out");
          dispatch(strand, [&] { rec.record("dispatched"); });
          rec.record("plain handler after dispatch");
          plain_done = true;
        });
        std::thread t1([&] { ctx.run(); });
        std::thread t2([&] { ctx.run(); });
        t1.join();
        t2.join();
      },
      [](const trace& t) {
        ASSERT_EQ(labels(t).size(), 4u);
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "A", "A.dispatch", "A.dispatch.dispatch", "A.dispatch ends",
                                 "A ends", "plain", "B", "A.post", "A.post.dispatch",
                                 "A.post ends", "A.dispatch.post", "A.defer"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{
                      "before run: s1 no, s2 no", "in s1: s1 yes, s2 no",
                      "dispatched to free s2 from s1: s1 yes, s2 yes",
                      "in plain handler: s1 no, s2 no", "in s2: s1 no, s2 yes",
                      "in a copy of s1: s1 yes, s2 no",
                      "dispatched to busy s2 from s1: s1 no, s2 yes",
                      "after run: s1 no, s2 no"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"copy: equal", "other strand: different",
                                                       "inner executor is ctx's: yes",
                                                       "context() is ctx: yes"}));
      });
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
          rec.record(wait_for(b_started) ? "A saw B start" : "A timed out waiting for B");
        });
        post(b, [&] {
          rec.record("B begins");
          b_started = true;
        });
        std::thread t1([&] { ctx.run(); });
        std::thread t2([&] { ctx.run(); });
        t1.join();
        t2.join();
      },
      [](const trace& t) {
        ASSERT_EQ(t.size(), 3u);
        const std::size_t a = position(t, "A begins");
        const std::size_t b = position(t, "B begins");
        const std::size_t saw = position(t, "A saw B start");
        ASSERT_LT(saw, t.size()) << "strand B never ran while strand A was busy";
        EXPECT_LT(a, saw);
        EXPECT_LT(b, saw);
        EXPECT_NE(t[a].thread, t[b].thread);
      });
}

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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"plain after 1 strand handlers",
                                                       "second plain after 1000 strand handlers",
                                                       "strand handlers run: 1000"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{"strand 0", "plain 0", "strand 1",
                                                       "plain 1", "strand 2", "plain 2",
                                                       "strand 3", "plain 3", "strand 4",
                                                       "plain 4"}));
      });
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
        for (int i = 0; i < 3; ++i)
          post(strand, [&, i] { rec.record("handler " + std::to_string(i)); });
        for (int i = 0; i < 3; ++i)
          rec.record("run_one returned " + std::to_string(ctx.run_one()));
        ctx.restart();
        for (int i = 3; i < 10; ++i)
          post(strand, [&, i] { rec.record("handler " + std::to_string(i)); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"handler 0", "run_one returned 1", "handler 1",
                                            "handler 2", "run_one returned 1",
                                            "run_one returned 0", "handler 3", "handler 4",
                                            "handler 5", "handler 6", "handler 7", "handler 8",
                                            "handler 9", "run returned 2"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "round 1", "s3 dispatch", "s1 post", "plain post 1",
                                 "plain post 2", "plain post 3", "plain post 4", "s2 defer",
                                 "plain defer", "round 2", "s1 first", "plain post",
                                 "s2 first", "plain from s1", "s1 second", "plain from s2",
                                 "s2 second"}));
      });
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
        try {
          ctx.run();
          rec.record("run returned normally");
        } catch (const std::runtime_error& e) {
          rec.record(std::string("run threw ") + e.what());
        }
        rec.record("in strand after the throw: " + yes_no(strand.running_in_this_thread()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        ctx.run();
        rec.record("run again returned");
        post(strand, [&] { rec.record("s4"); });
        ctx.restart();
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "s0", "s1 throws", "run threw boom",
                                 "in strand after the throw: no", "not stopped", "s2", "s3",
                                 "run again returned", "s4"}));
      });
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
              post(strand, [&rec, i,
                            w = destruction_witness(rec, "strand handler " + std::to_string(i))] {
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
        ASSERT_EQ(t.size(), 7u);
        EXPECT_EQ(t[0].what, "destroying strand");
        EXPECT_EQ(t[1].what, "destroying context");
        for (const std::string handler : {"strand handler 0", "strand handler 1",
                                          "strand handler 2", "plain handler"}) {
          EXPECT_EQ(count(t, "destroyed " + handler), 1u) << handler;
          EXPECT_GT(position(t, "destroyed " + handler), 1u) << handler;
        }
        EXPECT_EQ(t[6].what, "context destroyed");
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{
                      "before run, in strand no", "main after dispatch, in strand no",
                      "posted, in strand yes", "dispatched inline, in strand yes",
                      "posted handler ends, in strand yes", "plain handler, in strand no",
                      "plain handler ends, in strand no",
                      "dispatched from outside, in strand yes",
                      "posted from strand, in strand yes",
                      "dispatched from plain handler, in strand yes", "after run, in strand no",
                      "second plain handler, in strand no",
                      "dispatched to free strand, in strand yes",
                      "second plain handler ends, in strand no"}));
      });
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
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "main after calling the wrapper", "wrapped got 7, in strand yes",
                                 "posted wrapper, in strand yes", "plain begins",
                                 "wrapped got 42, in strand yes", "plain ends"}));
      });
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
          rec.record(what + ": strand " + yes_no(strand.running_in_this_thread()) +
                     ", legacy " + yes_no(legacy.running_in_this_thread()));
        };
        post(ctx, bind_executor(strand, [&] { report("bound to strand"); }));
        post(ctx, bind_executor(legacy, [&] { report("bound to legacy strand"); }));
        post(ctx, [&] { report("unbound"); });
        ctx.run();
      },
      [](const trace& t) {
        EXPECT_EQ(labels(t), (std::vector<std::string>{
                                 "bound to strand: strand yes, legacy no",
                                 "bound to legacy strand: strand no, legacy yes",
                                 "unbound: strand no, legacy no"}));
      });
}

// Seed 003: five threads run the context, ten io_context::strand::post calls
// each record i. The order is 0..9 on every backend; which thread ran each
// varies, so only the order is checked.
TYPED_TEST_P(Strand, Seed003FiveThreadsTenLegacyStrandPosts) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::io_context::strand strand(ctx);
        for (int i = 0; i < 10; ++i) strand.post([&rec, i] { rec.record(std::to_string(i)); });
        std::vector<std::thread> threads;
        for (int i = 0; i < 5; ++i) threads.emplace_back([&] { ctx.run(); });
        for (auto& t : threads) t.join();
      },
      [](const trace& t) {
        std::vector<std::string> expected;
        for (int i = 0; i < 10; ++i) expected.push_back(std::to_string(i));
        EXPECT_EQ(labels(t), expected);
        for (const event& e : t) EXPECT_NE(e.thread, 0) << "ran on the main thread";
      });
}

REGISTER_TYPED_TEST_SUITE_P(Strand, HandlersNeverOverlapOnTwoThreads,
                            HandlersNeverOverlapOnFourThreads, HandlersNeverOverlapOnEightThreads,
                            BoundHandlersPostedPlainlyNeverOverlap, PostFromOneThreadIsFifo,
                            ForeignProducersKeepPerProducerOrder, DispatchInsideStrandRunsInline,
                            DispatchFromPlainHandlerWhileStrandFreeRunsInline,
                            DispatchOutsideRunIsQueued, DispatchWhileStrandBusyElsewhereIsQueued,
                            NestedDispatchAndPostChains, RunningInThisThread, ExecutorIdentity,
                            TwoStrandsRunInParallel, PlainHandlerIsNotStarvedByQueuedStrandWork,
                            SelfPostingStrandTakesTurnsWithPlainHandlers,
                            RunOneRunsOneStrandBatch, PostDeferDispatchInterleaveWithPlainPosts,
                            ExceptionLeavesRunAndStrandKeepsWorking,
                            DestroyingStrandThenContextDestroysQueuedHandlers,
                            LegacyStrandPostDispatchRunningInThisThread, LegacyStrandWrap,
                            BindExecutorRunsInStrandThroughPlainPost,
                            Seed003FiveThreadsTenLegacyStrandPosts);

}  // namespace conformance::strand
