// conformance::randomized::pool_interpreter — runs a pool program
// (program.hpp) on one backend: `threads` threads call run() while the
// test's thread submits the top level from outside, holding a work guard;
// then the guard is reset, the threads joined, and whatever a stop() left is
// run by restart() + run() on the test's thread.
//
// Where Asio leaves the interleaving open, nothing that depends on it is
// recorded. The trace holds facts that do not depend on it, in program
// order, recorded by the test's thread:
// - "#<id> cancel_wait #<w> -> n": what cancelling an earlier top-level
//   wait's timer returned (the wait's deadline is far enough ahead that the
//   cancel finds it pending, or a settle made sure it had fired);
// - per handler-submitting step, "h<id> <what> ran" with its error, or how
//   often it ran if not exactly once (twice for a pair_wait);
// - "run() ran n handlers" in all, summed over every run() call, when the
//   program uses no strand (a strand's invoker runs as many of its handlers
//   as are queued, so with strands the count depends on timing);
// - each property the backend broke, and whether every handler ran.
// Properties checked as it runs: strands never run two handlers at once,
// and run FIFO (strand_ledger.hpp); a handler runs inside the strands it
// was bound or submitted to, and inside the context (observe steps); no
// timer handler runs before its deadline. Timing, judged against the oracle
// (punctuality.hpp): how late timer handlers ran, and whether the two
// handlers of a pair_wait — both ready at once — ran at once on two threads
// (each waits up to meet_limit for the other).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "conformance/error_name.hpp"
#include "conformance/trace.hpp"
#include "random/objects.hpp"
#include "random/program.hpp"
#include "random/punctuality.hpp"
#include "random/strand_ledger.hpp"

namespace conformance::randomized {

template <typename B>
class pool_interpreter {
  using io_context = typename B::io_context;
  using executor = typename io_context::executor_type;
  using timer_type = typename B::steady_timer;
  using guard_type = typename B::template executor_work_guard<executor>;
  using error_code = typename B::error_code;
  using clock = program_clock;

public:
  pool_interpreter(const program& p, recorder& rec, run_monitor& monitor, const timing& t)
      : prog_(p),
        rec_(rec),
        monitor_(monitor),
        timing_(t),
        objects_(p),
        ledger_(max_id(p) + 1),
        handlers_(max_id(p) + 1) {
    make_timers(p.steps);
  }

  pool_interpreter(const pool_interpreter&) = delete;
  pool_interpreter& operator=(const pool_interpreter&) = delete;

  void run() {
    std::vector<std::size_t> counts(static_cast<std::size_t>(prog_.threads));
    {
      std::optional<guard_type> guard(make_work_guard(objects_.ctx()));
      std::vector<std::thread> threads;
      for (std::size_t i = 0; i < counts.size(); ++i)
        threads.emplace_back([this, &counts, i] { counts[i] = objects_.ctx().run(); });
      for (const step& s : prog_.steps) top_level(s);
      guard.reset();
      for (std::thread& t : threads) t.join();
    }
    std::size_t ran = 0;
    for (const std::size_t n : counts) ran += n;
    ran += epilogue();
    record_facts(ran);
  }

private:
  // Per handler-submitting step: written by the thread that first runs it.
  struct handler_record {
    std::atomic<int> runs{0};
    std::string error;
  };
  struct meeting {
    std::mutex mutex;
    std::condition_variable arrived_changed;
    int arrived = 0;
  };

  static std::size_t max_id(const program& p) {
    std::size_t out = 0;
    for (const int id : step_ids(p.steps)) out = std::max(out, static_cast<std::size_t>(id));
    return out;
  }

  void make_timers(const std::vector<step>& steps) {
    for (const step& s : steps) {
      if (s.what == op::wait) timers_.try_emplace(s.id, objects_.ctx());
      if (s.what == op::pair_wait) {
        pair_timers_.try_emplace(s.id, std::make_unique<timer_type>(objects_.ctx()),
                                 std::make_unique<timer_type>(objects_.ctx()));
        meetings_.try_emplace(s.id);
      }
      make_timers(s.body);
    }
  }

  static std::string label(const step& s) { return "#" + std::to_string(s.id); }
  static std::string handler_label(const step& s) { return "h" + std::to_string(s.id); }

  void top_level(const step& s) {
    if (s.what == op::settle) return settle();
    if (s.what == op::cancel_wait) return cancel_wait(s);
    if (s.what == op::wait) armed_after_[s.id] = settles_;
    act(s, {});
  }

  // A step of the top level or of a handler whose strands are `inside`.
  void act(const step& s, const std::vector<int>& inside) {
    switch (s.what) {
      case op::post:
      case op::dispatch:
      case op::defer: submit(s); break;
      case op::wait: wait(s); break;
      case op::pair_wait: pair_wait(s); break;
      case op::observe: observe(s, inside); break;
      case op::stop: {
        objects_.ctx().stop();
        std::lock_guard lock(mutex_);
        stopped_ = true;
        idle_.notify_all();
        break;
      }
      default: monitor_.violated(label(s) + " " + name(s.what) + " is not a pool step"); break;
    }
  }

  void submit(const step& s) {
    started_one();
    auto h = [this, &s] { invoked(s, ""); };
    // FIFO is checked for handlers that run in the strand they were
    // submitted to: unbound, or bound to that same strand.
    const std::vector<int> keys = strand_keys(prog_, s);
    const bool same_strand =
        s.bound_index == s.index && ((s.bound == binding::strand && s.target == where::strand) ||
                                     (s.bound == binding::nested && s.target == where::nested));
    const bool straight = !keys.empty() && (s.bound == binding::none || same_strand);
    const std::uint64_t begin = ledger_.tick();
    objects_.submit(s, std::move(h));
    const std::uint64_t end = ledger_.tick();
    if (straight) ledger_.submitted(s.id, keys.front(), begin, end);
  }

  // A pool program's deadline slot: half the driven programs' spacing.
  // Nothing here needs more room — a cancel_wait follows its wait within
  // microseconds — and settle steps wait for every deadline in turn.
  std::chrono::microseconds slots(int n) const { return n * timing_.spacing / 2; }

  // A wait on the step's own timer, `delay` slots from now.
  void wait(const step& s) {
    timer_type& t = timers_.at(s.id);
    t.expires_after(slots(s.delay));
    const clock::time_point deadline = t.expiry();
    started_one();
    objects_.with_binding(
        s,
        [this, &s, deadline](const error_code& ec) {
          if (!ec) monitor_.due(deadline, handler_label(s) + " wait", s.bound == binding::none);
          invoked(s, error_name(ec));
        },
        [&](auto&& h) { t.async_wait(std::move(h)); });
  }

  // Two timers at one deadline; with two threads or more, each handler
  // waits for the other to start, since both are ready at once.
  void pair_wait(const step& s) {
    auto& [first, second] = pair_timers_.at(s.id);
    const clock::time_point deadline = clock::now() + slots(s.delay);
    for (timer_type* t : {first.get(), second.get()}) {
      t->expires_at(deadline);
      started_one();
      t->async_wait([this, &s, deadline](const error_code& ec) {
        if (!ec) monitor_.due(deadline, handler_label(s) + " pair", true);
        if (prog_.threads >= 2 && !in_epilogue_) meet(meetings_.at(s.id));
        invoked(s, error_name(ec));
      });
    }
  }

  void meet(meeting& m) {
    std::unique_lock lock(m.mutex);
    ++m.arrived;
    m.arrived_changed.notify_all();
    monitor_.met(
        m.arrived_changed.wait_for(lock, timing_.meet_limit, [&] { return m.arrived >= 2; }));
  }

  void observe(const step& s, const std::vector<int>& inside) {
    if (!objects_.ctx().get_executor().running_in_this_thread())
      monitor_.violated(label(s) + ": a handler is not running_in_this_thread() of its context");
    for (const int key : inside)
      if (!objects_.running_in(key))
        monitor_.violated(label(s) + ": a handler of " + strand_ledger::strand_name(key) +
                          " is not running_in_this_thread() of it");
  }

  // Top level: cancels the timer of the earlier wait step `s.index` (none
  // if a shrink removed that step). Unless a settle since the wait made
  // sure it ran, its deadline must still be ahead, or the cancel races the
  // expiry (whether the handler has run yet or not).
  void cancel_wait(const step& s) {
    std::size_t n = 0;
    if (const auto it = timers_.find(s.index); it != timers_.end()) {
      const auto armed = armed_after_.find(s.index);
      const bool settled = armed != armed_after_.end() && settles_ > armed->second;
      if (!settled && it->second.expiry() <= clock::now() + timing_.guard) monitor_.model_broke();
      n = it->second.cancel();
    }
    rec_.record(label(s) + " cancel_wait #" + std::to_string(s.index) + " -> " + std::to_string(n));
  }

  // Waits until every handler submitted so far ran, or a stop() let the run
  // threads go.
  // (One that a stop() ended proves nothing: what was queued stays queued.)
  void settle() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return outstanding_ == 0 || stopped_; });
    if (outstanding_ == 0) ++settles_;
  }

  void started_one() {
    std::lock_guard lock(mutex_);
    ++outstanding_;
  }

  void finished_one() {
    std::lock_guard lock(mutex_);
    if (--outstanding_ == 0) idle_.notify_all();
  }

  // The handler of `s` runs: notes it, checks its strands, runs its body.
  void invoked(const step& s, const std::string& error) {
    handler_record& r = handlers_[static_cast<std::size_t>(s.id)];
    const int n = ++r.runs;
    if (n == 1) {
      ledger_.started(s.id);
      r.error = error;
    }
    if (n <= handlers_of(s.what)) {
      const std::vector<int> keys = strand_keys(prog_, s);
      if (const std::string broken = ledger_.enter(s.id, keys); !broken.empty())
        monitor_.violated(broken);
      for (const step& inner : s.body) act(inner, keys);
      ledger_.leave(keys);
    }
    finished_one();
  }

  // Runs what a stop() left; returns how many handlers that took.
  std::size_t epilogue() {
    in_epilogue_ = true;
    std::size_t ran = 0;
    const std::size_t rounds = step_ids(prog_.steps).size() + 2;
    for (std::size_t i = 0; i < rounds && outstanding(); ++i) {
      objects_.ctx().restart();
      ran += objects_.ctx().run();
    }
    return ran;
  }

  long outstanding() {
    std::lock_guard lock(mutex_);
    return outstanding_;
  }

  static bool uses_strands(const std::vector<step>& steps) {
    for (const step& s : steps)
      if (s.target != where::context || s.bound != binding::none || uses_strands(s.body))
        return true;
    return false;
  }

  void record_handlers(const std::vector<step>& steps) {
    for (const step& s : steps) {
      if (const int expected = handlers_of(s.what)) {
        const handler_record& r = handlers_[static_cast<std::size_t>(s.id)];
        const std::string what = handler_label(s) + " " + name(s.what);
        if (r.runs == expected) {
          rec_.record(what + " ran", r.error);
        } else {
          rec_.record(what + " ran " + std::to_string(r.runs.load()) + " times", r.error);
          monitor_.violated(what + " ran " + std::to_string(r.runs.load()) + " times, not " +
                            std::to_string(expected));
        }
      }
      record_handlers(s.body);
    }
  }

  void record_facts(std::size_t ran) {
    record_handlers(prog_.steps);
    if (!uses_strands(prog_.steps)) rec_.record("run() ran " + std::to_string(ran) + " handlers");
    for (const std::string& v : ledger_.fifo_violations()) monitor_.violated(v);
    const long left = outstanding();
    if (left != 0) monitor_.violated(std::to_string(left) + " handler(s) never ran");
    for (const std::string& v : monitor_.violations()) rec_.record("VIOLATED: " + v);
    rec_.record(left == 0 ? "end: every handler ran"
                          : "end: " + std::to_string(left) + " handler(s) never ran");
  }

  const program& prog_;
  recorder& rec_;
  run_monitor& monitor_;
  const timing timing_;

  // Destroyed in reverse: timers before the context.
  objects<B> objects_;
  std::map<int, timer_type> timers_;  // per wait step
  std::map<int, std::pair<std::unique_ptr<timer_type>, std::unique_ptr<timer_type>>> pair_timers_;
  std::map<int, meeting> meetings_;  // per pair_wait step

  strand_ledger ledger_;
  std::vector<handler_record> handlers_;  // per step id
  std::mutex mutex_;
  std::condition_variable idle_;
  long outstanding_ = 0;            // handlers submitted and not yet finished
  bool stopped_ = false;            // a stop step ran
  bool in_epilogue_ = false;        // set before the epilogue, after every run thread is joined
  int settles_ = 0;                 // settle steps that found every handler run
  std::map<int, int> armed_after_;  // top-level wait id -> settles_ when it ran
};

}  // namespace conformance::randomized
