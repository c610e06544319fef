// conformance::randomized::interpreter — runs a driven program (program.hpp)
// on one backend and records its trace. Written once over the backend
// traits B (objects.hpp submits the handlers).
//
// What is recorded (every event on the test's thread, slot 0):
// - "h<id>" when the handler of step #id is invoked ("h<id> t<i>" with its
//   error for a wait on timer i, "h<id> pair" for either handler of a
//   pair_wait, "h<id> read p0s" with error and byte count for a socket
//   read or write), then "h<id> end" after its body if any;
// - "#<id> run -> n, stopped" (or "running") for run/run_one/run_for/
//   run_one_for/poll/poll_one ("poll (nested) -> n" in a handler); the counts
//   cancel/cancel_one/expires_at return; the error of close/cancel/shutdown
//   on a socket; "#<id> inside: ctx s1" for observe;
// - the epilogue: guards reset, then restart() + run() until no handler is
//   left ("final run -> n"), and whether every handler ran exactly once.
// A timer handler or run_for that ran before its deadline is marked
// "(early)"; a read that got other bytes than were sent next, "(wrong bytes)".
//
// A throw step throws program_exception out of its handler; the run/poll
// call it leaves records "-> threw" ("-> threw something else" for any other
// exception, such as Asio's multiple_exceptions).
//
// Hangs are ruled out at run time, the same way on both backends (so the
// decision depends only on the trace so far): run() is skipped while a work
// guard is held or only reads that may wait for ever are pending
// (interpreter_sockets.hpp), run_one() while nothing but those or a guard
// would keep it waiting; inside run() the handler after which only such
// reads are left cancels their sockets ("rescue: cancel p0s"). A handler
// invoked more often than it was submitted does not run its body again.
//
// Time. Deadlines are slots: slot k is base + k * spacing (base = when the
// program first needs a deadline; at most 10 slots), and every arming (and
// every run_for) takes a slot of its own, `delay` slots after the last one
// reached, so no two deadlines ever coincide — except a pair_wait's two
// timers, which share one on purpose. A program is deterministic when the
// loop only ever sees a deadline pass while it is blocked waiting for it.
// The run reports to its run_monitor (punctuality.hpp) how late each
// deadline was met and whether one came near while the loop was busy;
// differential.hpp judges those figures, against the oracle's.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/error_name.hpp"
#include "conformance/trace.hpp"
#include "random/interpreter_sockets.hpp"
#include "random/objects.hpp"
#include "random/program.hpp"
#include "random/punctuality.hpp"
#include "random/slot_clock.hpp"

namespace conformance::randomized {

// What a throw step throws; the run/poll call it leaves records "threw".
struct program_exception {};

template <typename B>
class interpreter {
  using io_context = typename B::io_context;
  using executor = typename io_context::executor_type;
  using timer_type = typename B::steady_timer;
  using guard_type = typename B::template executor_work_guard<executor>;
  using error_code = typename B::error_code;
  using clock = program_clock;

public:
  interpreter(const program& p, recorder& rec, run_monitor& monitor, const timing& t)
      : prog_(p),
        rec_(rec),
        monitor_(monitor),
        timing_(t),
        slots_(t),
        objects_(p),
        waits_(static_cast<std::size_t>(p.timers)),
        guards_(static_cast<std::size_t>(p.guards)) {
    for (int i = 0; i < p.timers; ++i) timers_.emplace_back(ctx());
    if (p.socket_pairs) sockets_.emplace(ctx(), p.socket_pairs);
    const std::vector<int> ids = step_ids(p.steps);
    runs_.resize(ids.empty() ? 1 : static_cast<std::size_t>(*std::ranges::max_element(ids)) + 1);
  }

  interpreter(const interpreter&) = delete;
  interpreter& operator=(const interpreter&) = delete;

  // Runs the top level, then the epilogue.
  void run() {
    for (const step& s : prog_.steps) top_level(s);
    epilogue();
  }

private:
  struct pending_wait {
    int id;    // the wait step
    int slot;  // its deadline slot
  };

  io_context& ctx() { return objects_.ctx(); }
  static std::string label(const step& s) { return "#" + std::to_string(s.id); }
  static std::string handler_label(const step& s) { return "h" + std::to_string(s.id); }

  void top_level(const step& s) {
    check_time();
    switch (s.what) {
      case op::run:
      case op::run_one:
      case op::poll:
      case op::poll_one: drive(s); break;
      case op::run_for:
      case op::run_one_for: drive_for(s); break;
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
      case op::defer:
        ++outstanding_;
        objects_.submit(s, [this, &s] { invoked(s, handler_label(s), ""); });
        break;
      case op::wait:
      case op::rearm: wait(s); break;
      case op::pair_wait: pair_wait(s); break;
      case op::read:
      case op::write: start_io(s); break;
      case op::close_socket:
      case op::cancel_socket:
      case op::shutdown_send: socket_call(s); break;
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
      case op::observe: rec_.record(label(s) + " inside:" + objects_.inside()); break;
      case op::poll:
      case op::poll_one: drive(s, " (nested)"); break;
      case op::throw_exception: throw program_exception();
      default:  // the generator keeps the others at the top level
        rec_.record(label(s) + " " + name(s.what) + " is not allowed in a handler");
        break;
    }
  }

  // Calls `call` (a run/poll of the context) and returns its count as text,
  // or how it threw.
  template <typename Call>
  static std::string count_of(Call&& call) {
    try {
      return std::to_string(call());
    } catch (const program_exception&) {
      return "threw";
    } catch (...) {  // e.g. Asio's multiple_exceptions
      return "threw something else";
    }
  }

  // run/run_one/poll/poll_one; `where` tells a nested poll from the top level's.
  void drive(const step& s, const char* where = "") {
    const bool guarded = std::ranges::any_of(
        guards_, [](const std::optional<guard_type>& g) { return g && g->owns_work(); });
    const int stuck = sockets_ ? sockets_->stuck() : 0;
    const bool idle = outstanding_ == stuck;  // nothing pending that will complete
    if (!ctx().stopped()) {
      if (s.what == op::run && (guarded || (stuck && idle))) {
        rec_.record(label(s) + (guarded ? " run skipped (guard)" : " run skipped (stuck reads)"));
        return;
      }
      if (s.what == op::run_one && idle && (guarded || stuck)) {
        rec_.record(label(s) + (guarded ? " run_one skipped (guard, idle)"
                                        : " run_one skipped (stuck reads)"));
        return;
      }
    }
    const bool outer = in_run_;  // a nested poll runs inside a run() too
    in_run_ = outer || s.what == op::run;
    const std::string result = count_of([&] {
      switch (s.what) {
        case op::run: return ctx().run();
        case op::run_one: return ctx().run_one();
        case op::poll: return ctx().poll();
        default: return ctx().poll_one();
      }
    });
    in_run_ = outer;
    check_time();
    rec_.record(label(s) + " " + name(s.what) + where + " -> " + result +
                (ctx().stopped() ? ", stopped" : ", running"));
  }

  // run_for/run_one_for until the deadline of a slot of their own. One that
  // returns with the context still running reached that deadline: program
  // time moves on to it, and how late it returned counts as lateness.
  void drive_for(const step& s) {
    const int slot = take_slot(s);
    if (slot == 0) return;
    const clock::time_point deadline = slots_.deadline(slot);
    run_deadline_ = deadline;
    const std::string result = count_of([&] {
      const auto left = std::max(deadline - clock::now(), clock::duration::zero());
      return s.what == op::run_for ? ctx().run_for(left) : ctx().run_one_for(left);
    });
    run_deadline_.reset();
    std::string what = label(s) + " " + name(s.what) + " slot " + std::to_string(slot) + " -> " +
                       result + (ctx().stopped() ? ", stopped" : ", running");
    const bool counted = result.find("threw") == std::string::npos;
    if (counted && !ctx().stopped() && (s.what == op::run_for || result == "0")) {
      if (!monitor_.due(deadline, label(s) + " " + name(s.what), true)) what += " (early)";
      slots_.reached(slot);
    }
    check_time();
    rec_.record(what);
  }

  // async_wait for `s` on its timer, arming the timer first when `s` is a
  // rearm or the timer has no pending wait.
  void wait(const step& s) {
    const auto t = static_cast<std::size_t>(s.index);
    std::deque<pending_wait>& pending = waits_[t];
    int slot = pending.empty() ? 0 : pending.front().slot;
    if (s.what == op::rearm || pending.empty()) {
      slot = take_slot(s);
      if (slot == 0) return;
      const clock::time_point deadline = slots_.deadline(slot);
      const std::size_t n = s.relative ? timers_[t].expires_after(deadline - clock::now())
                                       : timers_[t].expires_at(deadline);
      forget_oldest_waits(s.index, n);
      rec_.record(label(s) + " t" + std::to_string(s.index) +
                  (s.relative ? " expires_after" : " expires_at") + " slot " +
                  std::to_string(slot) + " -> " + std::to_string(n));
    }
    pending.push_back({s.id, slot});
    ++outstanding_;
    const clock::time_point expiry = timers_[t].expiry();
    objects_.with_binding(
        s, [this, &s, slot, expiry](const error_code& ec) { timer_completed(s, slot, expiry, ec); },
        [&](auto&& h) { timers_[t].async_wait(std::move(h)); });
  }

  void timer_completed(const step& s, int slot, clock::time_point expiry, const error_code& ec) {
    std::string what = handler_label(s) + " t" + std::to_string(s.index);
    if (!ec) {
      // The timer expired: every wait pending on it with this deadline
      // completed at once, and program time moved on to its slot.
      std::erase_if(waits_[static_cast<std::size_t>(s.index)],
                    [slot](const pending_wait& w) { return w.slot == slot; });
      slots_.reached(slot);
      if (!monitor_.due(expiry, what, s.bound == binding::none)) what += " (early)";
    }
    invoked(s, what, error_name(ec));
  }

  // Two timers of the step's own at one deadline, one wait each.
  void pair_wait(const step& s) {
    const int slot = take_slot(s);
    if (slot == 0) return;
    const clock::time_point deadline = slots_.deadline(slot);
    rec_.record(label(s) + " pair expires_at slot " + std::to_string(slot));
    pairs_pending_[s.id] = slot;
    outstanding_ += 2;
    for (int i = 0; i < 2; ++i) {
      timer_type& t = pair_timers_.emplace_back(ctx(), deadline);
      t.async_wait([this, &s, slot, deadline](const error_code& ec) {
        // Both expire in one reactor run; the first handler ends the wait.
        pairs_pending_.erase(s.id);
        std::string what = handler_label(s) + " pair";
        if (!ec) slots_.reached(slot);
        if (!ec && !monitor_.due(deadline, what, true)) what += " (early)";
        invoked(s, what, error_name(ec));
      });
    }
  }

  void start_io(const step& s) {
    const std::string what = name(s.what) + (" " + end_name(s.index));
    if (s.what == op::read ? !sockets_->may_read(s.index) : !sockets_->may_write(s.index)) {
      rec_.record(label(s) + " " + what + " skipped (that direction has ended)");
      return;
    }
    ++outstanding_;
    auto h = [this, &s, what](const error_code& ec, std::size_t n) {
      const std::string error = error_name(ec);
      std::string done = handler_label(s) + " " + what;
      if (s.what == op::write) sockets_->end_write(s, error);
      if (s.what == op::read && !sockets_->end_read(s, n, error)) done += " (wrong bytes)";
      invoked(s, done, error, n);
    };
    auto& socket = sockets_->at(s.index);
    if (s.what == op::read) {
      const auto buffer = sockets_->begin_read(s);
      objects_.with_binding(
          s, std::move(h), [&](auto&& bound) { socket.async_read_some(buffer, std::move(bound)); });
    } else {
      const auto buffer = sockets_->begin_write(s);
      objects_.with_binding(s, std::move(h), [&](auto&& bound) {
        socket.async_write_some(buffer, std::move(bound));
      });
    }
  }

  void socket_call(const step& s) {
    if (s.what == op::shutdown_send && !sockets_->may_shut_down(s.index)) {
      rec_.record(label(s) + " shutdown_send " + end_name(s.index) + " skipped (bytes unread)");
      return;
    }
    error_code ec;
    if (s.what == op::close_socket) sockets_->close(s.index, ec);
    if (s.what == op::cancel_socket) sockets_->cancel(s.index, ec);
    if (s.what == op::shutdown_send) sockets_->shutdown_send(s.index, ec);
    rec_.record(label(s) + " " + name(s.what) + " " + end_name(s.index), error_name(ec));
  }

  // The handler of `s` runs: records `what` (with `error` and `bytes`), then
  // the body. Inside run(), the outermost handler after which only stuck
  // reads would be left rescues them (see above).
  void invoked(const step& s, const std::string& what, const std::string& error,
               std::size_t bytes = 0) {
    --outstanding_;
    check_time();
    if (++runs_[static_cast<std::size_t>(s.id)] > handlers_of(s.what)) {
      rec_.record(what + " invoked again", error, bytes);
      return;
    }
    rec_.record(what, error, bytes);
    ++depth_;
    struct leave {
      int& depth;
      ~leave() { --depth; }
    } on_exit{depth_};
    for (const step& inner : s.body) act(inner);
    if (!s.body.empty()) rec_.record(handler_label(s) + " end");
    if (depth_ == 1 && in_run_) rescue_if_stuck();
  }

  void rescue_if_stuck() {
    if (!sockets_ || outstanding_ != sockets_->stuck() || outstanding_ == 0) return;
    rec_.record("rescue: cancel" + sockets_->rescue());
  }

  // The deadline slot step `s` arms, `delay` slots on; 0 (recorded) when
  // none is left. A deadline already (nearly) past breaks the time model.
  int take_slot(const step& s) {
    const int slot = slots_.take(s.delay);
    if (slot == 0)
      rec_.record(label(s) + " skipped: no deadline slot left");
    else if (slots_.deadline(slot) <= clock::now() + timing_.guard)
      monitor_.model_broke();
    return slot;
  }

  // cancel/cancel_one/expires_at completed the `n` oldest pending waits.
  void forget_oldest_waits(int timer, std::size_t n) {
    std::deque<pending_wait>& pending = waits_[static_cast<std::size_t>(timer)];
    pending.erase(pending.begin(),
                  pending.begin() + static_cast<std::ptrdiff_t>(std::min(n, pending.size())));
  }

  // Whether a pending deadline has passed (or nearly) while the loop was
  // busy with something else: the run left the program's time model.
  void check_time() {
    if (!slots_.started() || monitor_.model_broken()) return;
    const clock::time_point soon = clock::now() + timing_.guard;
    bool near = run_deadline_ && *run_deadline_ <= soon;
    for (const std::deque<pending_wait>& pending : waits_)
      for (const pending_wait& w : pending) near = near || slots_.deadline(w.slot) <= soon;
    for (const auto& [id, slot] : pairs_pending_) near = near || slots_.deadline(slot) <= soon;
    if (near) monitor_.model_broke();
  }

  void epilogue() {
    for (std::optional<guard_type>& g : guards_) g.reset();
    // Each stop() or throw step can end one run() early; one more round
    // finds the context out of work.
    const std::size_t rounds = step_ids(prog_.steps).size() + 2;
    for (std::size_t i = 0; i < rounds; ++i) {
      ctx().restart();
      rescue_if_stuck();
      in_run_ = true;
      rec_.record("final run -> " + count_of([&] { return ctx().run(); }));
      in_run_ = false;
      if (outstanding_ == 0) break;
    }
    rec_.record(outstanding_ == 0
                    ? "end: every handler ran"
                    : "end: " + std::to_string(outstanding_) + " handler(s) never ran");
  }

  const program& prog_;
  recorder& rec_;
  run_monitor& monitor_;
  const timing timing_;
  slot_clock slots_;

  // Destroyed in reverse: sockets, timers and guards before the context.
  objects<B> objects_;
  std::deque<timer_type> timers_;
  std::deque<timer_type> pair_timers_;  // two per pair_wait that ran
  std::optional<socket_ends<B>> sockets_;
  std::vector<std::deque<pending_wait>> waits_;  // per timer, oldest first
  std::map<int, int> pairs_pending_;             // pair_wait id -> slot, until it fires
  std::vector<std::optional<guard_type>> guards_;

  std::vector<int> runs_;                          // per step id: how many times its handler(s) ran
  long outstanding_ = 0;                           // handlers submitted and not yet invoked
  std::optional<clock::time_point> run_deadline_;  // of the run_for in progress
  bool in_run_ = false;                            // inside a run() that could block for ever
  int depth_ = 0;                                  // handlers being invoked, nested
};

}  // namespace conformance::randomized
