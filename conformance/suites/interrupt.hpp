// Conformance category Interrupt: how the scheduler wakes threads that sleep
// — in epoll_wait (or io_uring_enter) while they hold the reactor, or on the
// scheduler's condition variable — when work arrives or stop() is called from
// a foreign thread.
//
// No scenario sleeps to let threads "settle": each asks the kernel
// (kernel_probe) until the run threads are really blocked, then acts. Events
// are recorded by the main thread and by handlers only, so the traces of the
// single-handler scenarios are deterministic and compared with Asio's.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/expectations.hpp"
#include "conformance/foreign_producers.hpp"
#include "conformance/kernel_probe.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"

namespace conformance::interrupt {

template <typename Backend>
class Interrupt : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Interrupt);

// Records whether every runner went idle (blocked in the reactor or on the
// scheduler's condition variable).
template <typename Backend, typename Runners>
void record_when_idle(recorder& rec, const Runners& runners) {
  bool all_idle = true;
  for (std::size_t i = 0; i < runners.size(); ++i)
    all_idle = kernel_probe::wait_until_idle<Backend>(runners.tid(i)) && all_idle;
  rec.record(all_idle ? "runners idle" : "a runner never went idle");
}

// Where a lone runner sleeps: in the reactor (started first), or — with no
// reactor — on the scheduler's condition variable (a futex).
enum class asleep { in_reactor, on_condition };

// One runner goes to sleep `where`; then `wake(ctx)`, called from this
// (foreign) thread, must wake it, and releasing the work guard must end its
// run(). Records where the runner slept and how many runners returned.
template <typename B, typename Wake>
void wake_one_runner(recorder& rec, asleep where, Wake wake) {
  typename B::io_context ctx;
  if (where == asleep::in_reactor) B::start_reactor(ctx);
  auto guard = make_work_guard(ctx);
  run_threads runners(ctx, 1, rec);
  if (where == asleep::in_reactor) {
    record_blocked_in_reactor<B>(rec, runners);
  } else {
    const long futex[] = {SYS_futex};
    rec.record(kernel_probe::wait_until_blocked(runners.tid(0), futex)
                   ? "runner waiting on condition"
                   : "runner never waited on condition");
  }
  wake(ctx);
  guard.reset();
  join_and_record_returned(rec, runners);
}

// Without, then with, the reactor started: `n` runners go idle, and then
// `release(ctx, guard)`, called from this (foreign) thread, must end every
// run(). Records how many returned and whether the context is stopped.
template <typename B, typename Release>
void release_idle_runners(recorder& rec, std::size_t n, Release release) {
  for (const bool with_reactor : {false, true}) {
    typename B::io_context ctx;
    if (with_reactor) B::start_reactor(ctx);
    auto guard = make_work_guard(ctx);
    run_threads runners(ctx, n, rec);
    record_when_idle<B>(rec, runners);
    release(ctx, guard);
    runners.join();
    rec.record("runners returned: " + std::to_string(runners.returned()) +
               (ctx.stopped() ? ", stopped" : ", not stopped"));
  }
}

// The scenario: a post from this (foreign) thread wakes the one runner
// asleep `where` (recorded as `waiting_in`), and the handler runs on that
// runner (slot 1).
template <typename Backend>
void verify_post_wakes_runner(asleep where, const std::string& waiting_in) {
  verify<Backend>(
      determinism::deterministic,
      [where]<class B>(recorder& rec) {
        wake_one_runner<B>(rec, where, [&](auto& ctx) { post_and_wait(ctx, rec, "handler ran"); });
      },
      expect_outcomes(
          ElementsAre("runner 0 started @1", waiting_in, "handler ran @1", "runners returned: 1")));
}

TYPED_TEST_P(Interrupt, PostWakesThreadBlockedInReactor) {
  verify_post_wakes_runner<TypeParam>(asleep::in_reactor, "runner blocked in reactor");
}

TYPED_TEST_P(Interrupt, PostWakesThreadWaitingWithoutReactor) {
  verify_post_wakes_runner<TypeParam>(asleep::on_condition, "runner waiting on condition");
}

TYPED_TEST_P(Interrupt, StopFromForeignThreadWakesEveryRunThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        release_idle_runners<B>(rec, 4, [](auto& ctx, auto&) { ctx.stop(); });
      },
      expect_labels(ElementsAreArray(
          repeated({"runner 0 started", "runner 1 started", "runner 2 started", "runner 3 started",
                    "runners idle", "runners returned: 4, stopped"},
                   2))));
}

TYPED_TEST_P(Interrupt, StopWakesThreadBlockedInReactor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        wake_one_runner<B>(rec, asleep::in_reactor, [](auto& ctx) { ctx.stop(); });
      },
      expect_labels(
          ElementsAre("runner 0 started", "runner blocked in reactor", "runners returned: 1")));
}

TYPED_TEST_P(Interrupt, WorkGuardResetFromForeignThreadEndsRun) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        release_idle_runners<B>(rec, 2, [](auto&, auto& guard) { guard.reset(); });
      },
      expect_labels(ElementsAreArray(repeated(
          {"runner 0 started", "runner 1 started", "runners idle", "runners returned: 2, stopped"},
          2))));
}

// Three idle runners, one post: the scheduler signals one sleeper and leaves
// the others (and the reactor) alone. The kernel's count of voluntary
// context switches tells which threads woke. Which runner gets the handler
// is up to the kernel, so only the count is compared.
TYPED_TEST_P(Interrupt, PostWhileAllThreadsIdleWakesExactlyOne) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        for (const bool with_reactor : {false, true}) {
          typename B::io_context ctx;
          if (with_reactor) B::start_reactor(ctx);
          auto guard = make_work_guard(ctx);
          run_threads runners(ctx, 3, rec);
          record_when_idle<B>(rec, runners);
          std::vector<long> before;
          for (std::size_t i = 0; i < runners.size(); ++i)
            before.push_back(kernel_probe::voluntary_switches(runners.tid(i)));
          post_and_wait(ctx, rec, "handler ran");
          record_when_idle<B>(rec, runners);
          int woken = 0;
          for (std::size_t i = 0; i < runners.size(); ++i)
            woken += kernel_probe::voluntary_switches(runners.tid(i)) != before[i];
          rec.record("runners woken: " + std::to_string(woken));
          guard.reset();
        }
      },
      expect_labels(ElementsAreArray(
          repeated({"runner 0 started", "runner 1 started", "runner 2 started", "runners idle",
                    "handler ran", "runners idle", "runners woken: 1"},
                   2))));
}

// Many foreign producers, one runner: every handler runs exactly once, and
// each producer's handlers run in the order it posted them.
TYPED_TEST_P(Interrupt, ForeignPostsAllRunOnceInProducerOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int producers = 4, per_producer = 2000;
        typename B::io_context ctx;
        auto guard = make_work_guard(ctx);
        producer_order order(producers);  // touched only by the runner
        run_threads runners(ctx, 1, rec);
        post_from_threads(ctx, producers, per_producer,
                          [&order](int p, int i) { order.ran(p, i); });
        post_and_wait(ctx, rec, "last handler ran");
        guard.reset();
        runners.join();
        rec.record("handlers run: " + std::to_string(order.ran()));
        rec.record("out of order: " + std::to_string(order.out_of_order()));
      },
      expect_labels(ElementsAre("runner 0 started", "last handler ran", "handlers run: 8000",
                                "out of order: 0")));
}

TYPED_TEST_P(Interrupt, RestartAfterForeignStopRunsAgain) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        B::start_reactor(ctx);
        auto guard = make_work_guard(ctx);
        {
          run_threads runners(ctx, 1, rec);
          record_when_idle<B>(rec, runners);
          ctx.stop();
        }
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        ctx.restart();
        run_threads runners(ctx, 1, rec);
        post_and_wait(ctx, rec, "handler after restart");
        guard.reset();
        join_and_record_returned(rec, runners);
      },
      expect_labels(ElementsAre("runner 0 started", "runners idle", "stopped", "runner 0 started",
                                "handler after restart", "runners returned: 1")));
}

// Two completions collected by one reactor run (two waits on one timer,
// due together) with two run threads: the thread that collected them runs
// the first and wakes the idle one for the second, so the first handler
// can wait for the second to start. A scheduler that leaves the second
// queued behind the first makes that wait fail.
TYPED_TEST_P(Interrupt, OneReactorRunsCompletionsWakeAnIdleThread) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto guard = make_work_guard(ctx);
        typename B::steady_timer t(
            ctx, std::chrono::steady_clock::now() + std::chrono::milliseconds(20));
        std::atomic<int> started{0}, finished{0};
        std::atomic<bool> other_started{false};
        auto handler = [&](const auto&) {
          if (started++ == 0)
            rec.record("the other handler started meanwhile: " + yes_no(wait_until(other_started)));
          else
            other_started = true;
          ++finished;
        };
        t.async_wait(handler);
        t.async_wait(handler);
        run_threads runners(ctx, 2, rec);
        wait_until([&] { return finished == 2; });
        guard.reset();
      },
      expect_labels(UnorderedElementsAre("runner 0 started", "runner 1 started",
                                         "the other handler started meanwhile: yes")));
}

REGISTER_TYPED_TEST_SUITE_P(Interrupt, PostWakesThreadBlockedInReactor,
                            PostWakesThreadWaitingWithoutReactor,
                            StopFromForeignThreadWakesEveryRunThread,
                            StopWakesThreadBlockedInReactor, WorkGuardResetFromForeignThreadEndsRun,
                            PostWhileAllThreadsIdleWakesExactlyOne,
                            ForeignPostsAllRunOnceInProducerOrder, RestartAfterForeignStopRunsAgain,
                            OneReactorRunsCompletionsWakeAnIdleThread);

}  // namespace conformance::interrupt
