// conformance::randomized::generate — a random program from a 64-bit seed:
// generate(seed) the driven program, generate_pool(seed) the pool program
// (program.hpp).
//
// The same seed gives the same program on every machine and compiler: the
// only source of randomness is std::mt19937_64, whose output sequence the
// standard fixes, reduced with `%` (the standard distributions are not
// portable). Changing any choice below changes what seeds mean, and
// regression_seeds.txt with it; the fingerprint test says so.
//
// A driven program is made from two streams of that generator. The classic
// stream (seeded with the seed) makes exactly the programs of the first
// version of this generator — at most 40 steps, ids 1..k — so a shrunk
// regression program (`keep=` ids) still means what it meant
// (generate_classic(seed) is that part alone). The extra stream (seeded
// apart) inserts up to 16 steps of the kinds added since (run_for, equal
// deadlines, sockets, nested strands, expires_after), at random places,
// numbered k+1.. in program order. A pool program comes from a third
// stream.
//
// Behaviours Asio's documentation leaves open are never generated, or are
// recorded so that the open part cannot show:
// - equal timer deadlines: every arming takes a deadline slot of its own
//   (interpreter.hpp); the one exception, pair_wait, arms two timers at one
//   deadline and gives both handlers one label and no body;
// - two legacy io_context::strand objects: Asio hashes each onto one of 193
//   shared implementations, so two unrelated legacy strands can serialize
//   against each other, or even count as each other
//   (chriskohlhoff/asio#147); a program has at most one.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>
#include <utility>
#include <vector>

#include "random/program.hpp"

namespace conformance::randomized {

class generator {
public:
  static constexpr int max_steps = 40;        // the classic stream's (and a pool program's)
  static constexpr int max_extra_steps = 16;  // the extra stream's
  static constexpr int max_depth = 4;

  explicit generator(std::uint64_t seed)
      : classic_{std::mt19937_64(seed), 0, 1},
        extra_{std::mt19937_64(seed ^ 0x5DEECE66Dull), max_extra_steps, -1},
        pool_{std::mt19937_64(seed ^ 0x2545F4914F6CDD1Dull), 0, 1} {
    p_.seed = seed;
  }

  // The driven program of the seed.
  program make() && { return std::move(*this).make_driven(true); }

  // The classic stream's part of it alone: the program the first version of
  // this generator made from the seed.
  program make_classic() && { return std::move(*this).make_driven(false); }

  // The pool program of the seed: threads calling run(), the top level
  // submitted from outside. No guards, no shared timers, no sockets, no
  // nested run or poll; stop() only in programs without pair_wait (a stop
  // would leave one handler of a pair waiting for a partner that never runs)
  // or cancel_wait (after a stop, whether the wait's expiry had reached the
  // queue or not is the interleaving's choice).
  program make_pool() && {
    cur_ = &pool_;
    p_.threads = 1 + static_cast<int>(below(3));
    p_.strands = static_cast<int>(below(3));
    p_.legacy_strands = static_cast<int>(below(2));
    if (p_.strands && chance(50)) nest();
    stopper_ = chance(25);
    pool_.budget = 4 + static_cast<int>(below(max_steps - 3));
    while (pool_.budget > 0) p_.steps.push_back(pool_top_step());
    return std::move(p_);
  }

private:
  program make_driven(bool extras) && {
    p_.classic = !extras;
    if (!extras) extra_.budget = 0;
    cur_ = &classic_;
    p_.hint_one = chance(50);
    p_.strands = static_cast<int>(below(3));
    p_.legacy_strands = static_cast<int>(below(2));
    p_.timers = chance(50) ? 1 + static_cast<int>(below(3)) : 0;
    p_.guards = static_cast<int>(below(3));
    classic_.budget = 4 + static_cast<int>(below(max_steps - 3));
    if (extras) {
      with(extra_, [&] {
        if (p_.strands && chance(40)) nest();
        p_.socket_pairs = chance(45) ? 1 + static_cast<int>(below(2)) : 0;
      });
    }
    while (classic_.budget > 0) {
      maybe_extra(p_.steps, 0);
      p_.steps.push_back(top_step());
    }
    maybe_extra(p_.steps, 0);
    int last = step_count(p_.steps);
    renumber_extras(p_.steps, last);
    return std::move(p_);
  }

  struct stream {
    std::mt19937_64 rng;
    int budget;
    int next_id;  // the extra stream counts down from -1; renumbered at the end
  };

  std::uint64_t below(std::uint64_t n) { return cur_->rng() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  int pick_index(int n) { return static_cast<int>(below(static_cast<std::uint64_t>(n))); }
  // Whether the kinds added after the first version may be chosen.
  bool extended() const { return cur_ != &classic_; }
  bool pool() const { return p_.threads > 0; }

  template <typename F>
  void with(stream& s, F&& f) {
    stream* const saved = cur_;
    cur_ = &s;
    f();
    cur_ = saved;
  }

  void nest() {
    const int n = 1 + pick_index(2);
    for (int i = 0; i < n; ++i) p_.nested.push_back(pick_index(p_.strands));
  }

  // One of `choices` (an op and its weight); a weight of 0 never wins.
  op pick(std::initializer_list<std::pair<op, int>> choices) {
    int total = 0;
    for (const auto& [o, w] : choices) total += w;
    int roll = static_cast<int>(below(static_cast<std::uint64_t>(total)));
    for (const auto& [o, w] : choices) {
      if (roll < w) return o;
      roll -= w;
    }
    return choices.begin()->first;
  }

  step make_step(op what) {
    --cur_->budget;
    step s;
    s.id = cur_->next_id;
    cur_->next_id += cur_ == &extra_ ? -1 : 1;
    s.what = what;
    return s;
  }

  // Before a classic step: now and then one step of the extra stream.
  void maybe_extra(std::vector<step>& into, int depth) {
    if (extended() || extra_.budget <= 0) return;
    with(extra_, [&] {
      if (chance(depth == 0 ? 30 : 15)) into.push_back(depth == 0 ? top_step() : body_step(depth));
    });
  }

  static int step_count(const std::vector<step>& steps) {
    int n = 0;
    for (const step& s : steps) n += s.id > 0 ? 1 + step_count(s.body) : step_count(s.body);
    return n;
  }
  // Extra steps (negative ids) become k+1.., in program order.
  static void renumber_extras(std::vector<step>& steps, int& last) {
    for (step& s : steps) {
      if (s.id < 0) s.id = ++last;
      renumber_extras(s.body, last);
    }
  }

  // A step of the top level: anything, including driving the context.
  step top_step() {
    const int timers = p_.timers ? 1 : 0, guards = p_.guards ? 1 : 0;
    const int x = extended() ? 1 : 0, sockets = x && p_.socket_pairs ? 1 : 0;
    const op what = pick({{op::post, 40},
                          {op::cancel, 3 * timers},
                          {op::cancel_one, 3 * timers},
                          {op::make_guard, 5 * guards},
                          {op::reset_guard, 4 * guards},
                          {op::stop, 3},
                          {op::restart, 7},
                          {op::observe, 2},
                          {op::run, 7},
                          {op::run_one, 10},
                          {op::poll, 7},
                          {op::poll_one, 7},
                          {op::run_for, 12 * x},
                          {op::run_one_for, 10 * x},
                          {op::pair_wait, 6 * x},
                          {op::read, 14 * sockets},
                          {op::write, 14 * sockets},
                          {op::close_socket, 2 * sockets},
                          {op::cancel_socket, 3 * sockets},
                          {op::shutdown_send, 3 * sockets}});
    return compose(what, 0);
  }

  // A step inside a handler at `depth`: never run/run_one (which could
  // block), restart (not allowed while run() is active) or make_guard (a
  // guard made inside run() would keep it from ever returning). A throw
  // appears only here: at the top level it would leave the test.
  step body_step(int depth) {
    const int timers = p_.timers ? 1 : 0, guards = p_.guards ? 1 : 0;
    const int x = extended() ? 1 : 0, sockets = x && p_.socket_pairs ? 1 : 0;
    const op what = pick({{op::post, 55},
                          {op::cancel, 4 * timers},
                          {op::cancel_one, 4 * timers},
                          {op::reset_guard, 4 * guards},
                          {op::stop, 5},
                          {op::observe, 6},
                          {op::poll, 4},
                          {op::poll_one, 4},
                          {op::throw_exception, 2},
                          {op::pair_wait, 4 * x},
                          {op::read, 10 * sockets},
                          {op::write, 10 * sockets},
                          {op::close_socket, 1 * sockets},
                          {op::cancel_socket, 2 * sockets},
                          {op::shutdown_send, 2 * sockets}});
    return compose(what, depth);
  }

  // A pool program's top level: submissions from outside, pairs, cancels
  // of earlier top-level waits, and pauses until the pool is idle.
  step pool_top_step() {
    const op what = pick({{op::post, 45},
                          {op::pair_wait, stopper_ ? 0 : 8},
                          {op::cancel_wait, top_waits_.empty() || stopper_ ? 0 : 8},
                          {op::settle, 6}});
    if (what == op::cancel_wait) {
      step s = make_step(what);
      const int which = pick_index(static_cast<int>(top_waits_.size()));
      s.index = top_waits_[static_cast<std::size_t>(which)];
      return s;
    }
    step s = compose(what, 0);
    if (s.what == op::wait) top_waits_.push_back(s.id);
    return s;
  }

  // A pool program's handler body.
  step pool_body_step(int depth) {
    const op what = pick({{op::post, 60},
                          {op::pair_wait, stopper_ ? 0 : 4},
                          {op::observe, 8},
                          {op::stop, stopper_ ? 4 : 0}});
    return compose(what, depth);
  }

  // The step `what` at `depth`, with its operands (and body, if it submits).
  step compose(op what, int depth) {
    if (what == op::post) return submission(depth);
    if (what == op::read || what == op::write) return socket_submission(what, depth);
    step s = make_step(what);
    if (s.what == op::cancel || s.what == op::cancel_one) s.index = pick_index(p_.timers);
    if (s.what == op::make_guard || s.what == op::reset_guard) s.index = pick_index(p_.guards);
    if (s.what == op::run_for || s.what == op::run_one_for || s.what == op::pair_wait)
      s.delay = 1 + pick_index(3);
    if (s.what == op::close_socket || s.what == op::cancel_socket || s.what == op::shutdown_send)
      s.index = pick_index(2 * p_.socket_pairs);
    return s;
  }

  binding pick_binding(int& index) {
    const int roll = static_cast<int>(below(100));
    if (roll < 17 && p_.strands) {
      index = pick_index(p_.strands);
      return binding::strand;
    }
    if (extended() && roll < 27 && !p_.nested.empty()) {
      index = pick_index(static_cast<int>(p_.nested.size()));
      return binding::nested;
    }
    if (roll >= 92 && p_.legacy_strands) {
      index = 0;
      return binding::wrap;
    }
    return binding::none;
  }

  // A post/dispatch/defer or a timer wait, at `depth`, with its body.
  step submission(int depth) {
    step s;
    const bool waits = pool() || p_.timers;  // a pool program's waits have timers of their own
    if (waits && chance(25)) {
      s = make_step(chance(80) || pool() ? op::wait : op::rearm);
      s.index = pool() ? -1 : pick_index(p_.timers);  // a pool wait's timer is its own
      s.delay = 1 + pick_index(3);
      s.bound = pick_binding(s.bound_index);
      if (extended() && !pool()) s.relative = chance(40);
    } else {
      s = make_step(pick({{op::post, 40}, {op::dispatch, 35}, {op::defer, 25}}));
      const int roll = static_cast<int>(below(100));
      if (roll < 30 && p_.strands) {
        s.target = where::strand;
        s.index = pick_index(p_.strands);
      } else if (extended() && roll < 45 && !p_.nested.empty()) {
        s.target = where::nested;
        s.index = pick_index(static_cast<int>(p_.nested.size()));
      } else if (roll >= 80 && p_.legacy_strands) {
        s.target = where::legacy;  // legacy strands take plain handlers only
      }
      if (s.target != where::legacy) s.bound = pick_binding(s.bound_index);
    }
    add_body(s, depth);
    return s;
  }

  // An async read or write on a socket end, with its body.
  step socket_submission(op what, int depth) {
    step s = make_step(what);
    s.index = pick_index(2 * p_.socket_pairs);
    s.size = what == op::read ? (chance(8) ? 0 : 1 + pick_index(64)) : 1 + pick_index(48);
    s.bound = pick_binding(s.bound_index);
    add_body(s, depth);
    return s;
  }

  void add_body(step& s, int depth) {
    static constexpr int body_chance[max_depth] = {55, 40, 25, 15};
    if (depth < max_depth && cur_->budget > 0 && chance(body_chance[depth])) {
      const int n = 1 + pick_index(3);
      for (int i = 0; i < n && cur_->budget > 0; ++i) {
        maybe_extra(s.body, depth + 1);
        s.body.push_back(pool() ? pool_body_step(depth + 1) : body_step(depth + 1));
      }
    }
  }

  stream classic_, extra_, pool_;
  stream* cur_ = &classic_;
  program p_;
  bool stopper_ = false;        // pool: this program may stop(), and has no pair_wait
  std::vector<int> top_waits_;  // pool: the top-level wait steps so far
};

// The driven program seed `seed` stands for.
inline program generate(std::uint64_t seed) { return generator(seed).make(); }

// The part of generate(seed) the first version of the generator made.
inline program generate_classic(std::uint64_t seed) { return generator(seed).make_classic(); }

// The pool program seed `seed` stands for ("p<seed>").
inline program generate_pool(std::uint64_t seed) { return generator(seed).make_pool(); }

}  // namespace conformance::randomized
