// Stress scenarios: lost wake-ups and foreign stops — posts from foreign
// threads, one at a time and in bursts, into run threads that go to sleep
// between them; and stop/restart from a foreign thread while handlers run.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/kernel_probe.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/stress_support.hpp"
#include "conformance/waiting.hpp"
#include "suites/stress/suite.hpp"

namespace conformance::stress {

// Sums the voluntary context switches of every runner: how often they slept.
template <typename Runners>
long sleeps(const Runners& runners) {
  long total = 0;
  for (std::size_t i = 0; i < runners.size(); ++i)
    total += kernel_probe::voluntary_switches(runners.tid(i));
  return total;
}

// What a wake-up run found.
struct wakeup_tally {
  std::atomic<std::size_t> posted{0};
  std::atomic<std::size_t> lost{0};       // not run within the deadline
  std::atomic<std::size_t> repeated{0};   // ran more than once
  std::atomic<std::size_t> misplaced{0};  // ran before an earlier one
  long sleeps = 0;                        // runners' voluntary switches
};

// `producers` foreign threads each post `per_producer` handlers into a
// context with `runners` run threads, `burst` at a time, waiting for each
// burst to run before posting the next. Between bursts every run thread goes
// idle — blocked in the reactor, or on the scheduler's condition variable —
// so the first post of a burst must wake one. A producer whose burst does
// not run within wait_limit records the loss and stops everyone.
template <typename B>
void post_and_wait_in_bursts(recorder& rec, std::size_t runners, std::size_t producers,
                             std::size_t per_producer, std::size_t burst, wakeup_tally& tally,
                             memory_watch& memory) {
  std::vector<std::atomic<std::size_t>> done(producers);  // handlers run, per producer
  std::vector<once_slots> slots;
  for (std::size_t p = 0; p < producers; ++p) slots.emplace_back(burst);
  std::atomic<bool> abandon{false};
  typename B::io_context ctx;
  B::start_reactor(ctx);
  auto guard = make_work_guard(ctx);
  run_threads threads(ctx, runners, rec);
  const long sleeps_before = sleeps(threads);
  std::vector<std::thread> posters;
  for (std::size_t p = 0; p < producers; ++p)
    posters.emplace_back([&, p] {
      const std::size_t checkpoint_every = per_producer / 10;
      for (std::size_t first = 0; first < per_producer && !abandon; first += burst) {
        const std::size_t n = std::min(burst, per_producer - first);
        for (std::size_t j = 0; j < n; ++j)
          post(ctx, [&, p, j, expected = first + (burst == 1 ? 0 : j)] {
            // With one handler in flight, handler i must find i done before it.
            if (burst == 1 && done[p].load(std::memory_order_relaxed) != expected)
              ++tally.misplaced;
            slots[p].mark(j);
            done[p].fetch_add(1, std::memory_order_release);
          });
        tally.posted += n;
        if (!wait_until([&] { return done[p].load(std::memory_order_acquire) >= first + n; })) {
          ++tally.lost;
          abandon = true;
          return;
        }
        tally.repeated += slots[p].settle(n).repeated;
        if (p == 0 && checkpoint_every && (first + n) % checkpoint_every < n) memory.checkpoint();
      }
    });
  for (std::thread& t : posters) t.join();
  tally.sleeps += sleeps(threads) - sleeps_before;
  // A handler that ran twice may do so after its burst was judged.
  for (std::size_t p = 0; p < producers; ++p) tally.repeated += slots[p].settle(burst).repeated;
  if (abandon) ctx.stop();
  guard.reset();
  threads.join();
}

// Records the verdict of one wake-up run: the counts, and the posts-per-
// sleep figure as a property (how often a post really had to wake a runner).
inline void record_wakeups(recorder& rec, const std::string& what, const wakeup_tally& tally,
                           std::size_t expected_posts) {
  rec.record(what + ": posts " + std::to_string(tally.posted.load()) + " of " +
             std::to_string(expected_posts));
  rec.record(what + ": lost " + std::to_string(tally.lost.load()) + ", repeated " +
             std::to_string(tally.repeated.load()) + ", misplaced " +
             std::to_string(tally.misplaced.load()));
  ::testing::Test::RecordProperty(what + " runner sleeps", std::to_string(tally.sleeps));
  count_stressed(what + " posts", tally.posted);
}

// What record_wakeups records for `what` when all `posts` posts ran, each
// once and in order.
inline std::vector<std::string> clean_wakeups(const std::string& what, std::size_t posts) {
  const std::string n = std::to_string(posts);
  return {what + ": posts " + n + " of " + n, what + ": lost 0, repeated 0, misplaced 0"};
}

// Posts in the lost-wake-up scenarios: 10^7 cross-thread posts in all
// (2 x 200,000 one at a time, 9.6 million in bursts) on every backend,
// 10^6 under a sanitizer. Asio keeps up with twin here (about 30 s each on
// two cores), so the Asio backends run the full count too.
inline constexpr std::size_t one_at_a_time_posts = 200000;
inline constexpr std::size_t burst_posts_per_producer = 2400000;

// One handler in flight at a time: every post finds the run threads asleep
// or on their way to sleep — the pattern behind the Linux >= 5.3
// EPOLL_CTL_MOD lost-wake-up bug reported against Asio, where a post's
// wake-up of a thread entering epoll_wait was lost and the handler sat
// queued until some other event came. With one producer and one run thread
// nothing else can wake that thread, so a lost wake-up leaves the handler
// unrun and fails the scenario (after wait_limit); the wake-up goes
// through the reactor's interrupter (twin's and Asio's eventfd, re-armed
// with EPOLL_CTL_MOD; io_uring's for asio_uring). With two of each, a post
// mostly wakes the idle thread through the condition variable, the reactor
// thread being woken when the other is busy. Memory is judged by the heap
// coming back after teardown: 200,000 posts are too few for twin's
// per-thread caches to fill, so "flat over time" would mistake their
// filling for a leak.
TYPED_TEST_P(Stress, LostWakeupOnePostAtATime) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        heap_baseline heap;
        for (const std::size_t threads : {1, 2}) {
          const std::string config =
              std::to_string(threads) + " producers, " + std::to_string(threads) + " runners";
          memory_watch memory;  // sampled, not judged: see above
          wakeup_tally tally;
          const std::size_t per_producer = scaled(one_at_a_time_posts) / threads;
          post_and_wait_in_bursts<B>(rec, threads, threads, per_producer, 1, tally, memory);
          record_wakeups(rec, config, tally, scaled(one_at_a_time_posts));
          ::testing::Test::RecordProperty(config + ": memory_mib", memory.mebibytes());
        }
        record_heap_returned(rec, heap);
      },
      expect_labels(ElementsAreArray(
          joined({runners_started(1),
                  clean_wakeups("1 producers, 1 runners", scaled(one_at_a_time_posts)),
                  runners_started(2),
                  clean_wakeups("2 producers, 2 runners", scaled(one_at_a_time_posts)),
                  {"heap returned: yes"}}))));
}

// Bursts of 16 from 4 producers into 2 run threads: a post now often
// arrives while one runner is busy and the other asleep in the reactor.
TYPED_TEST_P(Stress, LostWakeupBursts) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        heap_baseline heap;
        memory_watch memory;
        const std::size_t per_producer = scaled(burst_posts_per_producer);
        wakeup_tally tally;
        post_and_wait_in_bursts<B>(rec, 2, 4, per_producer, 16, tally, memory);
        record_wakeups(rec, "bursts", tally, 4 * per_producer);
        record_memory(rec, memory);
        record_heap_returned(rec, heap);
      },
      expect_labels(
          ElementsAreArray(joined({runners_started(2),
                                   clean_wakeups("bursts", 4 * scaled(burst_posts_per_producer)),
                                   {"memory flat: yes", "heap returned: yes"}}))));
}

// A foreign controller stops the context and restarts it, over and over,
// while two producers post and two threads run handlers. Each runner loops
// on run(); the controller restarts only once every runner has returned
// (restart() must not race run()). Stopping never loses a handler: when
// all is over, each ran exactly once. How many stops came while handlers
// were still queued is counted: at least one must have.
TYPED_TEST_P(Stress, StopRestartFromForeignThreadWhileHandlersRun) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t runners = 2, producers = 2;
        const std::size_t per_producer = scaled(200000), cycles = scaled(10000);
        const std::size_t total = producers * per_producer;
        once_slots slots(total);
        std::atomic<std::size_t> ran{0}, returns{0}, generation{0}, stuck{0};
        std::size_t stops_with_work_queued = 0;
        std::atomic<bool> finished{false};
        typename B::io_context ctx;
        B::start_reactor(ctx);
        auto guard = make_work_guard(ctx);
        std::vector<std::thread> threads;
        for (std::size_t r = 0; r < runners; ++r)
          threads.emplace_back([&] {
            for (std::size_t returned = 1;; ++returned) {
              ctx.run();
              if (finished) return;
              ++returns;
              if (!wait_until([&] { return generation >= returned || finished; })) ++stuck;
              if (stuck) return;
            }
          });
        for (std::size_t p = 0; p < producers; ++p)
          threads.emplace_back([&, p] {
            for (std::size_t i = 0; i < per_producer; ++i)
              post(ctx, [&, id = p * per_producer + i] {
                slots.mark(id);
                ++ran;
              });
          });
        for (std::size_t c = 1; c <= cycles && !stuck; ++c) {
          // Let at least one more handler run (unless all have), then stop.
          const std::size_t before = ran;
          wait_until([&] { return ran > before || ran == total; });
          stops_with_work_queued += ran < total;
          ctx.stop();
          if (!wait_until([&] { return returns == c * runners; })) {
            ++stuck;
            break;
          }
          ctx.restart();
          generation = c;
        }
        const bool all_ran = !stuck && wait_until([&] { return ran == total; });
        finished = true;
        if (!all_ran) ctx.stop();
        guard.reset();
        for (std::thread& t : threads) t.join();
        const auto verdict = slots.settle(total);
        rec.record("stop/restart cycles: " + std::to_string(returns / runners));
        rec.record("a runner or handler got stuck: " + yes_no(stuck || !all_ran));
        rec.record("handlers missing: " + std::to_string(verdict.missing) +
                   ", repeated: " + std::to_string(verdict.repeated));
        rec.record("a stop came with handlers queued: " + yes_no(stops_with_work_queued > 0));
        count_stressed("stops", returns / runners);
        count_stressed("stops with handlers queued", stops_with_work_queued);
        count_stressed("posts", total);
      },
      expect_labels(ElementsAre("stop/restart cycles: " + std::to_string(scaled(10000)),
                                "a runner or handler got stuck: no",
                                "handlers missing: 0, repeated: 0",
                                "a stop came with handlers queued: yes")));
}

}  // namespace conformance::stress
