// Timer scenarios: in what order completions run — by deadline (armed out
// of order, with expires_at or expires_after), every wait on one timer in
// wait order, equal deadlines in each backend's own order, a periodic timer
// re-arming from its expiry, and 1000 timers each firing once, never early.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/timer/suite.hpp"

namespace conformance::timer {

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
          t.async_wait(recording(rec, "timer +" + std::to_string(ms) + "ms"));
        }
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t) {
        std::vector<std::string> fired;
        for (int ms = 1; ms <= 20; ++ms) fired.push_back("timer +" + std::to_string(ms) + "ms");
        EXPECT_THAT(outcomes(t),
                    ElementsAreArray(in_sequence(fired, at_least("run returned", 20))));
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
      expect_outcomes(ElementsAreArray(
          in_sequence(numbered("deadline rank", 20), at_least("run returned", 20)))));
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
          t.async_wait(recording(rec, "timer " + std::to_string(i)));
        }
        rec.record("run returned " + std::to_string(ctx.run()));
        // Three timers: the heap's order is arming order too.
        const auto second = steady::now() + 2ms;
        for (int i = 0; i < 3; ++i) {
          timers[i].expires_at(second);
          timers[i].async_wait(recording(rec, "second round " + std::to_string(i)));
        }
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
        // Three equal deadlines armed behind a later one (in twin they go to
        // the heap, not the sorted run): still arming order, then the later.
        const auto third = steady::now() + 2ms;
        timers[7].expires_at(third + 1ms);
        timers[7].async_wait(recording(rec, "later"));
        for (int i = 0; i < 3; ++i) {
          timers[i].expires_at(third);
          timers[i].async_wait(recording(rec, "third round " + std::to_string(i)));
        }
        ctx.restart();
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      [](const trace& t, std::string_view backend) {
        const std::vector<int> first_round = backend == "twin"
                                                 ? std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}
                                                 : std::vector<int>{0, 2, 6, 5, 7, 4, 1, 3};
        std::vector<std::string> first;
        for (const int i : first_round) first.push_back("timer " + std::to_string(i));
        EXPECT_THAT(outcomes(t),
                    ElementsAreArray(
                        in_sequence(first, at_least("run returned", 8), numbered("second round", 3),
                                    at_least("run returned", 3), numbered("third round", 3),
                                    "later", at_least("run returned", 4))));
      });
}

TYPED_TEST_P(Timer, EveryWaitOnOneTimerCompletesInWaitOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer t(ctx, 2ms);
        for (int i = 0; i < 4; ++i) t.async_wait(recording(rec, "wait " + std::to_string(i)));
        rec.record("run returned " + std::to_string(ctx.run()));
      },
      expect_outcomes(
          ElementsAre("wait 0", "wait 1", "wait 2", "wait 3", at_least("run returned", 4))));
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
        std::vector<std::string> ticks;
        for (int i = 0; i < 10; ++i) {
          ticks.push_back("tick " + std::to_string(i));
          if (i < 9) ticks.push_back("re-arm cancelled 0");
        }
        EXPECT_THAT(outcomes(t),
                    ElementsAreArray(in_sequence(ticks, at_least("run returned", 10))));
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
      expect_outcomes(ElementsAre(at_least("run returned", 1000), "fired once: 1000",
                                  "out of deadline order: 0", "before expiry: 0", "errors: 0")));
}

// 1000 timers with distinct deadlines already past, armed in a scrambled
// order, then every third cancelled before run(): each cancellation takes
// an entry out of the middle of the timer heap, and the entry moved into
// the hole may belong above it. The cancelled waits complete first (they
// were queued at cancel time); the rest, all due at once, complete in
// deadline order.
TYPED_TEST_P(Timer, CancellingFromTheMiddleKeepsDeadlineOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr int n = 1000;
        typename B::io_context ctx;
        std::deque<typename B::steady_timer> timers;
        int fired = 0, aborted = 0, out_of_order = 0, aborted_late = 0;
        steady::time_point last{};
        const auto base = steady::now() - std::chrono::hours(1);
        for (int i = 0; i < n; ++i) {
          auto& t = timers.emplace_back(ctx);
          t.expires_at(base + std::chrono::microseconds((i * 389 % n) * 10));
          t.async_wait([&, i](const typename B::error_code& ec) {
            if (ec) {
              ++aborted;
              if (fired > 0) ++aborted_late;
              return;
            }
            if (timers[i].expiry() < last) ++out_of_order;
            last = timers[i].expiry();
            ++fired;
          });
        }
        for (int i = 0; i < n; i += 3) timers[i].cancel();
        ctx.run();
        rec.record("fired " + std::to_string(fired) + ", aborted " + std::to_string(aborted));
        rec.record("out of deadline order: " + std::to_string(out_of_order));
        rec.record("aborted after a firing: " + std::to_string(aborted_late));
      },
      expect_outcomes(ElementsAre("fired 666, aborted 334", "out of deadline order: 0",
                                  "aborted after a firing: 0")));
}

}  // namespace conformance::timer
