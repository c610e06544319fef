// conformance_random: randomized differential programs. Each seed stands for
// a single-threaded program over the io_context API (generator.hpp), run on
// twin and on Boost.Asio (epoll) in this process; the two traces must be
// equal. A divergence prints the seed, the program, both traces, then the
// program shrunk to the steps that still make it diverge, and the command
// that replays it.
//
//   conformance_random                                 the tests below
//   conformance_random --seeds=N --seed-base=B         Random.Programs on seeds B..B+N-1
//   conformance_random --gtest_filter=Random.Replay --seed=N [--keep=IDS]
//                                                      one program, both traces
//
// The same settings come from the environment: RANDOM_PROGRAMS,
// RANDOM_SEED_BASE, RANDOM_SEED, RANDOM_KEEP; RANDOM_TIMER_SPACING_MS
// stretches program time (2 ms per deadline slot) on a slow machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/gtest_args.hpp"
#include "random/differential.hpp"
#include "random/generator.hpp"
#include "random/interpreter.hpp"
#include "random/program.hpp"
#include "random/shrink.hpp"
#include "reference/asio.hpp"
#include "reference/twin.hpp"

namespace conformance::randomized {
namespace {

using tested = reference::twin;
using oracle = reference::asio;

struct options {
  std::string binary = "conformance_random";
  std::uint64_t seeds = 1000;         // Random.Programs: how many
  std::uint64_t seed_base = 1;        // Random.Programs: the first
  std::optional<std::uint64_t> seed;  // Random.Replay
  std::optional<std::set<int>> keep;  // Random.Replay: a shrunk program
  timing time;
};

options& settings() {
  static options o;
  return o;
}

// How to run `p` again, shrunk or not.
std::string replay_command(const program& p, const std::optional<std::set<int>>& keep) {
  std::string cmd =
      settings().binary + " --gtest_filter=Random.Replay --seed=" + std::to_string(p.seed);
  if (keep) cmd += " --keep=" + format_ids(*keep);
  return cmd;
}

std::string traces(const comparison& c) {
  return "trace of " + std::string(tested::name) + ":\n" + format(c.tested.events) + "trace of " +
         std::string(oracle::name) + ":\n" + format(c.oracle.events) + "side by side:\n" +
         side_by_side<tested, oracle>(c);
}

bool diverges(const program& p) {
  return compare<tested, oracle>(p, settings().time).result == verdict::diverged;
}

// The full account of a divergence: the program and its traces, then (when
// `minimize`) the smallest part of it that still diverges.
std::string divergence_report(const program& p, const comparison& c, bool minimize) {
  std::ostringstream out;
  out << "=== seed " << p.seed << " diverges: " << tested::name << " differs from " << oracle::name
      << " at event " << first_difference(c.tested.events, c.oracle.events) << "\n"
      << to_text(p) << traces(c);
  if (!minimize) {
    out << "replay: " << replay_command(p, std::nullopt) << "\n";
    return out.str();
  }
  const std::set<int> keep = shrink(p, diverges);
  const program small = keep_only(p, keep);
  const comparison again = compare<tested, oracle>(small, settings().time);
  out << "--- seed " << p.seed << " minimized to " << keep.size() << " of "
      << step_ids(p.steps).size() << " steps:\n"
      << to_text(small) << traces(again) << "replay: " << replay_command(p, keep) << "\n";
  return out.str();
}

bool ends_cleanly(const trace& t) {
  return !t.empty() && t.back().what == "end: every handler ran";
}

// ----------------------------------------------------------------------------
// The generator and the shrinker themselves.

// 64-bit FNV-1a.
std::uint64_t fnv1a(const std::string& text, std::uint64_t h = 14695981039346656037ull) {
  for (const unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

// A seed must mean the same program everywhere and at every commit that
// keeps regression_seeds.txt: the texts of seeds 1..200 are pinned. When the
// generator changes on purpose, update the fingerprint and re-derive the
// regression seeds (their comments say what each one found).
TEST(Random, GeneratorIsDeterministic) {
  std::uint64_t h = fnv1a("");
  std::set<std::string> distinct;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const program p = generate(seed);
    EXPECT_EQ(p, generate(seed)) << "seed " << seed;
    h = fnv1a(to_text(p), h);
    distinct.insert(to_text(p).substr(to_text(p).find(':')));
  }
  EXPECT_GT(distinct.size(), 195u) << "seeds should give (nearly always) different programs";
  EXPECT_EQ(h, 6702928396050611105ull)
      << "generator fingerprint changed: every seed now means another program";
}

struct census {
  std::map<std::string, int> seen;
  int most_steps = 0, deepest = 0;
  void count(const std::vector<step>& steps, int depth) {
    for (const step& s : steps) {
      const std::string level = depth == 0 ? "top " : "nested ";
      seen[level + name(s.what)]++;
      if (submits(s.what)) {
        if (s.what != op::wait && s.what != op::rearm) seen[std::string("to ") + name(s.target)]++;
        seen[std::string(name(s.bound)) + " " + name(s.what)]++;
        if (!s.body.empty()) seen[std::string("body of ") + name(s.what)]++;
      }
      deepest = std::max(deepest, depth);
      count(s.body, depth + 1);
    }
  }
};

// The default run's seeds exercise every step kind, at the top level and
// inside handlers, every executor, every binding of every submission, and
// both hints; programs stay within 40 steps.
TEST(Random, GeneratorCoversEveryStepKind) {
  census c;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const program p = generate(seed);
    const int steps = static_cast<int>(step_ids(p.steps).size());
    c.most_steps = std::max(c.most_steps, steps);
    c.seen[p.hint_one ? "io_context(1)" : "io_context()"]++;
    c.count(p.steps, 0);
  }
  std::vector<std::string> expected = {"io_context(1)", "io_context()", "to ctx", "to strand",
                                       "to legacy strand"};
  for (const op o : {op::post, op::dispatch, op::defer, op::wait, op::rearm})
    for (const binding b : {binding::none, binding::strand, binding::wrap})
      expected.push_back(std::string(name(b)) + " " + name(o));
  for (const op o :
       {op::post, op::dispatch, op::defer, op::wait, op::rearm, op::cancel, op::cancel_one,
        op::reset_guard, op::stop, op::observe, op::poll, op::poll_one}) {
    expected.push_back(std::string("top ") + name(o));
    expected.push_back(std::string("nested ") + name(o));
  }
  for (const op o : {op::make_guard, op::restart, op::run, op::run_one})
    expected.push_back(std::string("top ") + name(o));
  expected.push_back(std::string("nested ") + name(op::throw_exception));
  for (const op o : {op::post, op::dispatch, op::defer, op::wait, op::rearm})
    expected.push_back(std::string("body of ") + name(o));
  for (const std::string& what : expected) EXPECT_GT(c.seen[what], 0) << what;
  for (const op o : {op::make_guard, op::restart, op::run, op::run_one})
    EXPECT_EQ(c.seen[std::string("nested ") + name(o)], 0) << name(o) << " inside a handler";
  EXPECT_EQ(c.seen[std::string("top ") + name(op::throw_exception)], 0);
  EXPECT_LE(c.most_steps, generator::max_steps);
  EXPECT_EQ(c.deepest, generator::max_depth);
}

TEST(Random, KeepListsRoundTrip) {
  const std::set<int> ids{1, 2, 3, 4, 7, 9, 10};
  EXPECT_EQ(format_ids(ids), "1-4,7,9-10");
  EXPECT_EQ(parse_ids("1-4,7,9-10"), ids);
  EXPECT_EQ(parse_ids(""), std::set<int>{});
  EXPECT_EQ(parse_ids("3-1"), std::nullopt);
  EXPECT_EQ(parse_ids("x"), std::nullopt);
}

// Whether some stop step is directly in the body of a timer wait.
bool stop_in_wait(const std::vector<step>& steps) {
  for (const step& s : steps) {
    if (s.what == op::wait)
      for (const step& inner : s.body)
        if (inner.what == op::stop) return true;
    if (stop_in_wait(s.body)) return true;
  }
  return false;
}

// Against a known failure ("a stop directly inside a wait's handler"), the
// shrinker deletes everything but the path from the top level to that stop:
// one step per level, ending in the wait and the stop, ids unchanged.
TEST(Random, ShrinkKeepsOnlyWhatTheFailureNeeds) {
  std::uint64_t seed = 1;
  while (!stop_in_wait(generate(seed).steps)) ++seed;
  const program p = generate(seed);
  int calls = 0;
  const std::set<int> keep = shrink(p, [&](const program& candidate) {
    ++calls;
    return stop_in_wait(candidate.steps);
  });
  const program small = keep_only(p, keep);
  SCOPED_TRACE("seed " + std::to_string(seed) + " shrunk to:\n" + to_text(small));
  EXPECT_LT(keep.size(), step_ids(p.steps).size());
  EXPECT_TRUE(stop_in_wait(small.steps));
  // A chain: every kept step has at most one kept step in its body.
  const std::vector<step>* level = &small.steps;
  std::vector<op> path;
  while (!level->empty()) {
    ASSERT_EQ(level->size(), 1u);
    path.push_back(level->front().what);
    level = &level->front().body;
  }
  ASSERT_GE(path.size(), 2u);
  EXPECT_EQ(path[path.size() - 2], op::wait);
  EXPECT_EQ(path.back(), op::stop);
  for (const int id : keep) EXPECT_NE(detail::find_step(p.steps, id), nullptr);
  EXPECT_LE(calls, 300);
}

// The programs reach what they are meant to test: timers fire and are
// cancelled, cancel/cancel_one/expires_at abort waits, guards keep run()
// from being called, nested polls run handlers, strands are observed from
// inside, stop() and exceptions end runs early. Checked on the oracle's
// traces, so the differential runs below cannot pass by testing little.
TEST(Random, ProgramsExerciseTheApi) {
  std::map<std::string, int> seen;
  auto has = [](const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
  };
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const trace t = execute<oracle>(generate(seed), settings().time).events;
    for (const event& e : t) {
      const std::string& w = e.what;
      const bool timer = w[0] == 'h' && has(w, " t");
      if (timer && e.error.empty()) seen["timer fired"]++;
      if (timer && e.error == "ECANCELED") seen["timer wait aborted"]++;
      if (has(w, " cancel t") && !has(w, "-> 0")) seen["cancel aborted a wait"]++;
      if (has(w, " cancel_one t") && has(w, "-> 1")) seen["cancel_one aborted a wait"]++;
      if (has(w, "expires_at") && !has(w, "-> 0")) seen["expires_at aborted a wait"]++;
      if (has(w, "run skipped")) seen["run skipped for a guard"]++;
      if (has(w, "run_one skipped")) seen["run_one skipped for a guard"]++;
      if (has(w, "(nested) -> ") && !has(w, "-> 0")) seen["nested poll ran handlers"]++;
      if (has(w, "inside:") && has(w, " s")) seen["observed inside a strand"]++;
      if (has(w, "inside:") && has(w, " l0")) seen["observed inside the legacy strand"]++;
      if (has(w, " run -> ") && has(w, "stopped")) seen["run returned"]++;
      if (has(w, "run_one -> 1")) seen["run_one ran one"]++;
      if (w.starts_with("final run") && !has(w, "threw") && &e != &t[t.size() - 2])
        seen["stop ended a run"]++;
      if (has(w, "-> threw")) seen["a handler threw out of run or poll"]++;
      if (has(w, "invoked again")) seen["handler invoked twice"]++;
    }
    EXPECT_TRUE(ends_cleanly(t)) << "seed " << seed;
  }
  for (const char* what :
       {"timer fired", "timer wait aborted", "cancel aborted a wait", "cancel_one aborted a wait",
        "expires_at aborted a wait", "run skipped for a guard", "run_one skipped for a guard",
        "nested poll ran handlers", "observed inside a strand", "observed inside the legacy strand",
        "run returned", "run_one ran one", "stop ended a run",
        "a handler threw out of run or poll"})
    EXPECT_GT(seen[what], 0) << what;
  EXPECT_EQ(seen["handler invoked twice"], 0);
}

// ----------------------------------------------------------------------------
// The differential runs.

// Divergences are shrunk for the first few only: each shrink runs the
// program dozens of times on both backends.
constexpr int divergences_minimized = 5;

// Seeds seed_base.. (1.. unless told): every program must give twin the
// same trace as Asio. Lists every divergent seed; prints each divergence,
// the first few shrunk.
TEST(Random, Programs) {
  const options& o = settings();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::uint64_t> diverged, undecided, unclean, unstable;
  int retried = 0;
  for (std::uint64_t seed = o.seed_base; seed < o.seed_base + o.seeds; ++seed) {
    const program p = generate(seed);
    const comparison c = compare<tested, oracle>(p, o.time);
    if (c.late_pairs > 0) ++retried;
    if (c.result == verdict::diverged) {
      diverged.push_back(seed);
      std::cout << divergence_report(
                       p, c, diverged.size() <= static_cast<std::size_t>(divergences_minimized))
                << std::flush;
    } else if (c.result == verdict::undecided) {
      undecided.push_back(seed);
    } else if (c.clean_divergences > 0) {
      unstable.push_back(seed);  // differed once with no late timer, then agreed
    }
    if (!ends_cleanly(c.oracle.events)) unclean.push_back(seed);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto list = [](const std::vector<std::uint64_t>& seeds) {
    std::string out;
    for (const std::uint64_t s : seeds) {
      out += ' ';  // (not `" " + to_string`: g++ 12 warns falsely, -Wrestrict)
      out += std::to_string(s);
    }
    return out.empty() ? std::string(" none") : out;
  };
  std::printf(
      "%llu programs (seeds %llu..%llu) in %.1f s: %zu diverged, %zu undecided, "
      "%d run again because a timer was late\n",
      static_cast<unsigned long long>(o.seeds), static_cast<unsigned long long>(o.seed_base),
      static_cast<unsigned long long>(o.seed_base + o.seeds - 1), seconds, diverged.size(),
      undecided.size(), retried);
  EXPECT_TRUE(diverged.empty()) << diverged.size()
                                << " program(s) diverge; seeds:" << list(diverged);
  EXPECT_TRUE(unstable.empty()) << "traces differed with no timer late, then agreed; seeds:"
                                << list(unstable);
  EXPECT_TRUE(unclean.empty()) << "the oracle left handlers unrun (an interpreter bug); seeds:"
                               << list(unclean);
  // A program is undecided only when every attempt ran late: on a machine
  // too loaded for that to be rare, this run checked little.
  EXPECT_LE(undecided.size() * 20, static_cast<std::size_t>(o.seeds))
      << "timers ran late on every attempt for too many programs; seeds:" << list(undecided);
  if (!undecided.empty()) std::printf("undecided seeds:%s\n", list(undecided).c_str());
}

struct regression {
  std::uint64_t seed = 0;
  std::optional<std::set<int>> keep;
  std::string note;
  bool valid = true;  // false when the line's keep= list does not parse
};

std::vector<regression> regression_seeds() {
  std::vector<regression> out;
  std::ifstream in(CONFORMANCE_RANDOM_REGRESSION_SEEDS);
  for (std::string line; std::getline(in, line);) {
    const std::size_t hash = line.find('#');
    std::string note = hash == std::string::npos ? "" : line.substr(hash + 1);
    note.erase(0, note.find_first_not_of(' '));
    std::istringstream fields(line.substr(0, hash));
    regression r;
    if (!(fields >> r.seed)) continue;
    r.note = note;
    for (std::string field; fields >> field;) {
      if (field.rfind("keep=", 0) == 0) r.keep = parse_ids(field.substr(5));
      r.valid = r.valid && field.rfind("keep=", 0) == 0 && r.keep;
    }
    out.push_back(r);
  }
  return out;
}

// The programs of regression_seeds.txt, each of which once diverged:
// twin must now agree with Asio on all of them.
TEST(Random, RegressionSeeds) {
  const std::vector<regression> seeds = regression_seeds();
  ASSERT_FALSE(seeds.empty()) << "no seeds in " << CONFORMANCE_RANDOM_REGRESSION_SEEDS;
  for (const regression& r : seeds) {
    EXPECT_TRUE(r.valid) << "seed " << r.seed << ": only `keep=IDS` may follow a seed";
    program p = generate(r.seed);
    if (r.keep) p = keep_only(p, *r.keep);
    const comparison c = compare<tested, oracle>(p, settings().time);
    // One line each (Replay prints the program and both traces).
    const std::size_t at = first_difference(c.tested.events, c.oracle.events);
    auto event_at = [at](const trace& t) { return at < t.size() ? describe(t[at]) : "(end)"; };
    EXPECT_TRUE(c.result == verdict::equal)
        << name(c.result) << ": seed " << r.seed << (r.keep ? " keep=" + format_ids(*r.keep) : "")
        << " (" << r.note << "): event " << at << " is " << event_at(c.tested.events) << " on "
        << tested::name << ", " << event_at(c.oracle.events) << " on " << oracle::name
        << "; replay: " << replay_command(p, r.keep);
    EXPECT_TRUE(ends_cleanly(c.oracle.events)) << "seed " << r.seed;
  }
}

// One program, both traces: --seed=N (or RANDOM_SEED), optionally --keep.
TEST(Random, Replay) {
  const options& o = settings();
  if (!o.seed)
    GTEST_SKIP() << "replays one program: --seed=N or RANDOM_SEED=N, optionally --keep=IDS";
  program p = generate(*o.seed);
  if (o.keep) p = keep_only(p, *o.keep);
  const comparison c = compare<tested, oracle>(p, o.time);
  std::cout << to_text(p) << traces(c) << "verdict: " << name(c.result) << " after " << c.pairs
            << " pair(s) of runs\n";
  if (c.result == verdict::diverged && !o.keep) std::cout << divergence_report(p, c, true);
  EXPECT_TRUE(c.result == verdict::equal) << name(c.result) << ": seed " << p.seed;
}

// ----------------------------------------------------------------------------

// A decimal number, digits only: strtoull alone would take "-1" (as 2^64-1),
// " 5" and a value that overflows.
std::optional<std::uint64_t> number(const char* text) {
  if (!text || !*text || std::strspn(text, "0123456789") != std::strlen(text)) return std::nullopt;
  errno = 0;
  const unsigned long long n = std::strtoull(text, nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return n;
}

// Reads one setting; false when `text` is not valid for it.
bool apply_setting(const std::string& key, const char* text) {
  options& o = settings();
  if (key == "keep") {
    o.keep = parse_ids(text ? text : "");
    return o.keep.has_value();
  }
  const std::optional<std::uint64_t> n = number(text);
  if (!n) return false;
  if (key == "seeds") {
    o.seeds = *n;
  } else if (key == "seed-base") {
    o.seed_base = *n;
  } else if (key == "seed") {
    o.seed = *n;
  } else if (key == "timer-spacing-ms" && *n > 0) {
    o.time.spacing = std::chrono::milliseconds(*n);
    o.time.guard = o.time.spacing / 8;
  } else {
    return false;
  }
  return true;
}

}  // namespace
}  // namespace conformance::randomized

// The program's own options come out of argv first (a bad value is one line
// on stderr and exit status 2); what is left must be GoogleTest's
// (cli/gtest_args.hpp).
int main(int argc, char** argv) {
  using conformance::randomized::apply_setting;
  const char* program = conformance::cli::program_name(argv[0]);
  conformance::randomized::settings().binary = argv[0];
  const std::pair<const char*, const char*> env[] = {
      {"RANDOM_PROGRAMS", "seeds"},
      {"RANDOM_SEED_BASE", "seed-base"},
      {"RANDOM_SEED", "seed"},
      {"RANDOM_KEEP", "keep"},
      {"RANDOM_TIMER_SPACING_MS", "timer-spacing-ms"}};
  for (const auto& [variable, key] : env)
    if (const char* value = std::getenv(variable); value && !apply_setting(key, value)) {
      std::fprintf(stderr, "%s: bad %s='%s'\n", program, variable, value);
      return conformance::cli::exit_usage;
    }
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const std::size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    if (key == "--seeds" || key == "--seed-base" || key == "--seed" || key == "--keep" ||
        key == "--timer-spacing-ms") {
      if (eq == std::string::npos || !apply_setting(key.substr(2), arg.c_str() + eq + 1)) {
        std::fprintf(stderr, "%s: bad value in '%s' (%s)\n", program, arg.c_str(),
                     key == "--keep"               ? "step ids such as 1-4,7"
                     : key == "--timer-spacing-ms" ? "a number of milliseconds, 1 or more"
                                                   : "a number, 0 or more");
        return conformance::cli::exit_usage;
      }
    } else if (arg.rfind("--gtest_", 0) != 0 && arg != "--help") {
      std::fprintf(stderr,
                   "%s: unknown option '%s' (--seeds=N, --seed-base=N, --seed=N, --keep=IDS, "
                   "--timer-spacing-ms=N, or GoogleTest's)\n",
                   program, arg.c_str());
      return conformance::cli::exit_usage;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  conformance::cli::gtest_args args;
  if (!args.parse(argc, argv)) return conformance::cli::exit_usage;
  ::testing::InitGoogleTest(&argc, argv);
  return args.finish(RUN_ALL_TESTS());
}
