// Conformance category Timer: steady_timer on the io_context — in what order
// completions run (by deadline; equal deadlines in Asio's heap order), what
// cancel/cancel_one/expires_at/expires_after return and how the waits they
// abort complete, that an expired timer completes through the queue, that a
// timer wakes a blocked run() (also one armed from a foreign thread), the
// synchronous wait(), expiry(), strand-bound completions, a periodic timer,
// 1000 timers, stop/restart, two io_contexts, time_point::max(), poll and
// run_one with timers, moving and destroying a timer with a pending wait.
//
// No scenario measures time. Timers are ordered by deadlines that are
// distinct by at least 1 ms, or identical by construction, and each trace
// records per-completion labels whose order those deadlines fix, never how
// many completions one reactor wake-up happened to collect.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/destruction_witness.hpp"
#include "conformance/kernel_probe.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"

namespace conformance::timer {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

template <typename Backend>
class Timer : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Timer);

inline std::string yes_no(bool b) { return b ? "yes" : "no"; }

// A wait handler recording `label` with the operation's error.
template <typename B>
auto completes(recorder& rec, std::string label) {
  return [&rec, label = std::move(label)](const typename B::error_code& ec) {
    rec.completion(label, ec);
  };
}

// Each event as "label" or "label [ERROR]": order and errors, not threads.
inline std::vector<std::string> outcomes(const trace& t) {
  std::vector<std::string> out;
  for (const event& e : t) out.push_back(e.error.empty() ? e.what : e.what + " [" + e.error + "]");
  return out;
}

// Whether `actual` matches `expected`. An expected "X >= N" accepts "X M" for
// any M >= N: Asio's io_uring backend counts its own timeout operations as
// handlers in what run/run_one/poll return, so the properties only require
// at least our handlers; twin's exact count is compared with Asio on epoll.
inline bool matches(const std::string& actual, const std::string& expected) {
  const auto at = expected.find(" >= ");
  if (at == std::string::npos) return actual == expected;
  const std::string prefix = expected.substr(0, at + 1);
  if (actual.rfind(prefix, 0) != 0) return false;
  const std::string number = actual.substr(prefix.size());
  if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) return false;
  return std::stoul(number) >= std::stoul(expected.substr(at + 4));
}

inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "  " + line + "\n";
  return out;
}

// The trace's outcomes match `expected` one for one (see matches()).
inline void expect_outcomes(const trace& t, const std::vector<std::string>& expected) {
  const std::vector<std::string> actual = outcomes(t);
  bool equal = actual.size() == expected.size();
  for (std::size_t i = 0; equal && i < actual.size(); ++i) equal = matches(actual[i], expected[i]);
  EXPECT_TRUE(equal) << "expected:\n" << joined(expected) << "observed:\n" << joined(actual);
}

// Waits (bounded) for `done`; records `label` if it never came.
inline void wait_or_record(std::future<void> done, recorder& rec, const std::string& label) {
  if (done.wait_for(std::chrono::seconds(20)) != std::future_status::ready) rec.record(label);
}

TYPED_TEST_P(Timer, CompletionsRunInDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        // Offsets 1..20 ms, armed out of order against one base time.
        const int offsets[] = {7,  3, 12, 1, 20, 9, 15, 2,  18, 5,
                               11, 4, 16, 8, 19, 6, 14, 10, 17, 13};
        const auto base = steady::now();
        std::deque<typename B::steady_timer> timers;
        for (const int ms : offsets) {
          auto& t = timers.emplace_back(ctx);
          t.expires_at(base + std::chrono::milliseconds(ms));
          t.async_wait(completes<B>(rec, "timer +" + std::to_string(ms) + "ms"));
        }
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        std::vector<std::string> expected;
        for (int ms = 1; ms <= 20; ++ms) expected.push_back("timer +" + std::to_string(ms) + "ms");
        expected.push_back("run returned >= 20");
        expect_outcomes(t, expected);
      });
}

// expires_after reads the clock per call, so the deadlines are ranked by
// the expiry() each timer really got (normally the offsets' order, but a
// preemption while arming cannot make the trace differ).
TYPED_TEST_P(Timer, ExpiresAfterTimersRunInDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const int offsets[] = {9,  2, 14, 5, 1,  17, 11, 4,  20, 7,
                               13, 3, 19, 6, 16, 10, 8,  18, 12, 15};
        constexpr std::size_t n = std::size(offsets);
        std::deque<typename B::steady_timer> timers;
        std::vector<std::size_t> rank(n);
        for (std::size_t i = 0; i < n; ++i) {
          auto& t = timers.emplace_back(ctx);
          t.expires_after(std::chrono::milliseconds(offsets[i]));
          t.async_wait([&rec, &rank, i](const typename B::error_code& ec) {
            rec.completion("deadline rank " + std::to_string(rank[i]), ec);
          });
        }
        std::vector<std::size_t> by_expiry(n);
        std::iota(by_expiry.begin(), by_expiry.end(), std::size_t{0});
        std::stable_sort(by_expiry.begin(), by_expiry.end(), [&](std::size_t a, std::size_t b) {
          return timers[a].expiry() < timers[b].expiry();
        });
        for (std::size_t r = 0; r < n; ++r) rank[by_expiry[r]] = r;
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        std::vector<std::string> expected;
        for (int r = 0; r < 20; ++r) expected.push_back("deadline rank " + std::to_string(r));
        expected.push_back("run returned >= 20");
        expect_outcomes(t, expected);
      });
}

// Equal deadlines: Asio's documentation does not say in which order they
// complete, and the two backends choose differently, so the traces are not
// compared. Asio's timer queue is a binary heap compared with a strict
// less-than; each expired timer is popped from the top and the last entry
// sifted down, swapping with the right child on ties: 8 timers armed 0..7
// with one time_point complete 0 2 6 5 7 4 1 3 (on epoll and io_uring alike,
// every run). twin breaks ties by arming order (libuv's rule), so they
// complete 0..7.
TYPED_TEST_P(Timer, EqualDeadlinesOrderIsEachBackendsOwn) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto deadline = steady::now() + 2ms;
        std::deque<typename B::steady_timer> timers;
        for (int i = 0; i < 8; ++i) {
          auto& t = timers.emplace_back(ctx);
          t.expires_at(deadline);
          t.async_wait(completes<B>(rec, "timer " + std::to_string(i)));
        }
        rec.record("run returned " + std::to_string(ctx.run()));
        // Three timers: the heap's order is arming order too.
        const auto second = steady::now() + 2ms;
        for (int i = 0; i < 3; ++i) {
          timers[i].expires_at(second);
          timers[i].async_wait(completes<B>(rec, "second round " + std::to_string(i)));
        }
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t, std::string_view backend) {
        const std::vector<std::string> first_round =
            backend == "twin" ? std::vector<std::string>{"timer 0", "timer 1", "timer 2",
                                                         "timer 3", "timer 4", "timer 5",
                                                         "timer 6", "timer 7"}
                              : std::vector<std::string>{"timer 0", "timer 2", "timer 6",
                                                         "timer 5", "timer 7", "timer 4",
                                                         "timer 1", "timer 3"};
        std::vector<std::string> expected = first_round;
        for (const char* rest : {"run returned >= 8", "second round 0", "second round 1",
                                 "second round 2", "run returned >= 3"})
          expected.emplace_back(rest);
        expect_outcomes(t, expected);
      });
}

TYPED_TEST_P(Timer, EveryWaitOnOneTimerCompletesInWaitOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(2ms);
        for (int i = 0; i < 4; ++i) t.async_wait(completes<B>(rec, "wait " + std::to_string(i)));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"wait 0", "wait 1", "wait 2", "wait 3",
                                                     "run returned >= 4"}));
      });
}

TYPED_TEST_P(Timer, CancelAbortsEveryPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(1h);
        for (int i = 0; i < 3; ++i) t.async_wait(completes<B>(rec, "wait " + std::to_string(i)));
        rec.record("cancel returned " + std::to_string(t.cancel()));
        rec.record("cancel again returned " + std::to_string(t.cancel()));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"cancel returned 3", "cancel again returned 0",
                                                     "wait 0 [ECANCELED]", "wait 1 [ECANCELED]",
                                                     "wait 2 [ECANCELED]", "run returned >= 3"}));
      });
}

TYPED_TEST_P(Timer, CancelWithoutWaitsReturnsZero) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer fresh(ctx);
        rec.record("fresh timer: cancel returned " + std::to_string(fresh.cancel()));
        rec.record("fresh timer: cancel_one returned " + std::to_string(fresh.cancel_one()));
        typename B::steady_timer armed(ctx);
        armed.expires_after(1h);
        rec.record("armed, no wait: cancel returned " + std::to_string(armed.cancel()));
        typename B::steady_timer fired(ctx);
        fired.expires_after(1ms);
        fired.async_wait(completes<B>(rec, "fired"));
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("after it fired: cancel returned " + std::to_string(fired.cancel()));
        rec.record("after it fired: cancel_one returned " + std::to_string(fired.cancel_one()));
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{
                   "fresh timer: cancel returned 0", "fresh timer: cancel_one returned 0",
                   "armed, no wait: cancel returned 0", "fired", "run returned >= 1",
                   "after it fired: cancel returned 0", "after it fired: cancel_one returned 0",
                   "run returned 0"}));
      });
}

TYPED_TEST_P(Timer, CancelOneAbortsOnlyTheOldestWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(2ms);
        for (int i = 0; i < 3; ++i) t.async_wait(completes<B>(rec, "wait " + std::to_string(i)));
        rec.record("cancel_one returned " + std::to_string(t.cancel_one()));
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("cancel_one with no wait returned " + std::to_string(t.cancel_one()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"cancel_one returned 1", "wait 0 [ECANCELED]",
                                                     "wait 1", "wait 2", "run returned >= 3",
                                                     "cancel_one with no wait returned 0"}));
      });
}

// A cancelled wait's completion is queued at cancel() time, behind what was
// posted before and ahead of what is posted after.
TYPED_TEST_P(Timer, CancelledWaitIsQueuedAtCancelTime) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(1h);
        post(ctx, [&] { rec.record("posted a"); });
        t.async_wait(completes<B>(rec, "wait"));
        post(ctx, [&] { rec.record("posted b"); });
        t.cancel();
        post(ctx, [&] { rec.record("posted c"); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"posted a", "posted b", "wait [ECANCELED]",
                                                     "posted c", "run returned >= 4"}));
      });
}

// Inside a handler, Asio hands a cancelled wait to the shared queue like a
// post (a defer waits in the thread's private queue, so it comes last);
// with concurrency hint 1 all three go to the private queue in program order.
TYPED_TEST_P(Timer, CancelInsideHandlerQueuesLikeAPost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for (const int hint : {0, 1}) {
          auto ctx = hint ? std::make_unique<typename B::io_context>(1)
                          : std::make_unique<typename B::io_context>();
          typename B::steady_timer t(*ctx);
          t.expires_after(1h);
          t.async_wait(completes<B>(rec, "wait"));
          post(*ctx, [&] {
            rec.record(hint ? "hint 1: handler" : "default hint: handler");
            defer(*ctx, [&] { rec.record("deferred"); });
            t.cancel();
            post(*ctx, [&] { rec.record("posted"); });
          });
          ctx->run();
        }
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"default hint: handler", "wait [ECANCELED]",
                                                     "posted", "deferred", "hint 1: handler",
                                                     "deferred", "wait [ECANCELED]", "posted"}));
      });
}

TYPED_TEST_P(Timer, ExpiresAfterOnPendingTimerAbortsItsWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(1h);
        t.async_wait(completes<B>(rec, "old wait 0"));
        t.async_wait(completes<B>(rec, "old wait 1"));
        rec.record("expires_after returned " + std::to_string(t.expires_after(2ms)));
        t.async_wait(completes<B>(rec, "new wait"));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{
                               "expires_after returned 2", "old wait 0 [ECANCELED]",
                               "old wait 1 [ECANCELED]", "new wait", "run returned >= 3"}));
      });
}

TYPED_TEST_P(Timer, ExpiresAtOnPendingTimerAbortsItsWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(1h);
        t.async_wait(completes<B>(rec, "old wait"));
        rec.record("expires_at returned " + std::to_string(t.expires_at(steady::now() + 2ms)));
        t.async_wait(completes<B>(rec, "new wait"));
        typename B::steady_timer idle(ctx, 1h);
        rec.record("expires_at without waits returned " +
                   std::to_string(idle.expires_at(steady::now() + 1ms)));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{
                               "expires_at returned 1", "expires_at without waits returned 0",
                               "old wait [ECANCELED]", "new wait", "run returned >= 2"}));
      });
}

// Once a timer has expired its completion is queued: cancel() or re-arming
// from a handler that runs first finds nothing to cancel, and the queued
// completion still reports success.
TYPED_TEST_P(Timer, CancelAfterExpiryDoesNotAbortQueuedCompletion) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer first(ctx), second(ctx), third(ctx);
        const auto deadline = steady::now() + 2ms;
        for (auto* t : {&first, &second, &third}) t->expires_at(deadline);
        first.async_wait([&](const typename B::error_code& ec) {
          rec.completion("first", ec);
          rec.record("cancel second returned " + std::to_string(second.cancel()));
          rec.record("expires_after on third returned " + std::to_string(third.expires_after(1h)));
        });
        second.async_wait(completes<B>(rec, "second"));
        third.async_wait(completes<B>(rec, "third"));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"first", "cancel second returned 0",
                                                     "expires_after on third returned 0", "second",
                                                     "third", "run returned >= 3"}));
      });
}

// A timer already expired when async_wait is called still completes through
// the queue: never inside async_wait, and behind handlers already queued.
TYPED_TEST_P(Timer, ExpiredTimerCompletesThroughTheQueue) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_at(steady::now() - 1s);
        post(ctx, [&] { rec.record("posted before"); });
        t.async_wait(completes<B>(rec, "expired wait"));
        rec.record("async_wait returned");
        post(ctx, [&] { rec.record("posted after"); });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        // The expired wait is collected by the reactor task, which was
        // queued (first) when the timer was created: its completion goes
        // behind both posts.
        expect_outcomes(
            t, (std::vector<std::string>{"async_wait returned", "posted before", "posted after",
                                         "expired wait", "run returned >= 3"}));
      });
}

// run() with nothing but a pending timer blocks until it fires, then returns.
TYPED_TEST_P(Timer, PendingTimerKeepsRunBlockedUntilItFires) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        t.expires_after(5ms);
        t.async_wait([&](const typename B::error_code& ec) {
          rec.completion("timer fired", ec);
          rec.record("at or after its expiry: " + yes_no(steady::now() >= t.expiry()));
        });
        rec.record("run begins");
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"run begins", "timer fired", "at or after its expiry: yes",
                                         "run returned >= 1", "stopped"}));
        EXPECT_EQ(t[position(t, "timer fired")].thread, 0);
      });
}

// A run thread is blocked in the reactor with no timer at all; a timer armed
// from a foreign thread must reach it and complete on it.
TYPED_TEST_P(Timer, TimerArmedFromForeignThreadWakesBlockedRunThread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        B::start_reactor(ctx);
        typename B::steady_timer t(ctx);
        auto guard = make_work_guard(ctx);
        run_threads runners(ctx, 1, rec);
        rec.record(kernel_probe::wait_until_blocked(runners.tid(0), B::reactor_wait_syscalls)
                       ? "runner blocked in reactor"
                       : "runner never blocked in reactor");
        std::promise<void> fired;
        t.expires_after(1ms);
        t.async_wait([&](const typename B::error_code& ec) {
          rec.completion("timer fired", ec);
          fired.set_value();
        });
        wait_or_record(fired.get_future(), rec, "timer never fired");
        guard.reset();
        runners.join();
        rec.record("runners returned: " + std::to_string(runners.returned()));
      },
      [](const trace& t) {
        expect_outcomes(t,
                        (std::vector<std::string>{"runner 0 started", "runner blocked in reactor",
                                                  "timer fired", "runners returned: 1"}));
        EXPECT_EQ(t[position(t, "timer fired")].thread, t[0].thread)
            << "the completion must run on the woken runner";
      });
}

TYPED_TEST_P(Timer, DestroyingTimerAbortsItsPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        {
          typename B::steady_timer t(ctx);
          t.expires_after(1h);
          t.async_wait(completes<B>(rec, "wait"));
        }
        rec.record("timer destroyed");
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"timer destroyed", "wait [ECANCELED]",
                                                     "run returned >= 1"}));
      });
}

// The wait aborted by the timer's destructor is queued; destroying the
// io_context then destroys that handler without invoking it.
TYPED_TEST_P(Timer, DestroyingContextDestroysAbortedWaitWithoutInvoking) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        {
          typename B::io_context ctx;
          {
            typename B::steady_timer t(ctx);
            t.expires_after(1h);
            t.async_wait([&rec, w = destruction_witness(rec, "wait")](
                             const typename B::error_code& ec) { rec.completion("wait", ec); });
          }
          rec.record("timer destroyed");
        }
        rec.record("io_context destroyed");
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"timer destroyed", "destroyed wait",
                                                     "io_context destroyed"}));
      });
}

TYPED_TEST_P(Timer, MovedTimerKeepsItsPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto expiry = steady::now() + 1h;
        typename B::steady_timer from(ctx, expiry);
        from.async_wait(completes<B>(rec, "wait"));
        typename B::steady_timer to(std::move(from));
        rec.record("moved-to expiry kept: " + yes_no(to.expiry() == expiry));
        rec.record("moved-to cancel returned " + std::to_string(to.cancel()));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"moved-to expiry kept: yes", "moved-to cancel returned 1",
                                         "wait [ECANCELED]", "run returned >= 1"}));
      });
}

TYPED_TEST_P(Timer, SynchronousWaitReturnsAfterExpiry) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 3ms);
        t.wait();
        rec.record("wait() returned at or after expiry: " + yes_no(steady::now() >= t.expiry()));
        typename B::error_code ec;
        t.expires_after(2ms);
        t.wait(ec);
        rec.completion(
            "wait(ec) returned at or after expiry: " + yes_no(steady::now() >= t.expiry()), ec);
        t.expires_at(steady::now() - 1h);
        t.wait();
        rec.record("wait() on an expired timer returned");
        // A synchronous wait is not work for the io_context.
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"wait() returned at or after expiry: yes",
                                         "wait(ec) returned at or after expiry: yes",
                                         "wait() on an expired timer returned", "run returned 0"}));
      });
}

// Asio: a default-constructed timer's expiry is the clock's epoch, and
// expires_after(duration::max()) saturates to time_point::max().
TYPED_TEST_P(Timer, ExpiryReportsWhatWasSet) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx);
        rec.record("default expiry is the epoch: " + yes_no(t.expiry() == steady::time_point{}));
        rec.record("executor is the context's: " + yes_no(t.get_executor() == ctx.get_executor()));
        const auto at = steady::now() + 1234ms;
        t.expires_at(at);
        rec.record("expires_at: " + yes_no(t.expiry() == at));
        const auto before = steady::now();
        t.expires_after(5s);
        const auto after = steady::now();
        rec.record("expires_after: " +
                   yes_no(t.expiry() >= before + 5s && t.expiry() <= after + 5s));
        t.expires_after(steady::duration::max());
        rec.record("expires_after(max) saturates: " +
                   yes_no(t.expiry() == steady::time_point::max()));
        typename B::steady_timer at_ctor(ctx, at);
        rec.record("time_point constructor: " + yes_no(at_ctor.expiry() == at));
        const auto before_ctor = steady::now();
        typename B::steady_timer after_ctor(ctx, 5s);
        const auto after_ctor_done = steady::now();
        rec.record("duration constructor: " + yes_no(after_ctor.expiry() >= before_ctor + 5s &&
                                                     after_ctor.expiry() <= after_ctor_done + 5s));
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{
                   "default expiry is the epoch: yes", "executor is the context's: yes",
                   "expires_at: yes", "expires_after: yes", "expires_after(max) saturates: yes",
                   "time_point constructor: yes", "duration constructor: yes"}));
      });
}

// A wait on time_point::max() (or expires_after(duration::max())) never
// fires but keeps run() going until it is cancelled.
TYPED_TEST_P(Timer, TimerAtTimePointMaxWaitsUntilCancelled) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer forever(ctx, steady::time_point::max());
        typename B::steady_timer saturated(ctx);
        saturated.expires_after(steady::duration::max());
        typename B::steady_timer soon(ctx, 2ms);
        forever.async_wait(completes<B>(rec, "forever"));
        saturated.async_wait(completes<B>(rec, "saturated"));
        soon.async_wait([&](const typename B::error_code& ec) {
          rec.completion("soon", ec);
          rec.record("cancel forever returned " + std::to_string(forever.cancel()));
          rec.record("cancel saturated returned " + std::to_string(saturated.cancel()));
        });
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"soon", "cancel forever returned 1",
                                         "cancel saturated returned 1", "forever [ECANCELED]",
                                         "saturated [ECANCELED]", "run returned >= 3"}));
      });
}

TYPED_TEST_P(Timer, StrandBoundCompletionRunsInTheStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        const auto base = steady::now();
        typename B::steady_timer bound(ctx, base + 1ms), plain(ctx, base + 2ms);
        typename B::steady_timer cancelled(ctx, base + 1h);
        bound.async_wait(bind_executor(strand, [&](const typename B::error_code& ec) {
          rec.completion("bound, in strand " + yes_no(strand.running_in_this_thread()), ec);
        }));
        plain.async_wait([&](const typename B::error_code& ec) {
          rec.completion("plain, in strand " + yes_no(strand.running_in_this_thread()), ec);
          cancelled.cancel();
        });
        cancelled.async_wait(bind_executor(strand, [&](const typename B::error_code& ec) {
          rec.completion("cancelled, in strand " + yes_no(strand.running_in_this_thread()), ec);
        }));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"bound, in strand yes", "plain, in strand no",
                                                     "cancelled, in strand yes [ECANCELED]",
                                                     "run returned >= 3"}));
      });
}

// 200 strand-bound timers completing on four run threads: never two
// completions in the strand at once, each inside it, each exactly once.
TYPED_TEST_P(Timer, StrandBoundCompletionsNeverOverlapOnFourThreads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int n = 200;
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        auto guard = make_work_guard(ctx);
        std::deque<typename B::steady_timer> timers;
        for (int i = 0; i < n; ++i) timers.emplace_back(ctx);
        std::atomic<int> in_flight{0}, most{0}, outside{0}, errors{0};
        int fired = 0;  // touched only inside the strand
        std::promise<void> all_fired;
        run_threads runners(ctx, 4, rec);
        const auto base = steady::now();
        for (int i = 0; i < n; ++i) {
          timers[i].expires_at(base + std::chrono::milliseconds(1 + i % 10));
          timers[i].async_wait(bind_executor(strand, [&](const typename B::error_code& ec) {
            const int now = ++in_flight;
            for (int seen = most; now > seen && !most.compare_exchange_weak(seen, now);) {
            }
            if (!strand.running_in_this_thread()) ++outside;
            if (ec) ++errors;
            for (int k = 0; k < 20; ++k) std::this_thread::yield();
            --in_flight;
            if (++fired == n) all_fired.set_value();
          }));
        }
        wait_or_record(all_fired.get_future(), rec, "not every timer fired");
        guard.reset();
        runners.join();
        rec.record("fired: " + std::to_string(fired));
        rec.record("most in flight: " + std::to_string(most.load()));
        rec.record("outside the strand: " + std::to_string(outside.load()));
        rec.record("errors: " + std::to_string(errors.load()));
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"runner 0 started", "runner 1 started", "runner 2 started",
                                         "runner 3 started", "fired: 200", "most in flight: 1",
                                         "outside the strand: 0", "errors: 0"}));
      });
}

// A periodic timer: each completion advances the expiry by 1 ms from the
// previous one (not from now) and waits again.
TYPED_TEST_P(Timer, PeriodicTimerReArmsItself) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int ticks = 10;
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1ms);
        int tick = 0;
        std::function<void(const typename B::error_code&)> on_tick =
            [&](const typename B::error_code& ec) {
              rec.completion("tick " + std::to_string(tick), ec);
              if (++tick == ticks) return;
              rec.record("re-arm cancelled " + std::to_string(t.expires_at(t.expiry() + 1ms)));
              t.async_wait(on_tick);
            };
        t.async_wait(on_tick);
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        std::vector<std::string> expected;
        for (int i = 0; i < 10; ++i) {
          expected.push_back("tick " + std::to_string(i));
          if (i < 9) expected.push_back("re-arm cancelled 0");
        }
        expected.push_back("run returned >= 10");
        expect_outcomes(t, expected);
      });
}

// 1000 timers with distinct deadlines spread over 10 ms, armed in a
// scrambled order: each fires once, never before its expiry, and in
// non-decreasing expiry order. Only the summary is recorded.
TYPED_TEST_P(Timer, ThousandTimersFireOnceInDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int n = 1000;
        typename B::io_context ctx;
        std::deque<typename B::steady_timer> timers;
        std::vector<int> fired_count(n, 0);
        int out_of_order = 0, early = 0, errors = 0;
        steady::time_point last{};
        const auto base = steady::now() + 2ms;
        for (int i = 0; i < n; ++i) {
          auto& t = timers.emplace_back(ctx);
          // 389 is prime to 1000: the slots 0..999 are visited scrambled.
          t.expires_at(base + std::chrono::microseconds((i * 389 % n) * 10));
          t.async_wait([&, i](const typename B::error_code& ec) {
            const auto expiry = timers[i].expiry();
            if (steady::now() < expiry) ++early;
            if (expiry < last) ++out_of_order;
            last = expiry;
            if (ec) ++errors;
            ++fired_count[i];
          });
        }
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("fired once: " +
                   std::to_string(std::count(fired_count.begin(), fired_count.end(), 1)));
        rec.record("out of deadline order: " + std::to_string(out_of_order));
        rec.record("before expiry: " + std::to_string(early));
        rec.record("errors: " + std::to_string(errors));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"run returned >= 1000", "fired once: 1000",
                                                     "out of deadline order: 0", "before expiry: 0",
                                                     "errors: 0"}));
      });
}

// stop() leaves a pending timer pending (its handler is neither run nor
// aborted); after restart() the next run() completes it normally.
TYPED_TEST_P(Timer, StopLeavesTimerPendingAndRestartCompletesIt) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 5ms);
        t.async_wait(completes<B>(rec, "timer"));
        post(ctx, [&] {
          rec.record("stopper");
          ctx.stop();
        });
        rec.record("run returned " + std::to_string(ctx.run()));
        rec.record("run while stopped returned " + std::to_string(ctx.run()));
        ctx.restart();
        rec.record("run after restart returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        expect_outcomes(t, (std::vector<std::string>{"stopper", "run returned >= 1",
                                                     "run while stopped returned 0", "timer",
                                                     "run after restart returned >= 1"}));
      });
}

// Each io_context runs only its own timers: running `a` (whose timer is
// later) neither runs nor cancels `b`'s earlier one.
TYPED_TEST_P(Timer, TimersOfTwoContextsDoNotInterfere) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context a, b;
        const auto base = steady::now();
        typename B::steady_timer on_a(a, base + 2ms), on_b(b, base + 1ms);
        typename B::steady_timer later_on_b(b, base + 1h);
        on_a.async_wait(completes<B>(rec, "timer on a"));
        on_b.async_wait(completes<B>(rec, "timer on b"));
        later_on_b.async_wait(completes<B>(rec, "later timer on b"));
        rec.record("a.run returned " + std::to_string(a.run()));
        rec.record("cancel on a's timer returned " + std::to_string(on_a.cancel()));
        rec.record("cancel later timer on b returned " + std::to_string(later_on_b.cancel()));
        rec.record("b.run returned " + std::to_string(b.run()));
      },
      [](const trace& t) {
        expect_outcomes(t,
                        (std::vector<std::string>{
                            "timer on a", "a.run returned >= 1", "cancel on a's timer returned 0",
                            "cancel later timer on b returned 1", "later timer on b [ECANCELED]",
                            "timer on b", "b.run returned >= 2"}));
      });
}

// poll() never waits for a pending timer, yet the timer is work: the context
// does not stop until its (cancelled) wait has completed.
TYPED_TEST_P(Timer, PollDoesNotWaitForAPendingTimer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 1h);
        t.async_wait(completes<B>(rec, "wait"));
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
        rec.record("cancel returned " + std::to_string(t.cancel()));
        rec.record("poll returned " + std::to_string(ctx.poll()));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"poll returned >= 0", "not stopped", "cancel returned 1",
                                         "wait [ECANCELED]", "poll returned >= 1", "stopped"}));
      });
}

// run_one() runs one completion even when one reactor wake-up collected
// several expired timers; the others wait for the next run_one(). (On
// io_uring Asio's run_one may also return 1 after running only its own
// timeout operation: such calls are counted, not recorded.)
TYPED_TEST_P(Timer, RunOneRunsOneTimerCompletionAtATime) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto base = steady::now();
        typename B::steady_timer a(ctx, base + 2ms), b(ctx, base + 2ms), c(ctx, base + 3ms);
        int ours = 0, most = 0, without_ours = 0;
        for (auto [t, label] : {std::pair{&a, "a"}, {&b, "b"}, {&c, "c"}})
          t->async_wait([&rec, &ours, label](const typename B::error_code& ec) {
            rec.completion(label, ec);
            ++ours;
          });
        for (int call = 0; call < 1000; ++call) {
          const int before = ours;
          const std::size_t n = ctx.run_one();
          most = std::max(most, ours - before);
          if (n == 0) {
            rec.record("run_one returned 0");
            break;
          }
          if (ours == before)
            ++without_ours;
          else
            rec.record("run_one returned " + std::to_string(n));
        }
        rec.record("most of our handlers in one run_one: " + std::to_string(most));
        rec.record("run_one calls that ran none of ours: " + std::to_string(without_ours));
        rec.record(ctx.stopped() ? "stopped" : "not stopped");
      },
      [](const trace& t) {
        expect_outcomes(
            t, (std::vector<std::string>{"a", "run_one returned 1", "b", "run_one returned 1", "c",
                                         "run_one returned 1", "run_one returned 0",
                                         "most of our handlers in one run_one: 1",
                                         "run_one calls that ran none of ours: >= 0", "stopped"}));
      });
}

REGISTER_TYPED_TEST_SUITE_P(
    Timer, CompletionsRunInDeadlineOrder, ExpiresAfterTimersRunInDeadlineOrder,
    EqualDeadlinesOrderIsEachBackendsOwn, EveryWaitOnOneTimerCompletesInWaitOrder,
    CancelAbortsEveryPendingWait, CancelWithoutWaitsReturnsZero, CancelOneAbortsOnlyTheOldestWait,
    CancelledWaitIsQueuedAtCancelTime, CancelInsideHandlerQueuesLikeAPost,
    ExpiresAfterOnPendingTimerAbortsItsWaits, ExpiresAtOnPendingTimerAbortsItsWaits,
    CancelAfterExpiryDoesNotAbortQueuedCompletion, ExpiredTimerCompletesThroughTheQueue,
    PendingTimerKeepsRunBlockedUntilItFires, TimerArmedFromForeignThreadWakesBlockedRunThread,
    DestroyingTimerAbortsItsPendingWait, DestroyingContextDestroysAbortedWaitWithoutInvoking,
    MovedTimerKeepsItsPendingWait, SynchronousWaitReturnsAfterExpiry, ExpiryReportsWhatWasSet,
    TimerAtTimePointMaxWaitsUntilCancelled, StrandBoundCompletionRunsInTheStrand,
    StrandBoundCompletionsNeverOverlapOnFourThreads, PeriodicTimerReArmsItself,
    ThousandTimersFireOnceInDeadlineOrder, StopLeavesTimerPendingAndRestartCompletesIt,
    TimersOfTwoContextsDoNotInterfere, PollDoesNotWaitForAPendingTimer,
    RunOneRunsOneTimerCompletionAtATime);

}  // namespace conformance::timer
