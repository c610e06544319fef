// Executor scenarios: I/O objects on a strand — every I/O object's default
// executor is any_io_executor; get_executor() gives back the strand (or the
// context's executor) it was made on; a timer's, a socket's, a signal_set's
// and a stream_descriptor's handlers run inside that strand, a composed
// read's and write's final handlers too; a handler bound to another strand
// runs there instead; a timer moved into a vector keeps its strand; two
// timers of one strand due together complete in the order they were started.
#pragma once

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <string>
#include <type_traits>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/scenario.hpp"
#include "suites/executor/suite.hpp"

namespace conformance::executor {

// tcp::socket, tcp::acceptor, tcp::resolver, steady_timer, signal_set and
// posix::stream_descriptor all have any_io_executor as their executor_type.
TYPED_TEST_P(Executor, IoObjectsDefaultToAnyIoExecutor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        const auto is_any = [&rec]<class Object>(const std::string& name) {
          rec.record(name + ": " + yes_no(std::is_same_v<typename Object::executor_type, any>));
        };
        is_any.template operator()<typename B::tcp::socket>("socket");
        is_any.template operator()<typename B::tcp::acceptor>("acceptor");
        is_any.template operator()<typename B::tcp::resolver>("resolver");
        is_any.template operator()<typename B::steady_timer>("steady_timer");
        is_any.template operator()<typename B::signal_set>("signal_set");
        is_any.template operator()<typename B::stream_descriptor>("stream_descriptor");
      },
      expect_labels(ElementsAre("socket: yes", "acceptor: yes", "resolver: yes",
                                "steady_timer: yes", "signal_set: yes", "stream_descriptor: yes")));
}

// A timer made on a strand reports that strand: equal to an
// any_io_executor holding a copy of it, its target() the strand, and not
// equal to the context's own executor.
TYPED_TEST_P(Executor, TimerOnAStrandReportsThatStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::steady_timer timer(strand);
        using any = typename B::any_io_executor;
        const any ex = timer.get_executor();
        const auto* target = ex.template target<strand_of_context<B>>();
        rec.record("equals the strand: " + yes_no(ex == any(strand)));
        rec.record("target is the strand: " + yes_no(target && *target == strand));
        rec.record("equals the context's executor: " + yes_no(ex == any(ctx.get_executor())));
      },
      expect_labels(ElementsAre("equals the strand: yes", "target is the strand: yes",
                                "equals the context's executor: no")));
}

// A timer on the context's executor: get_executor() is that executor, and
// its handler runs where the executor's running_in_this_thread() holds.
TYPED_TEST_P(Executor, TimerOnTheContextRunsOnTheContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::steady_timer timer(ctx);
        const auto* target =
            timer.get_executor().template target<typename B::io_context::executor_type>();
        rec.record("target is the context's executor: " +
                   yes_no(target && *target == ctx.get_executor()));
        timer.async_wait([&](const auto& ec) {
          rec.record("wait: in context " + yes_no(ctx.get_executor().running_in_this_thread()),
                     error_name(ec));
        });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("target is the context's executor: yes", "wait: in context yes")));
}

// A timer's wait handler, a plain lambda, runs inside the timer's strand.
TYPED_TEST_P(Executor, TimerHandlerRunsInItsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::steady_timer timer(strand);
        timer.async_wait(recording_strand(rec, "wait", strand));
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("wait: in strand yes", "run returned")));
}

// A handler bound to another strand with bind_executor runs in that one,
// not in the timer's.
TYPED_TEST_P(Executor, BoundHandlerRunsOnItsOwnStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto timers_strand = make_strand(ctx);
        const auto other_strand = make_strand(ctx);
        typename B::steady_timer timer(timers_strand);
        timer.async_wait(B::bind_executor(other_strand, [&](const auto& ec) {
          rec.record("wait: in timer's strand " + yes_no(timers_strand.running_in_this_thread()) +
                         ", in its own " + yes_no(other_strand.running_in_this_thread()),
                     error_name(ec));
        }));
        ctx.run();
      },
      expect_outcomes(ElementsAre("wait: in timer's strand no, in its own yes")));
}

// A timer moved into a vector keeps its strand: the wait started on the
// moved-to timer completes inside it.
TYPED_TEST_P(Executor, MovedTimerKeepsItsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        std::vector<typename B::steady_timer> timers;
        timers.push_back(typename B::steady_timer(strand));
        timers.emplace_back(strand);  // may move the first again
        rec.record("moved timer on the strand: " +
                   yes_no(timers[0].get_executor() == typename B::any_io_executor(strand)));
        timers[0].async_wait(recording_strand(rec, "wait", strand));
        ctx.run();
      },
      expect_outcomes(ElementsAre("moved timer on the strand: yes", "wait: in strand yes")));
}

// Two timers of one strand, due at the same moment (already past),
// complete in the order their waits were started, not the order the timers
// were made in. (Two only: with more, Asio's heap leaves equal deadlines
// in an order of its own; see the Timer category.)
TYPED_TEST_P(Executor, TwoTimersOfOneStrandDueTogetherCompleteInStartOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        const auto due = std::chrono::steady_clock::now();
        typename B::steady_timer first(strand, due), second(strand, due);
        second.async_wait(recording_strand(rec, "second made", strand));
        first.async_wait(recording_strand(rec, "first made", strand));
        ctx.run();
      },
      expect_outcomes(ElementsAre("second made: in strand yes", "first made: in strand yes")));
}

// A socket pair on a strand: the read and write handlers run inside it.
TYPED_TEST_P(Executor, SocketHandlersRunInTheirStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        auto pair = loopback::connected_pair<B>(ctx, strand);
        rec.record("socket on the strand: " +
                   yes_no(pair.client.get_executor() == typename B::any_io_executor(strand)));
        char in[5] = {};
        pair.client.async_write_some(B::buffer("hello", 5), [&](const auto& ec, std::size_t n) {
          rec.record("write: in strand " + yes_no(strand.running_in_this_thread()), error_name(ec),
                     n);
          pair.server.async_read_some(B::buffer(in), [&](const auto& ec2, std::size_t m) {
            rec.record(
                "read " + text(in, m) + ": in strand " + yes_no(strand.running_in_this_thread()),
                error_name(ec2), m);
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("socket on the strand: yes", "write: in strand yes 5B",
                                  "read hello: in strand yes 5B")));
}

// Composed operations (async_write, then async_read from its handler) on
// strand-bound sockets run their final handlers inside the strand.
TYPED_TEST_P(Executor, ComposedOperationsFinishInTheStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        auto pair = loopback::connected_pair<B>(ctx, strand);
        const std::string out = loopback::pattern(1000);
        std::string in(out.size(), '\0');
        async_write(pair.client, B::buffer(out), [&](const auto& ec, std::size_t n) {
          rec.record("async_write: in strand " + yes_no(strand.running_in_this_thread()),
                     error_name(ec), n);
          async_read(pair.server, B::buffer(in), [&](const auto& ec2, std::size_t m) {
            rec.record("async_read: in strand " + yes_no(strand.running_in_this_thread()) +
                           ", intact " + yes_no(in == out),
                       error_name(ec2), m);
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("async_write: in strand yes 1000B",
                                  "async_read: in strand yes, intact yes 1000B")));
}

// A signal_set on a strand: its wait handler runs inside it.
TYPED_TEST_P(Executor, SignalSetHandlerRunsInItsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::signal_set set(strand, SIGUSR1);
        rec.record("set on the strand: " +
                   yes_no(set.get_executor() == typename B::any_io_executor(strand)));
        set.async_wait(recording_strand(rec, "signal", strand));
        post(ctx, [] { std::raise(SIGUSR1); });
        ctx.run();
      },
      expect_outcomes(ElementsAre("set on the strand: yes", "signal: in strand yes")));
}

// A stream_descriptor on a strand (the read end of a pipe): its read
// handler runs inside it.
TYPED_TEST_P(Executor, StreamDescriptorHandlerRunsInItsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        typename B::stream_descriptor reader(strand, fds[0]);
        ASSERT_EQ(::write(fds[1], "abc", 3), 3);
        ::close(fds[1]);
        char in[8] = {};
        reader.async_read_some(B::buffer(in), [&](const auto& ec, std::size_t n) {
          rec.record(
              "read " + text(in, n) + ": in strand " + yes_no(strand.running_in_this_thread()),
              error_name(ec), n);
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("read abc: in strand yes 3B")));
}

// A strand-bound timer's aborted waits run in its strand too: the one
// cancel() aborts, and the one the timer's destruction aborts.
TYPED_TEST_P(Executor, AbortedWaitsRunInTheStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::steady_timer kept(strand, std::chrono::hours(1));
        kept.async_wait(recording_strand(rec, "cancelled", strand));
        kept.cancel();
        {
          typename B::steady_timer destroyed(strand, std::chrono::hours(1));
          destroyed.async_wait(recording_strand(rec, "destroyed", strand));
        }
        ctx.run();
      },
      expect_outcomes(ElementsAre("cancelled: in strand yes [ECANCELED]",
                                  "destroyed: in strand yes [ECANCELED]")));
}

// A resolver on a strand: its handler (the lookup of a numeric address)
// runs inside the strand.
TYPED_TEST_P(Executor, ResolverHandlerRunsInItsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::tcp::resolver resolver(strand);
        resolver.async_resolve("127.0.0.1", "80", [&](const auto& ec, const auto& results) {
          rec.record("resolved " + std::to_string(results.size()) + ": in strand " +
                         yes_no(strand.running_in_this_thread()),
                     error_name(ec));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("resolved 1: in strand yes")));
}

// Where a strand-bound timer's completion falls among handlers queued
// before run(): one posted to the strand, one posted plainly, the timer
// already due.
TYPED_TEST_P(Executor, TimerCompletionAmongQueuedStrandAndPlainHandlers) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::steady_timer timer(strand);
        timer.async_wait(recording_strand(rec, "timer", strand));
        post(strand, [&] { rec.record("posted to the strand"); });
        post(ctx, [&] { rec.record("posted plainly"); });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("posted to the strand", "posted plainly", "timer: in strand yes")));
}

}  // namespace conformance::executor
