// Executor scenarios: strand-bound I/O objects under several run threads —
// the handlers of timers on one strand, and of a socket pair on one strand
// (a chain of writes and a chain of reads in flight together), never
// overlap, and each runs inside the strand. Which run thread runs which
// handler is the kernel's business: these are properties only.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "suites/executor/suite.hpp"

namespace conformance::executor {

// Counts the handlers of a scenario: how many overlapped, how many ran
// outside the strand.
template <typename Strand>
struct strand_witness {
  explicit strand_witness(const Strand& s) : strand(s) {}

  const Strand& strand;
  overlap_meter meter;
  std::atomic<int> outside{0};

  // Runs `body` between the meter's enter() and leave().
  template <typename Body>
  void handler(Body&& body) {
    meter.enter();
    if (!strand.running_in_this_thread()) ++outside;
    body();
    meter.leave();
  }

  void record(recorder& rec) const {
    rec.record("most handlers in flight: " + std::to_string(meter.most()));
    rec.record("handlers run: " + std::to_string(meter.left()));
    rec.record("ran outside the strand: " + std::to_string(outside.load()));
  }
};

// `timers` timers on one strand with `waits` waits each, all due at once,
// completed by `threads` run threads.
template <typename Backend>
void verify_timer_waits_never_overlap(std::size_t threads, int timers, int waits) {
  verify<Backend>(
      determinism::nondeterministic,
      [=]<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        strand_witness<strand_of_context<B>> witness(strand);
        std::vector<typename B::steady_timer> all;
        all.reserve(static_cast<std::size_t>(timers));
        for (int t = 0; t < timers; ++t) {
          all.emplace_back(strand);
          for (int w = 0; w < waits; ++w)
            all.back().async_wait([&](const auto&) { witness.handler([] {}); });
        }
        run_threads(ctx, threads, rec).join();
        witness.record(rec);
      },
      expect_labels(ElementsAreArray(
          joined({runners_started(threads),
                  {"most handlers in flight: 1", "handlers run: " + std::to_string(timers * waits),
                   "ran outside the strand: 0"}}))));
}

TYPED_TEST_P(Executor, StrandTimersNeverOverlapOnTwoThreads) {
  verify_timer_waits_never_overlap<TypeParam>(2, 100, 5);
}

TYPED_TEST_P(Executor, StrandTimersNeverOverlapOnFourThreads) {
  verify_timer_waits_never_overlap<TypeParam>(4, 100, 5);
}

// A socket pair on one strand, three run threads: a chain of 200 writes of
// 1000 bytes and a chain of reads of what they carry, in flight together.
// No two handlers overlap, every one runs in the strand, and every byte
// arrives.
TYPED_TEST_P(Executor, StrandSocketHandlersNeverOverlap) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr int writes = 200;
        constexpr std::size_t chunk = 1000, total = writes * chunk;
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        auto pair = loopback::connected_pair<B>(ctx, strand);
        strand_witness<strand_of_context<B>> witness(strand);
        const std::string out = loopback::pattern(total);
        std::string in(total, '\0');
        std::size_t written = 0, read = 0;  // each touched by its chain alone
        std::function<void()> write_next = [&] {
          async_write(pair.client, B::buffer(out.data() + written, chunk),
                      [&](const auto& ec, std::size_t n) {
                        witness.handler([&] {
                          written += n;
                          if (!ec && written < total) write_next();
                        });
                      });
        };
        std::function<void()> read_next = [&] {
          pair.server.async_read_some(B::buffer(in.data() + read, total - read),
                                      [&](const auto& ec, std::size_t n) {
                                        witness.handler([&] {
                                          read += n;
                                          if (!ec && read < total) read_next();
                                        });
                                      });
        };
        write_next();
        read_next();
        run_threads(ctx, 3, rec).join();
        rec.record("bytes read: " + std::to_string(read) + ", intact " + yes_no(in == out));
        rec.record("most handlers in flight: " + std::to_string(witness.meter.most()));
        rec.record("ran outside the strand: " + std::to_string(witness.outside.load()));
      },
      expect_labels(ElementsAre("runner 0 started", "runner 1 started", "runner 2 started",
                                "bytes read: 200000, intact yes", "most handlers in flight: 1",
                                "ran outside the strand: 0")));
}

}  // namespace conformance::executor
