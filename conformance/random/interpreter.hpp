// conformance::randomized::execute — runs a program on one backend and
// returns its trace. Written once over the backend traits B; post, dispatch,
// defer, make_strand, make_work_guard and bind_executor are called
// unqualified, so argument-dependent lookup picks twin's or Asio's.
//
// What is recorded (every event on the test's thread, slot 0):
// - "h<id>" when the handler of step #id is invoked ("h<id> t<i>" with its
//   error for a wait on timer i), then "h<id> end" after its body if any;
// - "#<id> run -> n, stopped" (or "running") for run/run_one/poll/poll_one
//   ("poll (nested) -> n" in a handler); "#<id> cancel t0 -> n" and the other
//   counts the API returns; "#<id> inside: ctx s1" for observe (the
//   executors whose running_in_this_thread() holds);
// - the epilogue: guards reset, then restart() + run() until no handler is
//   left ("final run -> n"), and whether every handler ran exactly once.
//
// A throw step throws program_exception out of its handler; the run/poll
// call (nested ones included) it leaves records "-> threw" ("-> threw
// something else" for any other exception, such as Asio's
// multiple_exceptions).
//
// Hangs are ruled out at run time, the same way on both backends (so the
// decision depends only on the trace so far): run() is skipped while a
// work guard is held, run_one() while a guard is held and no handler is
// pending. A handler invoked twice does not run its body again.
//
// Time. Deadlines are slots: slot k is base + k * spacing (base = when the
// program first arms a timer; spacing 2 ms, at most 10 slots), and every
// arming takes a slot of its own, `delay` slots after the last one that
// fired, so no two timers ever share a deadline. A program is deterministic
// when the loop only ever sees a deadline pass while it is blocked waiting
// for it: everything else it does takes far less than one spacing. The run
// checks that at every step and invocation — no pending deadline is past
// (or closer than `guard`), no deadline is armed in the past — and reports
// `late` when it was not so (a loaded machine); such a run's trace may
// legitimately differ and the comparison retries it (differential.hpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conformance/error_name.hpp"
#include "conformance/trace.hpp"
#include "conformance/watchdog.hpp"
#include "random/program.hpp"

namespace conformance::randomized {

// How program time maps onto the clock.
struct timing {
  std::chrono::microseconds spacing{2000};  // between two deadline slots
  std::chrono::microseconds guard{250};     // a deadline this close counts as past
  int last_slot = 10;                       // slots 1..last_slot exist
};

// A backend's trace of one program, and whether the clock kept to the
// program's time model (see above) throughout.
struct run_result {
  trace events;
  bool late = false;
};

// What a throw step throws; the run/poll call it leaves records "threw".
struct program_exception {};

template <typename B>
class interpreter {
  using io_context = typename B::io_context;
  using executor = typename io_context::executor_type;
  using strand_type = typename B::template strand<executor>;
  using legacy_type = typename io_context::strand;
  using timer_type = typename B::steady_timer;
  using guard_type = typename B::template executor_work_guard<executor>;
  using error_code = typename B::error_code;
  using clock = std::chrono::steady_clock;

public:
  interpreter(const program& p, recorder& rec, const timing& t)
      : prog_(p),
        rec_(rec),
        timing_(t),
        waits_(static_cast<std::size_t>(p.timers)),
        guards_(static_cast<std::size_t>(p.guards)) {
    if (p.hint_one)
      ctx_.emplace(1);
    else
      ctx_.emplace();
    for (int i = 0; i < p.strands; ++i) strands_.push_back(make_strand(*ctx_));
    for (int i = 0; i < p.legacy_strands; ++i) legacy_.emplace_back(*ctx_);
    for (int i = 0; i < p.timers; ++i) timers_.emplace_back(*ctx_);
    const std::vector<int> ids = step_ids(p.steps);
    runs_.resize(ids.empty() ? 1 : static_cast<std::size_t>(*std::ranges::max_element(ids)) + 1);
  }

  interpreter(const interpreter&) = delete;
  interpreter& operator=(const interpreter&) = delete;

  // Runs the top level, then the epilogue. Returns whether the run was late.
  bool run() {
    for (const step& s : prog_.steps) top_level(s);
    epilogue();
    return late_;
  }

private:
  struct pending_wait {
    int id;    // the wait step
    int slot;  // its deadline slot
  };

  io_context& ctx() { return *ctx_; }
  static std::string label(const step& s) { return "#" + std::to_string(s.id); }
  static std::string handler_label(const step& s) { return "h" + std::to_string(s.id); }

  void top_level(const step& s) {
    check_time();
    switch (s.what) {
      case op::run:
      case op::run_one:
      case op::poll:
      case op::poll_one: drive(s); break;
      case op::restart: ctx().restart(); break;
      case op::make_guard:
        guards_[static_cast<std::size_t>(s.index)].emplace(make_work_guard(ctx()));
        break;
      default: act(s); break;
    }
  }

  // A step either level may run.
  void act(const step& s) {
    check_time();
    switch (s.what) {
      case op::post:
      case op::dispatch:
      case op::defer: submit(s); break;
      case op::wait:
      case op::rearm: wait(s); break;
      case op::cancel:
      case op::cancel_one: {
        timer_type& t = timers_[static_cast<std::size_t>(s.index)];
        const std::size_t n = s.what == op::cancel ? t.cancel() : t.cancel_one();
        forget_oldest_waits(s.index, n);
        rec_.record(label(s) + " " + name(s.what) + " t" + std::to_string(s.index) + " -> " +
                    std::to_string(n));
        break;
      }
      case op::reset_guard:
        if (auto& g = guards_[static_cast<std::size_t>(s.index)]) g->reset();
        break;
      case op::stop: ctx().stop(); break;
      case op::observe: observe(s); break;
      case op::poll:
      case op::poll_one: drive(s, " (nested)"); break;
      case op::throw_exception: throw program_exception();
      default:  // the generator keeps the others at the top level
        rec_.record(label(s) + " " + name(s.what) + " is not allowed in a handler");
        break;
    }
  }

  // run/run_one/poll/poll_one; `where` tells a nested poll from the top level's.
  void drive(const step& s, const char* where = "") {
    const bool guarded = std::ranges::any_of(
        guards_, [](const std::optional<guard_type>& g) { return g && g->owns_work(); });
    const bool stopped = ctx().stopped();
    if (s.what == op::run && guarded && !stopped) {
      rec_.record(label(s) + " run skipped (guard)");
      return;
    }
    if (s.what == op::run_one && guarded && outstanding_ == 0 && !stopped) {
      rec_.record(label(s) + " run_one skipped (guard, idle)");
      return;
    }
    std::string result;
    try {
      switch (s.what) {
        case op::run: result = std::to_string(ctx().run()); break;
        case op::run_one: result = std::to_string(ctx().run_one()); break;
        case op::poll: result = std::to_string(ctx().poll()); break;
        default: result = std::to_string(ctx().poll_one()); break;
      }
    } catch (const program_exception&) {
      result = "threw";
    } catch (...) {  // e.g. Asio's multiple_exceptions
      result = "threw something else";
    }
    check_time();
    rec_.record(label(s) + " " + name(s.what) + where + " -> " + result +
                (ctx().stopped() ? ", stopped" : ", running"));
  }

  // "#9 inside: ctx s1": the executors whose running_in_this_thread() holds.
  void observe(const step& s) {
    std::string inside;
    if (ctx().get_executor().running_in_this_thread()) inside += " ctx";
    for (std::size_t i = 0; i < strands_.size(); ++i)
      if (strands_[i].running_in_this_thread()) inside += " s" + std::to_string(i);
    for (std::size_t i = 0; i < legacy_.size(); ++i)
      if (legacy_[i].running_in_this_thread()) inside += " l" + std::to_string(i);
    rec_.record(label(s) + " inside:" + (inside.empty() ? " nothing" : inside));
  }

  // post/dispatch/defer of the handler of `s`, bound as it says.
  void submit(const step& s) {
    ++outstanding_;
    auto h = [this, &s] { invoked(s, handler_label(s), ""); };
    if (s.target == where::legacy) {
      legacy_type& l = legacy_[static_cast<std::size_t>(s.index)];
      if (s.what == op::post)
        l.post(std::move(h));
      else if (s.what == op::dispatch)
        l.dispatch(std::move(h));
      else
        l.defer(std::move(h), std::allocator<void>());
      return;
    }
    switch (s.bound) {
      case binding::none: submit_to(s, std::move(h)); break;
      case binding::strand:
        submit_to(s,
                  bind_executor(strands_[static_cast<std::size_t>(s.bound_index)], std::move(h)));
        break;
      case binding::wrap:
        submit_to(s, legacy_[static_cast<std::size_t>(s.bound_index)].wrap(std::move(h)));
        break;
    }
  }

  template <typename Executor, typename Handler>
  static void submit_via(op how, Executor&& ex, Handler&& h) {
    if (how == op::post)
      post(ex, std::forward<Handler>(h));
    else if (how == op::dispatch)
      dispatch(ex, std::forward<Handler>(h));
    else
      defer(ex, std::forward<Handler>(h));
  }

  template <typename Handler>
  void submit_to(const step& s, Handler&& h) {
    if (s.target == where::context)
      submit_via(s.what, ctx(), std::forward<Handler>(h));
    else
      submit_via(s.what, strands_[static_cast<std::size_t>(s.index)], std::forward<Handler>(h));
  }

  // async_wait for `s` on its timer, arming the timer first when `s` is a
  // rearm or the timer has no pending wait.
  void wait(const step& s) {
    const auto t = static_cast<std::size_t>(s.index);
    std::deque<pending_wait>& pending = waits_[t];
    int slot = pending.empty() ? 0 : pending.front().slot;
    if (s.what == op::rearm || pending.empty()) {
      slot = free_slot(now_slot_ + s.delay);
      if (slot == 0) {
        rec_.record(label(s) + " skipped: no deadline slot left");
        return;
      }
      used_slots_.insert(slot);
      if (!base_) base_ = clock::now();
      const clock::time_point deadline = deadline_of(slot);
      if (deadline <= clock::now() + timing_.guard) late_ = true;
      const std::size_t n = timers_[t].expires_at(deadline);
      forget_oldest_waits(s.index, n);
      rec_.record(label(s) + " t" + std::to_string(s.index) + " expires_at slot " +
                  std::to_string(slot) + " -> " + std::to_string(n));
    }
    pending.push_back({s.id, slot});
    ++outstanding_;
    auto h = [this, &s, slot](const error_code& ec) { timer_completed(s, slot, ec); };
    switch (s.bound) {
      case binding::none: timers_[t].async_wait(std::move(h)); break;
      case binding::strand:
        timers_[t].async_wait(
            bind_executor(strands_[static_cast<std::size_t>(s.bound_index)], std::move(h)));
        break;
      case binding::wrap:
        timers_[t].async_wait(legacy_[static_cast<std::size_t>(s.bound_index)].wrap(std::move(h)));
        break;
    }
  }

  void timer_completed(const step& s, int slot, const error_code& ec) {
    const std::string what = handler_label(s) + " t" + std::to_string(s.index);
    if (!ec) {
      // The timer expired: every wait pending on it with this deadline
      // completed at once, and program time moved on to its slot.
      std::erase_if(waits_[static_cast<std::size_t>(s.index)],
                    [slot](const pending_wait& w) { return w.slot == slot; });
      now_slot_ = std::max(now_slot_, slot);
    }
    invoked(s, what, error_name(ec));
  }

  // The handler of `s` runs: records `what` (with `error`), then the body.
  void invoked(const step& s, const std::string& what, const std::string& error) {
    --outstanding_;
    check_time();
    if (++runs_[static_cast<std::size_t>(s.id)] > 1) {
      rec_.record(what + " invoked again", error);
      return;
    }
    rec_.record(what, error);
    for (const step& inner : s.body) act(inner);
    if (!s.body.empty()) rec_.record(handler_label(s) + " end");
  }

  // cancel/cancel_one/expires_at completed the `n` oldest pending waits.
  void forget_oldest_waits(int timer, std::size_t n) {
    std::deque<pending_wait>& pending = waits_[static_cast<std::size_t>(timer)];
    pending.erase(pending.begin(),
                  pending.begin() + static_cast<std::ptrdiff_t>(std::min(n, pending.size())));
  }

  // The first unused slot from `from` on, or 0 when none is left.
  int free_slot(int from) const {
    for (int slot = std::max(from, 1); slot <= timing_.last_slot; ++slot)
      if (!used_slots_.contains(slot)) return slot;
    return 0;
  }

  clock::time_point deadline_of(int slot) const { return *base_ + slot * timing_.spacing; }

  // Whether a pending deadline has passed (or nearly) while the loop was
  // busy with something else: the run left the program's time model.
  void check_time() {
    if (!base_ || late_) return;
    const clock::time_point soon = clock::now() + timing_.guard;
    for (const std::deque<pending_wait>& pending : waits_)
      for (const pending_wait& w : pending)
        if (deadline_of(w.slot) <= soon) late_ = true;
  }

  void epilogue() {
    for (std::optional<guard_type>& g : guards_) g.reset();
    // Each stop() or throw step can end one run() early; one more round
    // finds the context out of work.
    const std::size_t rounds = step_ids(prog_.steps).size() + 2;
    for (std::size_t i = 0; i < rounds; ++i) {
      ctx().restart();
      try {
        rec_.record("final run -> " + std::to_string(ctx().run()));
      } catch (const program_exception&) {
        rec_.record("final run -> threw");
      } catch (...) {
        rec_.record("final run -> threw something else");
      }
      if (outstanding_ == 0) break;
    }
    rec_.record(outstanding_ == 0
                    ? "end: every handler ran"
                    : "end: " + std::to_string(outstanding_) + " handler(s) never ran");
  }

  const program& prog_;
  recorder& rec_;
  const timing timing_;

  // Destroyed in reverse: guards, timers and strands before the context.
  std::optional<io_context> ctx_;
  std::vector<strand_type> strands_;
  std::deque<legacy_type> legacy_;
  std::deque<timer_type> timers_;
  std::vector<std::deque<pending_wait>> waits_;  // per timer, oldest first
  std::vector<std::optional<guard_type>> guards_;

  std::vector<int> runs_;  // per step id: how many times its handler ran
  long outstanding_ = 0;   // handlers submitted and not yet invoked
  std::optional<clock::time_point> base_;
  std::set<int> used_slots_;
  int now_slot_ = 0;  // the slot of the latest expiry seen
  bool late_ = false;
};

// Runs `p` on backend B under a watchdog naming the program.
template <typename B>
run_result execute(const program& p, const timing& t = {}) {
  watchdog dog("random program " + std::to_string(p.seed) + " on " + std::string(B::name),
               watchdog::default_limit());
  recorder rec;
  bool late = false;
  {
    interpreter<B> machine(p, rec, t);
    late = machine.run();
  }
  return {rec.events(), late};
}

}  // namespace conformance::randomized
