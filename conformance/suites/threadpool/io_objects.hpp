// ThreadPool scenarios: I/O objects on the pool's executor. A thread_pool is
// an execution context like an io_context: timers, sockets and signal sets
// made on its executor have their handlers run on the pool's threads, and
// their pending operations are work that join() waits for. (twin threw
// std::bad_cast for each until its reactor could live in a pool.)
#pragma once

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/threadpool/suite.hpp"

namespace conformance::threadpool {

// A timer, and a read that completes when the pair's other end is written,
// all on the pool: each handler runs on a pool thread, and join() returns
// only after the last of them.
TYPED_TEST_P(ThreadPool, TimersAndSocketsRunTheirHandlersOnThePool) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        const auto ex = pool.get_executor();
        typename B::steady_timer timer(ex, std::chrono::milliseconds(1));
        typename B::local_stream::socket reader(ex), writer(ex);
        connect_pair(reader, writer);
        const std::string message = "hello";
        std::string received(message.size(), '-');
        std::atomic<int> on_pool{0};
        outcome waited, read, written;
        // Each handler counts itself before it fills its outcome, which
        // join() then publishes to this thread.
        timer.async_wait([&](const auto& ec) {
          on_pool += ex.running_in_this_thread();
          into(waited)(ec);
        });
        async_read(reader, B::buffer(received), [&](const auto& ec, std::size_t n) {
          on_pool += ex.running_in_this_thread();
          into(read)(ec, n);
        });
        async_write(writer, B::buffer(message), [&](const auto& ec, std::size_t n) {
          on_pool += ex.running_in_this_thread();
          into(written)(ec, n);
        });
        pool.join();
        record(rec, "timer", waited);
        record(rec, "read", read);
        record(rec, "write", written);
        rec.record("received " + received);
        rec.record("handlers on a pool thread: " + std::to_string(on_pool.load()));
      },
      expect_outcomes(ElementsAre("timer", "read 5B", "write 5B", "received hello",
                                  "handlers on a pool thread: 3")));
}

// A wait an hour long keeps join() waiting; a function on the pool that
// cancels it lets join() return, the wait aborted.
TYPED_TEST_P(ThreadPool, PendingWaitIsWorkJoinWaitsFor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        typename B::steady_timer timer(pool.get_executor(), std::chrono::hours(1));
        outcome waited;
        timer.async_wait(into(waited));
        post(pool, [&] { timer.cancel(); });
        pool.join();
        record(rec, "wait", waited);
      },
      expect_outcomes(ElementsAre("wait [ECANCELED]")));
}

// A signal set on the pool: the signal raised after the wait started is
// delivered to it on a pool thread.
TYPED_TEST_P(ThreadPool, SignalSetOnThePool) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::thread_pool pool(2);
        const auto ex = pool.get_executor();
        typename B::signal_set signals(ex, SIGUSR2);
        outcome delivered;
        int number = 0;
        bool on_pool = false;
        signals.async_wait([&](const auto& ec, int n) {
          on_pool = ex.running_in_this_thread();
          number = n;
          into(delivered)(ec);
        });
        std::raise(SIGUSR2);
        pool.join();
        record(rec, "signal", delivered);
        rec.record("SIGUSR2: " + yes_no(number == SIGUSR2) +
                   ", on a pool thread: " + yes_no(on_pool));
      },
      expect_outcomes(ElementsAre("signal", "SIGUSR2: yes, on a pool thread: yes")));
}

}  // namespace conformance::threadpool
