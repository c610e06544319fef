// Fault scenarios: storms of signals (a no-op handler without SA_RESTART)
// at run threads asleep in epoll_wait / io_uring_enter while timers,
// accepts, connects, reads and writes go on, and at threads blocked in
// synchronous accept, connect, read and write: every handler runs exactly
// once, every call returns once (EINTR, then retried), no byte is lost.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "conformance/error_name.hpp"
#include "conformance/expectations.hpp"
#include "conformance/fault_injection.hpp"
#include "conformance/kernel_probe.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/stress_support.hpp"
#include "conformance/waiting.hpp"
#include "suites/fault/suite.hpp"

namespace conformance::fault {

// How many signals each storm scenario aims at its threads (a tenth under a
// sanitizer, whose slower threads send fewer within storm_limit).
inline constexpr std::size_t storm_goal = 4000 / stress::sanitizer_divisor;

// How long a storm may take to send them before the scenario gives up.
inline constexpr std::chrono::seconds storm_limit{15};

// One chain of SignalStormAtSleepingRunThreads. Each round: a timer wait of
// 100 us (the runners sleep in the reactor meanwhile), a new connection
// (async_accept and async_connect at once), then 4 KiB echoed (async_write
// and async_read at once, each way). The two handlers of a step may run on
// different runners; the later one starts the next step (`pending_`). A
// round starts only while the storm still wants more signals.
template <typename B>
class storm_chain {
public:
  storm_chain(typename B::io_context& ctx, const signal_storm& storm)
      : listener_(loopback::listening<B>(ctx)),
        client_(ctx),
        server_(ctx),
        timer_(ctx),
        storm_(storm),
        message_(loopback::pattern(4096)),
        inbox_(4096),
        reply_(4096) {}

  void start() { round(); }

  bool finished() const { return finished_; }
  std::size_t rounds() const { return rounds_; }
  // Every handler ran once (none twice, none missing), none failed, and
  // every echo came back intact.
  bool clean() const {
    return finished_ && started_ == completed_ && !twice_ && errors_.empty() && !mismatches_;
  }
  const std::string& errors() const { return errors_; }

private:
  void round() {
    if (storm_.reached_goal()) {
      finished_ = true;
      return;
    }
    begin(1);
    timer_.expires_after(std::chrono::microseconds(100));
    timer_.async_wait([this](const auto& ec) { end(ec, [this] { connect(); }); });
  }

  void connect() {
    begin(2);
    listener_.async_accept(server_, [this](const auto& ec) { end(ec, [this] { echo(); }); });
    client_.async_connect(listener_.local_endpoint(),
                          [this](const auto& ec) { end(ec, [this] { echo(); }); });
  }

  // One step: `from` writes `out` while `to` reads as much into `in`; the
  // later of the two handlers goes on with `next`.
  template <typename Out, typename Next>
  void exchange(loopback::socket<B>& from, const Out& out, loopback::socket<B>& to,
                std::vector<char>& in, Next next) {
    begin(2);
    async_write(from, B::buffer(out), [this, next](const auto& ec, std::size_t) { end(ec, next); });
    async_read(to, B::buffer(in), [this, next](const auto& ec, std::size_t) { end(ec, next); });
  }

  void echo() {
    exchange(client_, message_, server_, inbox_, [this] { echo_back(); });
  }

  void echo_back() {
    mismatches_ += std::string(inbox_.begin(), inbox_.end()) != message_;
    exchange(server_, inbox_, client_, reply_, [this] { next_round(); });
  }

  void next_round() {
    mismatches_ += std::string(reply_.begin(), reply_.end()) != message_;
    client_.close();
    server_.close();
    ++rounds_;
    round();
  }

  void begin(int handlers) {
    pending_ = handlers;
    started_ += static_cast<std::size_t>(handlers);
  }

  // A handler of the current step finished; the last one goes on (or, if
  // the step failed, ends the chain).
  template <typename ErrorCode, typename Next>
  void end(const ErrorCode& ec, Next next) {
    ++completed_;
    if (ec) {
      failed_ = true;
      std::lock_guard lock(errors_mutex_);
      errors_ += error_name(ec) + " ";
    }
    const int left = --pending_;
    if (left < 0) twice_ = true;
    if (left != 0) return;
    if (failed_)
      finished_ = true;
    else
      next();
  }

  loopback::acceptor<B> listener_;
  loopback::socket<B> client_, server_;
  typename B::steady_timer timer_;
  const signal_storm& storm_;
  const std::string message_;
  std::vector<char> inbox_, reply_;
  std::atomic<int> pending_{0};
  std::atomic<std::size_t> started_{0}, completed_{0}, rounds_{0}, mismatches_{0};
  std::atomic<bool> failed_{false}, twice_{false}, finished_{false};
  std::mutex errors_mutex_;
  std::string errors_;
};

// Two run threads, asleep in the reactor most of the time, are hit by
// thousands of signals (a no-op handler without SA_RESTART, so epoll_wait
// and io_uring_enter return EINTR) while two chains of timers, accepts,
// connects, reads and writes go on: every handler runs exactly once,
// without error, and every echo comes back intact.
TYPED_TEST_P(Fault, SignalStormAtSleepingRunThreads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        scoped_signal_handler handler(SIGUSR1, &ignore_signal);
        typename B::io_context ctx;
        B::start_reactor(ctx);
        auto guard = make_work_guard(ctx);
        run_threads runners(ctx, 2, rec);
        signal_storm storm(SIGUSR1, {runners.tid(0), runners.tid(1)}, storm_goal, storm_limit);
        std::vector<std::unique_ptr<storm_chain<B>>> chains;
        for (int i = 0; i < 2; ++i) chains.push_back(std::make_unique<storm_chain<B>>(ctx, storm));
        for (auto& chain : chains) post(ctx, [&chain] { chain->start(); });
        const bool finished =
            wait_until([&] { return chains[0]->finished() && chains[1]->finished(); },
                       storm_limit + std::chrono::seconds(10));
        const std::size_t sent = storm.stop();
        if (!finished) ctx.stop();
        guard.reset();
        runners.join();
        rec.record("signals sent: " + std::string(sent >= storm_goal ? "the goal" : "too few"));
        for (std::size_t i = 0; i < chains.size(); ++i) {
          rec.record("chain " + std::to_string(i) +
                     " every handler once, no error, intact: " + yes_no(chains[i]->clean()));
          if (!chains[i]->errors().empty()) rec.record("chain errors: " + chains[i]->errors());
        }
        count_faults(B::name, "signals", sent);
        count_faults(B::name, "storm_rounds", chains[0]->rounds() + chains[1]->rounds());
      },
      expect_labels(ElementsAre("runner 0 started", "runner 1 started", "signals sent: the goal",
                                "chain 0 every handler once, no error, intact: yes",
                                "chain 1 every handler once, no error, intact: yes")));
}

// What the threads of SignalStormAtBlockingSyncOps saw: EINTR per kind of
// operation (Asio reports it, as error::interrupted, when a signal breaks a
// blocking call; the caller retries), and anything else, which is a failure.
struct sync_tally {
  std::atomic<std::size_t> interrupted_accept{0}, interrupted_connect{0};
  std::atomic<std::size_t> interrupted_read{0}, interrupted_write{0};
  std::atomic<std::size_t> rounds{0}, mismatches{0};
  std::mutex mutex;
  std::string failures;

  void fail(const std::string& what) {
    std::lock_guard lock(mutex);
    failures += what + " ";
  }
};

// Reads exactly `n` bytes (or to end of stream) with blocking read_some,
// retrying after EINTR; returns the bytes read. Other errors are failures.
template <typename B>
std::size_t read_fully(loopback::socket<B>& s, char* data, std::size_t n, sync_tally& tally,
                       bool& eof) {
  std::size_t got = 0;
  eof = false;
  while (got < n) {
    typename B::error_code ec;
    got += s.read_some(B::buffer(data + got, n - got), ec);
    const std::string error = error_name(ec);
    if (error == "EINTR") {
      ++tally.interrupted_read;
    } else if (error == "eof") {
      eof = true;
      break;
    } else if (!error.empty()) {
      tally.fail("read: " + error);
      break;
    }
  }
  return got;
}

// Writes all `n` bytes with blocking write_some, retrying after EINTR.
template <typename B>
bool write_fully(loopback::socket<B>& s, const char* data, std::size_t n, sync_tally& tally) {
  for (std::size_t sent = 0; sent < n;) {
    typename B::error_code ec;
    sent += s.write_some(B::buffer(data + sent, n - sent), ec);
    const std::string error = error_name(ec);
    if (error == "EINTR") {
      ++tally.interrupted_write;
    } else if (!error.empty()) {
      tally.fail("write: " + error);
      return false;
    }
  }
  return true;
}

// Connects `s`, retrying after EINTR. A connect a signal interrupted goes on
// in the kernel, so a retry may find it still in progress (EALREADY: retry)
// or done (EISCONN: connected).
template <typename B>
bool connect_retrying(loopback::socket<B>& s, const loopback::endpoint<B>& to, sync_tally& tally) {
  for (long attempt = 0; attempt < 10000000; ++attempt) {
    typename B::error_code ec;
    s.connect(to, ec);
    const std::string error = error_name(ec);
    if (error.empty() || error == "EISCONN") return true;
    if (error == "EINTR")
      ++tally.interrupted_connect;
    else if (error != "EALREADY") {
      tally.fail("connect: " + error);
      return false;
    }
  }
  tally.fail("connect: still in progress");
  return false;
}

// A server thread (accept, read 256 KiB, echo it) and a client thread
// (connect, write, read the echo back), both in blocking synchronous calls
// on sockets with small buffers — so writes block too — are hit by
// thousands of signals while blocked. Each call returns exactly once:
// success, or EINTR (then retried); every byte comes back in order. An
// empty connection tells the server the client is done.
TYPED_TEST_P(Fault, SignalStormAtBlockingSyncOps) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t size = 256 * 1024;
        scoped_signal_handler handler(SIGUSR1, &ignore_signal);
        typename B::io_context ctx;  // never run: every call here is synchronous
        auto listener = loopback::listening<B>(ctx);
        loopback::set_buffer_sizes<B>(listener, 4096);
        const auto address = listener.local_endpoint();
        const std::string data = loopback::pattern(size);
        sync_tally tally;
        std::atomic<pid_t> server_tid{0}, client_tid{0};
        std::atomic<const signal_storm*> storm_ready{nullptr};
        const auto storm_wants_more = [&] {
          const signal_storm* storm = nullptr;
          wait_until([&] { return (storm = storm_ready.load()) != nullptr; });
          return storm && !storm->reached_goal();
        };
        std::thread server([&] {
          server_tid = kernel_probe::this_thread_id();
          std::vector<char> inbox(size);
          for (;;) {
            loopback::socket<B> peer(ctx);
            typename B::error_code ec;
            for (listener.accept(peer, ec); error_name(ec) == "EINTR"; listener.accept(peer, ec))
              ++tally.interrupted_accept;
            if (ec) {
              tally.fail("accept: " + error_name(ec));
              break;
            }
            bool eof = false;
            const std::size_t got = read_fully<B>(peer, inbox.data(), size, tally, eof);
            if (got == 0 && eof) break;  // the client is done
            if (got != size || !write_fully<B>(peer, inbox.data(), size, tally)) break;
          }
          listener.close();  // resets what the client still has queued, if it failed
        });
        std::thread client([&] {
          client_tid = kernel_probe::this_thread_id();
          std::vector<char> echo(size);
          while (storm_wants_more()) {
            loopback::socket<B> s(ctx);
            s.open(B::tcp::v4());
            loopback::set_buffer_sizes<B>(s, 4096);
            bool eof = false;
            if (!connect_retrying<B>(s, address, tally) ||
                !write_fully<B>(s, data.data(), size, tally) ||
                read_fully<B>(s, echo.data(), size, tally, eof) != size)
              break;
            tally.mismatches += std::string(echo.begin(), echo.end()) != data;
            ++tally.rounds;
          }
        });
        wait_until([&] { return server_tid && client_tid; });
        signal_storm storm(SIGUSR1, {server_tid, client_tid}, storm_goal, storm_limit);
        storm_ready = &storm;
        client.join();
        // The empty connection that releases the server (connect completes
        // into the backlog, whatever the server is doing).
        loopback::socket<B> last(ctx);
        typename B::error_code ignored;
        last.connect(address, ignored);
        last.close();
        server.join();
        const std::size_t sent = storm.stop();
        rec.record("signals sent: " + std::string(sent >= storm_goal ? "the goal" : "too few"));
        rec.record("rounds echoed intact: " + yes_no(tally.rounds > 0 && !tally.mismatches));
        rec.record("errors other than EINTR: " + tally.failures);
        count_faults(B::name, "signals", sent);
        count_faults(B::name, "sync_rounds", tally.rounds);
        count_faults(B::name, "eintr_accept", tally.interrupted_accept);
        count_faults(B::name, "eintr_connect", tally.interrupted_connect);
        count_faults(B::name, "eintr_read", tally.interrupted_read);
        count_faults(B::name, "eintr_write", tally.interrupted_write);
      },
      expect_labels(ElementsAre("signals sent: the goal", "rounds echoed intact: yes",
                                "errors other than EINTR: ")));
}

}  // namespace conformance::fault
