// conformance::randomized — how a failing program is reported: the
// program, both traces, the properties broken and the lateness figures,
// then the program shrunk to the steps that still make it fail, and the
// command that replays it.
//
// Shrinking a driven program keeps the steps without which the two traces
// would agree (a 1-minimal divergence, shrink.hpp). A pool program's trace
// is facts, not an interleaving, so it is shrunk on what its failure was:
// the properties the tested backend broke (or its lateness) when that was
// it — checked on the tested backend alone, twice, so a candidate counts
// only if it fails both times — else on the facts, by comparison.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "conformance/trace_format.hpp"
#include "random/differential.hpp"
#include "random/options.hpp"
#include "random/program.hpp"
#include "random/shrink.hpp"

namespace conformance::randomized {

// How to run `p` again, shrunk or not.
inline std::string replay_command(const program& p, const std::optional<std::set<int>>& keep) {
  std::string cmd = settings().binary + " --gtest_filter=Random.Replay --seed=" + seed_text(p);
  if (keep) cmd += " --keep=" + format_ids(*keep);
  return cmd;
}

inline std::string violations_of(const run_result& r, std::string_view backend) {
  std::string out;
  for (const std::string& v : r.violations)
    out += "  " + std::string(backend) + " broke: " + v + "\n";
  return out;
}

// Both traces, side by side, the properties each broke and the figures.
template <typename Tested, typename Oracle>
std::string traces(const comparison& c) {
  return "trace of " + std::string(Tested::name) + ":\n" + format(c.tested.events) + "trace of " +
         std::string(Oracle::name) + ":\n" + format(c.oracle.events) + "side by side:\n" +
         side_by_side<Tested, Oracle>(c) + violations_of(c.tested, Tested::name) +
         violations_of(c.oracle, Oracle::name) + "time (last of " + std::to_string(c.pairs) +
         " attempt(s), " + std::to_string(c.suspect_pairs) + " with only " +
         std::string(Tested::name) + " off time, " + std::to_string(c.noisy_pairs) + " with " +
         std::string(Oracle::name) + " off time): " + c.template figures<Tested, Oracle>() + "\n";
}

// Whether `p`, run twice on the tested backend alone, breaks a property (or
// keeps off time) both times.
template <typename Tested>
bool breaks_properties(const program& p, const timing& t) {
  for (int i = 0; i < 2; ++i) {
    const run_result r = execute<Tested>(p, t);
    if (r.violations.empty() && r.time.on_time(t)) return false;
  }
  return true;
}

// The ids to keep for a smallest program that still fails as `p` did.
template <typename Tested, typename Oracle>
std::set<int> shrink_failure(const program& p, const timing& t) {
  if (p.threads > 0 && breaks_properties<Tested>(p, t))
    return shrink(
        p, [&](const program& candidate) { return breaks_properties<Tested>(candidate, t); });
  return shrink(p, [&](const program& candidate) {
    return failed(compare<Tested, Oracle>(candidate, t).result);
  });
}

// The full account of a failing program: its text and traces, then (when
// `minimize`) the smallest part of it that still fails.
template <typename Tested, typename Oracle>
std::string divergence_report(const program& p, const comparison& c, bool minimize) {
  std::ostringstream out;
  const std::size_t at = first_difference(c.tested.events, c.oracle.events);
  out << "=== " << seed_text(p) << " " << name(c.result) << ": "
      << (at == std::string::npos
              ? "the traces agree"
              : std::string(Tested::name) + "'s trace differs from " + std::string(Oracle::name) +
                    "'s at event " + std::to_string(at))
      << "\n"
      << to_text(p) << traces<Tested, Oracle>(c);
  if (!minimize) {
    out << "replay: " << replay_command(p, std::nullopt) << "\n";
    return out.str();
  }
  const std::set<int> keep = shrink_failure<Tested, Oracle>(p, settings().time);
  const program small = keep_only(p, keep);
  const comparison again = compare<Tested, Oracle>(small, settings().time);
  out << "--- " << seed_text(p) << " minimized to " << keep.size() << " of "
      << step_ids(p.steps).size() << " steps (now " << name(again.result) << "):\n"
      << to_text(small) << traces<Tested, Oracle>(again) << "replay: " << replay_command(p, keep)
      << "\n";
  return out.str();
}

}  // namespace conformance::randomized
