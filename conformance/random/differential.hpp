// conformance::randomized::compare — one program on the backend under test
// and on the oracle, in this process, and the verdict.
//
// An attempt runs the program once on each backend. Whether a run was on
// time (punctuality.hpp: no deadline met later than the bound, none near
// while the loop was busy; for the oracle, also no pair that failed to
// meet) is measured against the clock, and judged against the oracle's run
// of the same attempt — never by the backend under test alone:
// - both on time: the traces must be equal, neither backend may break a
//   property, and every pair must have met on the tested backend too (a
//   backend that leaves a ready handler waiting 500 ms while a thread idles
//   is no victim of noise when the oracle, in the same attempt, was not);
//   a difference counts when it happens again in a second such attempt (a
//   program diverges only reproducibly; one that differs once and then
//   agrees is reported as unstable);
// - the oracle off time: the machine was loaded. If the tested run kept
//   time and the traces agree anyway, that settles it; otherwise the
//   attempt proves nothing and is made again, with program time stretched
//   (deadline spacing doubled, up to 16 times; the traces do not depend on
//   the scale) so that a slow step fits between deadlines; the lateness
//   bound does not stretch. Agreeing traces never excuse a tested run that
//   was off time;
// - the tested backend off time, the oracle on time: suspect, run again.
//   A backend off time on *every* attempt, while the oracle was on time in
//   at least half of them, is `late`: a divergence, reported with both
//   figures. So a retry absorbs the machine's noise, never a backend that
//   is always late. (The two runs of an attempt take turns going first.)
// A program that never gets a decisive attempt is `undecided`.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "conformance/trace_format.hpp"
#include "conformance/watchdog.hpp"
#include "random/interpreter.hpp"
#include "random/interpreter_pool.hpp"
#include "random/program.hpp"
#include "random/punctuality.hpp"

namespace conformance::randomized {

// Runs `p` on backend B under a watchdog naming the program.
template <typename B>
run_result execute(const program& p, const timing& t = {}) {
  watchdog dog("random program " + seed_text(p) + " on " + std::string(B::name),
               watchdog::default_limit());
  recorder rec;
  run_monitor monitor;
  if (p.threads > 0) {
    pool_interpreter<B> machine(p, rec, monitor, t);
    machine.run();
  } else {
    interpreter<B> machine(p, rec, monitor, t);
    machine.run();
  }
  return {rec.events(), monitor.violations(), monitor.time()};
}

enum class verdict { equal, diverged, late, undecided };

inline const char* name(verdict v) {
  switch (v) {
    case verdict::equal: return "equal";
    case verdict::diverged: return "diverged";
    case verdict::late: return "diverged (the tested backend was late on every attempt)";
    case verdict::undecided: return "undecided (no attempt had both backends on time)";
  }
  return "?";
}

inline bool failed(verdict v) { return v == verdict::diverged || v == verdict::late; }

struct comparison {
  verdict result = verdict::undecided;
  run_result tested, oracle;  // the last attempt's
  timing time;                // the last attempt's
  int pairs = 0;              // attempts made
  int noisy_pairs = 0;        // the oracle off time
  int suspect_pairs = 0;      // the tested backend off time, the oracle on time
  int clean_divergences = 0;  // both on time, and different
  std::optional<std::pair<run_result, run_result>> first_difference;  // of those, the first

  // "twin: worst lateness 5123 us ...; asio: ..." for the last attempt.
  template <typename Tested, typename Oracle>
  std::string figures() const {
    return std::string(Tested::name) + ": " + tested.time.describe() + "; " +
           std::string(Oracle::name) + ": " + oracle.time.describe();
  }
};

template <typename Tested, typename Oracle>
comparison compare(const program& p, timing t = {}, int attempts = 8) {
  comparison c;
  bool tested_ever_on_time = false;
  const auto longest = t.spacing * 16;
  while (c.pairs < attempts) {
    ++c.pairs;
    c.time = t;
    // Turn about, so that whatever slows the first (or second) run of a
    // pair falls on both backends alike.
    if (c.pairs % 2 == 1) {
      c.tested = execute<Tested>(p, t);
      c.oracle = execute<Oracle>(p, t);
    } else {
      c.oracle = execute<Oracle>(p, t);
      c.tested = execute<Tested>(p, t);
    }
    const bool tested_on_time = c.tested.time.kept_time(t);
    const bool oracle_on_time = c.oracle.time.on_time(t);
    tested_ever_on_time = tested_ever_on_time || tested_on_time;
    const bool same = c.tested.events == c.oracle.events && c.tested.violations.empty() &&
                      c.oracle.violations.empty() && c.tested.time.meets_missed == 0;
    if (tested_on_time && oracle_on_time) {
      if (same) {
        c.result = verdict::equal;
        return c;
      }
      if (!c.first_difference) c.first_difference.emplace(c.tested, c.oracle);
      if (++c.clean_divergences == 2) {
        c.result = verdict::diverged;
        return c;
      }
    } else if (!oracle_on_time) {
      ++c.noisy_pairs;
      if (same && tested_on_time) {
        c.result = verdict::equal;  // the machine was loaded, yet the tested run kept time
        return c;
      }
      if (t.spacing < longest) {
        t.spacing *= 2;
        t.guard *= 2;
      }
    } else {
      ++c.suspect_pairs;
    }
  }
  // Half the attempts with only the tested backend off time, and none with
  // it on time: no loaded machine does that to one backend alone.
  c.result =
      !tested_ever_on_time && 2 * c.suspect_pairs >= attempts ? verdict::late : verdict::undecided;
  return c;
}

// Both traces side by side, the first difference marked.
template <typename Tested, typename Oracle>
std::string side_by_side(const comparison& c) {
  return conformance::side_by_side(c.tested.events, Tested::name, c.oracle.events, Oracle::name);
}

}  // namespace conformance::randomized
