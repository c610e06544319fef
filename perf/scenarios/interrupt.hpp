// Interrupt scenario: how long a post takes to wake a thread that is
// blocked waiting for work, and run the handler there.
//
//   interrupt_ping_pong  two threads, each running its own io_context under
//     a work guard. A handler on one posts the next hop to the other, whose
//     thread is asleep by then — in the reactor (epoll_wait, io_uring_enter)
//     with reactor:1 (Backend::start_reactor), on the scheduler's condition
//     variable with reactor:0 — so every hop is one cross-thread wake-up.
//     A rally is 1000 hops; an iteration is one rally, started and awaited
//     by the benchmark thread. Each hop is timed from just before its post
//     to the start of its handler; the samples of all rallies give p50_ns,
//     p99_ns, p999_ns and mean_ns (perf::latency_recorder). Real time;
//     items_per_second counts hops. Checks: every hop ran, on its context.
//
// The raw baseline is the physical floor: two bare threads passing a token
// through the kernel, nothing else — with reactor:0 a futex word (what a
// condition variable wake costs at least), with reactor:1 an eventfd each,
// waited on with epoll_wait and then read (what a reactor wake costs).
//
// The two-thread set-ups (context_pair, raw_pair) and play_rally are also
// what the system-call driver (perf/syscalls/) runs, so the ping-pong is
// written once.
#pragma once

#include <benchmark/benchmark.h>
#include <linux/futex.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "perf/args.hpp"
#include "perf/latency.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"
#include "perf/threads.hpp"

namespace perf::interrupt {

using steady_clock = std::chrono::steady_clock;

// The state of one rally. Only one hop is ever in flight, and each hop is
// handed over through a post (or the kernel, for raw), which orders these
// plain fields between the two threads.
struct rally {
  // Room for `capacity` hops; a rally is `hops` long, which may be set
  // lower between rallies (the system-call driver does).
  explicit rally(std::size_t capacity = 1000) : hops(capacity), sample_ns(capacity) {}
  std::size_t hops;
  std::vector<std::int64_t> sample_ns;
  std::size_t done = 0;
  steady_clock::time_point sent;
  std::uint64_t misplaced = 0;  // hops that ran on the wrong context
  event finished;

  // Records the hop arriving now; true when it was the last of the rally.
  bool arrive() {
    sample_ns[done] = (steady_clock::now() - sent) / std::chrono::nanoseconds(1);
    if (++done < hops) return false;
    finished.set();
    return true;
  }
};

// Plays one whole rally on `players` (a context_pair or raw_pair below,
// made for `r`): sends the first hop and waits for the last.
template <typename Players>
void play_rally(rally& r, Players& players) {
  r.done = 0;
  r.sent = steady_clock::now();
  players.serve();
  r.finished.wait("the last hop of a rally");
}

// Plays one rally per iteration (after an untimed warm-up rally). Reports
// hops, allocations and the latency counters.
template <typename Players>
void play(benchmark::State& state, rally& r, Players& players) {
  latency_recorder latencies;
  // Capacity for every sample of the run (a rally takes milliseconds, so
  // runs are short; the cap only guards against a wild iteration count).
  latencies.reserve(
      static_cast<std::size_t>(std::min<benchmark::IterationCount>(state.max_iterations, 5'000)) *
      r.hops);
  play_rally(r, players);
  alloc_meter allocs;
  allocs.start();
  for (auto _ : state) {
    play_rally(r, players);
    latencies.record(r.sample_ns.begin(), r.sample_ns.end());
  }
  allocs.stop();
  if (expect(state, "hops on the wrong context", r.misplaced, 0)) {
    report(state, r.hops * state.iterations(), allocs);
    latencies.report(state);
  }
}

// A hop: arrives on `here`, then posts the next to `there`.
template <typename Context>
struct ping {
  rally* r;
  Context* here;
  Context* there;
  void operator()() const {
    if (!here->get_executor().running_in_this_thread()) ++r->misplaced;
    if (r->arrive()) return;
    r->sent = steady_clock::now();
    post(*there, ping{r, there, here});
  }
};

// A futex word: send() bumps it and wakes the waiter; receive() sleeps
// until it differs from the last value seen.
class futex_channel {
public:
  void send() {
    word_.fetch_add(1, std::memory_order_release);
    ::syscall(SYS_futex, address(), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
  }
  void receive() {
    for (std::uint32_t now; (now = word_.load(std::memory_order_acquire)) == seen_;)
      ::syscall(SYS_futex, address(), FUTEX_WAIT_PRIVATE, now, nullptr, nullptr, 0);
    seen_ = word_.load(std::memory_order_relaxed);
  }

private:
  std::uint32_t* address() { return reinterpret_cast<std::uint32_t*>(&word_); }
  std::atomic<std::uint32_t> word_{0};
  std::uint32_t seen_ = 0;  // the receiver's
};

// An eventfd registered with an epoll instance of its own: send() writes
// it; receive() waits in epoll_wait, then reads it (resetting it).
class eventfd_channel {
public:
  eventfd_channel() : event_(::eventfd(0, EFD_CLOEXEC)), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    if (event_ < 0 || epoll_ < 0 || ::epoll_ctl(epoll_, EPOLL_CTL_ADD, event_, &ev) != 0)
      throw std::system_error(errno, std::system_category(), "eventfd_channel");
  }
  ~eventfd_channel() {
    ::close(event_);
    ::close(epoll_);
  }
  eventfd_channel(const eventfd_channel&) = delete;
  eventfd_channel& operator=(const eventfd_channel&) = delete;

  void send() {
    const std::uint64_t one = 1;
    while (::write(event_, &one, sizeof one) < 0 && errno == EINTR) {
    }
  }
  void receive() {
    epoll_event ev;
    while (::epoll_wait(epoll_, &ev, 1, -1) != 1) {
    }
    std::uint64_t count;
    while (::read(event_, &count, sizeof count) < 0 && errno == EINTR) {
    }
  }

private:
  int event_;
  int epoll_;
};

// The backends' players: two contexts, each run by a thread of its own
// under a work guard, with the reactor created first (`reactor`) or not.
// serve() posts the first hop of `r` to the first context. Construct,
// serve and destroy on one thread.
template <typename Backend>
class context_pair {
public:
  using context = typename Backend::io_context;

  context_pair(rally& r, bool reactor) : r_(r) {
    if (reactor) {
      Backend::start_reactor(a_);
      Backend::start_reactor(b_);
    }
    run_a_ = std::thread([this] { a_.run(); });
    run_b_ = std::thread([this] { b_.run(); });
  }
  ~context_pair() {
    keep_a_.reset();
    keep_b_.reset();
    run_a_.join();
    run_b_.join();
  }
  context_pair(const context_pair&) = delete;
  context_pair& operator=(const context_pair&) = delete;

  void serve() { post(a_, ping<context>{&r_, &a_, &b_}); }

private:
  rally& r_;
  context a_, b_;
  decltype(make_work_guard(a_)) keep_a_ = make_work_guard(a_);
  decltype(make_work_guard(b_)) keep_b_ = make_work_guard(b_);
  std::thread run_a_, run_b_;
};

// The raw players over a channel type: two bare threads, one channel each.
// serve() sends the first hop of `r` to the first. Construct, serve and
// destroy on one thread.
template <typename Channel>
class raw_pair {
public:
  explicit raw_pair(rally& r)
      : r_(r), a_([this] { player(to_a_, to_b_); }), b_([this] { player(to_b_, to_a_); }) {}
  ~raw_pair() {
    quit_ = true;
    to_a_.send();
    to_b_.send();
    a_.join();
    b_.join();
  }
  raw_pair(const raw_pair&) = delete;
  raw_pair& operator=(const raw_pair&) = delete;

  void serve() { to_a_.send(); }

private:
  void player(Channel& in, Channel& out) {
    for (;;) {
      in.receive();
      if (quit_.load(std::memory_order_relaxed)) return;
      if (r_.arrive()) continue;
      r_.sent = steady_clock::now();
      out.send();
    }
  }

  rally& r_;
  Channel to_a_, to_b_;
  std::atomic<bool> quit_{false};
  std::thread a_, b_;  // last: started once the channels exist
};

// The raw rally over a channel type.
template <typename Channel>
void raw_ping_pong(benchmark::State& state) {
  rally r;
  raw_pair<Channel> players(r);
  play(state, r, players);
}

struct interrupt_ping_pong {
  static constexpr std::string_view name = "interrupt_ping_pong";
  static void configure(args::benchmark_t* b) {
    b->ArgName("reactor")->Arg(0)->Arg(1);
    b->UseRealTime();
  }

  template <typename Backend>
  static void run(benchmark::State& state) {
    rally r;
    context_pair<Backend> players(r, state.range(0) != 0);
    play(state, r, players);
  }

  static void raw(benchmark::State& state) {
    if (state.range(0) != 0)
      raw_ping_pong<eventfd_channel>(state);
    else
      raw_ping_pong<futex_channel>(state);
  }
};

using scenarios = scenario_list<interrupt_ping_pong>;

}  // namespace perf::interrupt
