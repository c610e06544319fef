// conformance::randomized::generate — a random single-threaded program from
// a 64-bit seed.
//
// The same seed gives the same program on every machine and compiler: the
// only source of randomness is std::mt19937_64, whose output sequence the
// standard fixes, reduced with `%` (the standard distributions are not
// portable). Changing any choice below changes what every seed means, and
// regression_seeds.txt with it; the fingerprint test says so.
//
// A program has at most 40 steps (nested bodies included), so it is finite
// by construction: every handler runs its body once. Two behaviours Asio's
// documentation leaves open are never generated:
// - equal timer deadlines: the interpreter gives every arming its own
//   deadline slot (interpreter.hpp); several waits on one timer share its
//   single deadline and complete in the order they were started;
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
  static constexpr int max_steps = 40;
  static constexpr int max_depth = 4;

  explicit generator(std::uint64_t seed) : rng_(seed) { p_.seed = seed; }

  program make() && {
    p_.hint_one = chance(50);
    p_.strands = static_cast<int>(below(3));
    p_.legacy_strands = static_cast<int>(below(2));
    p_.timers = chance(50) ? 1 + static_cast<int>(below(3)) : 0;
    p_.guards = static_cast<int>(below(3));
    budget_ = 4 + static_cast<int>(below(max_steps - 3));
    while (budget_ > 0) p_.steps.push_back(top_step());
    return std::move(p_);
  }

private:
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

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
    --budget_;
    step s;
    s.id = next_id_++;
    s.what = what;
    return s;
  }

  // A step of the top level: anything, including driving the context.
  step top_step() {
    const int timers = p_.timers ? 1 : 0, guards = p_.guards ? 1 : 0;
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
                          {op::poll_one, 7}});
    return what == op::post ? submission(0) : with_index(make_step(what));
  }

  // A step inside a handler at `depth`: never run/run_one (which could
  // block), restart (not allowed while run() is active) or make_guard (a
  // guard made inside run() would keep it from ever returning). A throw
  // appears only here: at the top level it would leave the test.
  step body_step(int depth) {
    const int timers = p_.timers ? 1 : 0, guards = p_.guards ? 1 : 0;
    const op what = pick({{op::post, 55},
                          {op::cancel, 4 * timers},
                          {op::cancel_one, 4 * timers},
                          {op::reset_guard, 4 * guards},
                          {op::stop, 5},
                          {op::observe, 6},
                          {op::poll, 4},
                          {op::poll_one, 4},
                          {op::throw_exception, 2}});
    return what == op::post ? submission(depth) : with_index(make_step(what));
  }

  // Chooses the timer or guard a cancel/cancel_one/guard step acts on.
  step with_index(step s) {
    if (s.what == op::cancel || s.what == op::cancel_one)
      s.index = static_cast<int>(below(static_cast<std::uint64_t>(p_.timers)));
    if (s.what == op::make_guard || s.what == op::reset_guard)
      s.index = static_cast<int>(below(static_cast<std::uint64_t>(p_.guards)));
    return s;
  }

  binding pick_binding(int& index) {
    const int roll = static_cast<int>(below(100));
    if (roll < 17 && p_.strands) {
      index = static_cast<int>(below(static_cast<std::uint64_t>(p_.strands)));
      return binding::strand;
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
    if (p_.timers && chance(25)) {
      s = make_step(chance(80) ? op::wait : op::rearm);
      s.index = static_cast<int>(below(static_cast<std::uint64_t>(p_.timers)));
      s.delay = 1 + static_cast<int>(below(3));
      s.bound = pick_binding(s.bound_index);
    } else {
      s = make_step(pick({{op::post, 40}, {op::dispatch, 35}, {op::defer, 25}}));
      const int roll = static_cast<int>(below(100));
      if (roll < 30 && p_.strands) {
        s.target = where::strand;
        s.index = static_cast<int>(below(static_cast<std::uint64_t>(p_.strands)));
      } else if (roll >= 80 && p_.legacy_strands) {
        s.target = where::legacy;  // legacy strands take plain handlers only
      }
      if (s.target != where::legacy) s.bound = pick_binding(s.bound_index);
    }
    static constexpr int body_chance[max_depth] = {55, 40, 25, 15};
    if (depth < max_depth && budget_ > 0 && chance(body_chance[depth])) {
      const int n = 1 + static_cast<int>(below(3));
      for (int i = 0; i < n && budget_ > 0; ++i) s.body.push_back(body_step(depth + 1));
    }
    return s;
  }

  std::mt19937_64 rng_;
  program p_;
  int next_id_ = 1;
  int budget_ = 0;
};

// The program seed `seed` stands for.
inline program generate(std::uint64_t seed) { return generator(seed).make(); }

}  // namespace conformance::randomized
