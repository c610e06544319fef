// Stress scenarios: the soak — a mixed workload (foreign posts, some
// through a strand; timer waits armed and cancelled from a foreign thread;
// a connection echoing 64 KiB) round after round on one io_context, for
// ASIO_TWIN_SOAK_SECONDS or, by default, a short fixed number of rounds.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "conformance/error_name.hpp"
#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/stress_support.hpp"
#include "conformance/waiting.hpp"
#include "conformance/watchdog.hpp"
#include "suites/stress/suite.hpp"

namespace conformance::stress {

// One round of the soak's mixed workload, on a context that outlives it:
// two foreign producers post (half through a strand), a foreign thread arms
// timer waits and cancels some, and a connection is accepted, connected and
// echoes 64 KiB each way. The main thread starts the socket operations and
// waits; each socket is then used only by its own chain of handlers, so no
// I/O object is ever used by two threads at once. Every handler holds a
// `counted`, so the census tells whether any handler object outlives the
// context.
template <typename B>
class soak_round {
public:
  using strand = typename B::template strand<typename B::io_context::executor_type>;
  // A tenth under a sanitizer, but never smaller by stress_divisor(): a
  // round takes milliseconds already, and smaller rounds leave the
  // per-thread caches still filling after the warm-up, which the memory
  // check would take for a leak.
  static constexpr std::size_t posts_per_producer = 5000 / sanitizer_divisor,
                               timer_waits = 400 / sanitizer_divisor;
  static constexpr std::size_t echo_bytes = 64 * 1024;
  static constexpr std::size_t posts = 2 * posts_per_producer;

  soak_round(typename B::io_context& ctx, strand& on_strand, loopback::acceptor<B>& listener,
             census& handlers, const std::string& message)
      : ctx_(ctx),
        strand_(on_strand),
        listener_(listener),
        handlers_(handlers),
        message_(message),
        client_(ctx),
        server_(ctx),
        inbox_(echo_bytes),
        echo_(echo_bytes),
        slots_(posts) {}

  // Runs the round to its end (or for at most wait_limit once all is
  // started); true when every handler ran.
  bool run() {
    start_echo();
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < 2; ++p) threads.emplace_back([this, p] { produce(p); });
    threads.emplace_back([this] { arm_timers(); });
    for (std::thread& t : threads) t.join();
    const bool done = wait_until(
        [this] { return posts_ran_ == posts && timers_done_ == timer_waits && echo_steps_ == 4; });
    // Safe now: every handler that touches the sockets has run.
    if (done) {
      client_.set_option(typename B::socket_base::linger(true, 0));  // no TIME_WAIT
      client_.close();
      server_.close();
    }
    return done;
  }

  once_slots::verdict posts_verdict() { return slots_.settle(posts); }
  std::size_t timer_errors() const { return timer_errors_; }
  bool echo_intact() const {
    return echo_errors_ == 0 && std::string(echo_.begin(), echo_.end()) == message_;
  }

private:
  void produce(std::size_t p) {
    for (std::size_t i = 0; i < posts_per_producer; ++i) {
      post_mixed(ctx_, strand_, i, [this, c = counted(handlers_), id = p * posts_per_producer + i] {
        slots_.mark(id);
        ++posts_ran_;
      });
    }
  }

  // Deadlines of 0 to 100 us; every third wait cancelled at once.
  void arm_timers() {
    std::vector<typename B::steady_timer> timers;
    for (int i = 0; i < 8; ++i) timers.emplace_back(ctx_);
    for (std::size_t i = 0; i < timer_waits; ++i) {
      auto& timer = timers[i % timers.size()];
      timer.expires_after(std::chrono::microseconds(i * 13 % 101));
      timer.async_wait([this, c = counted(handlers_)](const auto& ec) {
        const std::string error = error_name(ec);
        timer_errors_ += !error.empty() && error != "ECANCELED";
        ++timers_done_;
      });
      if (i % 3 == 0) timer.cancel();
    }
    // The timers die with this thread: their waits must be over first.
    wait_until([this] { return timers_done_ == timer_waits; });
  }

  // Client: connect, then write the message and read its echo. Server:
  // accept, read the message, write it back.
  void start_echo() {
    listener_.async_accept(server_, [this, c = counted(handlers_)](const auto& ec) {
      if (ec) return failed_step();
      async_read(server_, B::buffer(inbox_), [this, c](const auto& ec, std::size_t) {
        if (ec) return failed_step();
        async_write(server_, B::buffer(inbox_), [this, c](const auto& ec, std::size_t) {
          echo_errors_ += ec ? 1 : 0;
          ++echo_steps_;
        });
        ++echo_steps_;
      });
    });
    const auto to = listener_.local_endpoint();
    client_.async_connect(to, [this, c = counted(handlers_)](const auto& ec) {
      if (ec) return failed_step();
      async_write(client_, B::buffer(message_), [this, c](const auto& ec, std::size_t) {
        echo_errors_ += ec ? 1 : 0;
        ++echo_steps_;
      });
      async_read(client_, B::buffer(echo_), [this, c](const auto& ec, std::size_t) {
        echo_errors_ += ec ? 1 : 0;
        ++echo_steps_;
      });
    });
  }

  // A step failed: the chain ends, and the round cannot complete.
  void failed_step() { ++echo_errors_; }

  typename B::io_context& ctx_;
  strand& strand_;
  loopback::acceptor<B>& listener_;
  census& handlers_;
  const std::string& message_;
  loopback::socket<B> client_, server_;
  std::vector<char> inbox_, echo_;
  once_slots slots_;
  std::atomic<std::size_t> posts_ran_{0}, timers_done_{0}, timer_errors_{0}, echo_steps_{0},
      echo_errors_{0};
};

// A soak outlasts the watchdog's default ceiling: unless
// CONFORMANCE_TIMEOUT_SECONDS already allows it, this raises it to twice the
// soak plus two minutes. Call it before verify() starts the watchdog, from
// the test's own thread while no other thread runs (setenv must not race a
// getenv).
inline void make_room_for_soak() {
  const auto seconds = soak_seconds();
  if (!seconds.count()) return;
  const auto needed = 2 * seconds + std::chrono::seconds(120);
  if (watchdog::default_limit() < needed)
    ::setenv("CONFORMANCE_TIMEOUT_SECONDS", std::to_string(needed.count()).c_str(), 1);
}

// Rounds of the soak's short version (the CI run), and the rounds before
// the first memory checkpoint, while caches and heaps grow to their size.
inline constexpr std::size_t soak_short_rounds = 100, soak_warmup_rounds = 10;

// The soak: soak_round after soak_round on one io_context with two run
// threads — for ASIO_TWIN_SOAK_SECONDS when that is set, else for
// soak_short_rounds — with memory (resident, and malloc's bytes in use) and
// open descriptors sampled after every round once warmed up. Nothing may
// grow: no checkpoint of the later half above the earlier half by more than
// memory_watch's slack, no descriptor more than after the warm-up, and once
// the context is gone the heap is back where it started. Every posted handler runs once,
// every timer wait completes with success or operation_aborted, every echo
// comes back intact, and once the context is destroyed no handler object
// is left. A long soak raises the watchdog's ceiling to match.
TYPED_TEST_P(Stress, SoakMixedWorkloadStaysFlat) {
  make_room_for_soak();
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        const auto seconds = soak_seconds();
        const auto until = std::chrono::steady_clock::now() + seconds;
        const std::string message = loopback::pattern(soak_round<B>::echo_bytes);
        census handlers;
        memory_watch memory;
        heap_baseline heap;
        std::size_t rounds = 0, stuck = 0, missing = 0, repeated = 0, timer_errors = 0,
                    broken_echoes = 0, first_descriptors = 0, most_descriptors = 0;
        {
          typename B::io_context ctx;
          typename soak_round<B>::strand strand(ctx.get_executor());
          auto listener = loopback::listening<B>(ctx);
          auto guard = make_work_guard(ctx);
          recorder quiet;  // runner start-up events would only clutter the trace
          run_threads runners(ctx, 2, quiet);
          const auto more = [&] {
            return seconds.count() ? std::chrono::steady_clock::now() < until
                                   : rounds < soak_short_rounds;
          };
          while (more() && !stuck) {
            soak_round<B> round(ctx, strand, listener, handlers, message);
            if (!round.run()) {
              // No handler may run once the round's objects are gone.
              ++stuck;
              ctx.stop();
              runners.join();
            }
            const auto verdict = round.posts_verdict();
            missing += verdict.missing;
            repeated += verdict.repeated;
            timer_errors += round.timer_errors();
            broken_echoes += !round.echo_intact();
            if (++rounds < soak_warmup_rounds) continue;
            memory.checkpoint();
            const std::size_t descriptors = open_descriptors();
            if (!first_descriptors) first_descriptors = descriptors;
            most_descriptors = std::max(most_descriptors, descriptors);
          }
          if (stuck) ctx.stop();
          guard.reset();
          runners.join();
        }
        rec.record("stuck rounds: " + std::to_string(stuck));
        rec.record("posted handlers missing: " + std::to_string(missing) +
                   ", repeated: " + std::to_string(repeated));
        rec.record("timer waits with errors other than operation_aborted: " +
                   std::to_string(timer_errors));
        rec.record("echoes broken: " + std::to_string(broken_echoes));
        rec.record("handler objects alive: " + std::to_string(handlers.live()));
        rec.record("memory checkpoints: " + yes_no(memory.checkpoints() > 0));
        record_memory(rec, memory);
        rec.record("descriptors flat: " + yes_no(most_descriptors == first_descriptors));
        record_heap_returned(rec, heap);
        ::testing::Test::RecordProperty("soak_seconds", std::to_string(seconds.count()));
        count_stressed("soak rounds", rounds);
        count_stressed("soak posts", rounds * soak_round<B>::posts);
        count_stressed("soak timer waits", rounds * soak_round<B>::timer_waits);
        count_stressed("soak echoed bytes", rounds * 2 * soak_round<B>::echo_bytes);
      },
      expect_labels(ElementsAre("stuck rounds: 0", "posted handlers missing: 0, repeated: 0",
                                "timer waits with errors other than operation_aborted: 0",
                                "echoes broken: 0", "handler objects alive: 0",
                                "memory checkpoints: yes", "memory flat: yes",
                                "descriptors flat: yes", "heap returned: yes")));
}

}  // namespace conformance::stress
