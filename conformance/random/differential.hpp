// conformance::randomized::compare — one program on the backend under test
// and on the oracle, in this process, and the verdict.
//
// Equal traces: the program passes. Different traces from two runs that
// both kept to the program's time model (interpreter.hpp): the backends
// really differ — confirmed once more by a second such pair, so a program
// counts as diverging only when it does so reproducibly. A pair where a
// timer deadline went by while the loop was busy (a loaded machine) proves
// nothing either way and is run again, up to `attempts` times, with program
// time stretched twice as much each time (the traces do not depend on the
// scale, only on deadlines being ordered and far enough apart); a program
// that never gets a clean pair is `undecided`.
#pragma once

#include <string>

#include "conformance/trace_format.hpp"
#include "random/interpreter.hpp"
#include "random/program.hpp"

namespace conformance::randomized {

enum class verdict { equal, diverged, undecided };

inline const char* name(verdict v) {
  return v == verdict::equal      ? "equal"
         : v == verdict::diverged ? "diverged"
                                  : "undecided (a timer was late on every attempt)";
}

struct comparison {
  verdict result = verdict::undecided;
  run_result tested, oracle;  // the last pair run
  int pairs = 0;              // how many pairs were run
  int late_pairs = 0;         // pairs in which a run was late
  int clean_divergences = 0;  // pairs that differed with neither run late
};

template <typename Tested, typename Oracle>
comparison compare(const program& p, timing t = {}, int attempts = 5) {
  comparison c;
  while (c.pairs < attempts) {
    ++c.pairs;
    c.tested = execute<Tested>(p, t);
    c.oracle = execute<Oracle>(p, t);
    if (c.tested.events == c.oracle.events) {
      c.result = verdict::equal;
      return c;
    }
    if (c.tested.late || c.oracle.late) {
      ++c.late_pairs;
      t.spacing *= 2;
      t.guard *= 2;
    } else if (++c.clean_divergences == 2) {
      c.result = verdict::diverged;
      return c;
    }
  }
  c.result = verdict::undecided;
  return c;
}

// Both traces side by side, the first difference marked.
template <typename Tested, typename Oracle>
std::string side_by_side(const comparison& c) {
  return conformance::side_by_side(c.tested.events, Tested::name, c.oracle.events, Oracle::name);
}

}  // namespace conformance::randomized
