// conformance_random: randomized differential programs. Each seed stands
// for two programs over the io_context API (generator.hpp): a driven one,
// whose trace on twin must equal Boost.Asio's (epoll) event for event, and a
// pool one, run by several threads, whose interleaving-independent facts
// must equal Asio's and whose properties must hold on each (interpreter_pool.hpp). A
// failure prints the program, both traces, then the program shrunk to the
// steps that still make it fail, and the command that replays it.
//
//   conformance_random                                 the tests below
//   conformance_random --seeds=N --seed-base=B         Random.Programs on seeds B..B+N-1
//   conformance_random --gtest_filter=Random.Replay --seed=[c|p]N [--keep=IDS]
//                                                      one program, both traces
// (options.hpp has the rest.)
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cli/gtest_args.hpp"
#include "random/coverage.hpp"
#include "random/differential.hpp"
#include "random/generator.hpp"
#include "random/options.hpp"
#include "random/program.hpp"
#include "random/report.hpp"
#include "random/shrink.hpp"
#include "random/skewed_backends.hpp"
#include "reference/asio.hpp"
#include "reference/twin.hpp"

// Built with AddressSanitizer or ThreadSanitizer.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif

namespace conformance::randomized {
namespace {

using tested = reference::twin;
using oracle = reference::asio;

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

// A program as the first version of the generator printed it.
std::string first_version_text(const program& p) {
  std::string out = "program " + std::to_string(p.seed) + ": " +
                    (p.hint_one ? "io_context(1)" : "io_context()") + ", " +
                    std::to_string(p.strands) + " strand(s), " + std::to_string(p.legacy_strands) +
                    " legacy strand(s), " + std::to_string(p.timers) + " timer(s), " +
                    std::to_string(p.guards) + " work guard(s)\n";
  detail::print(p.steps, 0, out);
  return out + "  then: every guard reset; restart() + run() until no handler is left\n";
}

// A seed must mean the same programs everywhere and at every commit that
// keeps regression_seeds.txt: the texts of seeds 1..200 are pinned. When the
// generator changes on purpose, update the fingerprints and re-derive the
// regression seeds (their comments say what each one found). The classic
// part of every driven program is the first version's program, whose
// fingerprint never changes: so `keep=` lists of ids from those days still
// pick out the same program.
TEST(Random, GeneratorIsDeterministic) {
  std::uint64_t classic = fnv1a(""), driven = fnv1a(""), pool = fnv1a("");
  std::set<std::string> distinct;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const program p = generate(seed), q = generate_pool(seed), c = generate_classic(seed);
    EXPECT_EQ(p, generate(seed)) << "seed " << seed;
    EXPECT_EQ(q, generate_pool(seed)) << "seed p" << seed;
    const std::vector<int> ids = step_ids(c.steps);
    EXPECT_EQ(keep_only(p, {ids.begin(), ids.end()}).steps, c.steps) << "seed " << seed;
    classic = fnv1a(first_version_text(c), classic);
    driven = fnv1a(to_text(p), driven);
    pool = fnv1a(to_text(q), pool);
    distinct.insert(to_text(p).substr(to_text(p).find(':')));
    distinct.insert(to_text(q).substr(to_text(q).find(':')));
  }
  EXPECT_GT(distinct.size(), 390u) << "seeds should give (nearly always) different programs";
  EXPECT_EQ(classic, 6702928396050611105ull)
      << "the classic stream changed: the regression seeds' keep= lists lost their meaning";
  EXPECT_EQ(driven, 8438264472662306614ull)
      << "generator fingerprint changed: every seed now means another program";
  EXPECT_EQ(pool, 13584274395081541682ull) << "pool generator fingerprint changed";
}

// The seeds of a default run exercise every step kind where it may appear,
// every executor and binding, both hints and both families; programs stay
// within their step budgets.
TEST(Random, GeneratorCoversEveryStepKind) {
  census driven, pool;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    driven.count(generate(seed));
    pool.count(generate_pool(seed));
  }
  for (const std::string& what : driven_kinds()) EXPECT_GT(driven.seen[what], 0) << what;
  for (const std::string& what : pool_kinds()) EXPECT_GT(pool.seen[what], 0) << "pool: " << what;
  for (const std::string& what : never_nested()) EXPECT_EQ(driven.seen[what], 0) << what;
  for (const std::string& what : never_in_pool()) EXPECT_EQ(pool.seen[what], 0) << "pool: " << what;
  EXPECT_LE(driven.most_steps, generator::max_steps + generator::max_extra_steps);
  EXPECT_LE(pool.most_steps, generator::max_steps);
  EXPECT_EQ(driven.deepest, generator::max_depth);
  EXPECT_EQ(pool.deepest, generator::max_depth);
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
  EXPECT_LE(calls, 400);
}

// The programs reach what they are meant to test (coverage.hpp lists it),
// checked on the oracle's traces, so the differential runs below cannot
// pass by testing little; and the oracle keeps every property.
TEST(Random, ProgramsExerciseTheApi) {
  reach seen;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    for (const program& p : {generate(seed), generate_pool(seed)}) {
      const run_result r = execute<oracle>(p, settings().time);
      seen.count(p, r);
      EXPECT_TRUE(ends_cleanly(r.events)) << seed_text(p);
      EXPECT_TRUE(r.violations.empty()) << seed_text(p) << ": " << r.violations.front();
    }
  }
  for (const std::string& what : reach::expected()) EXPECT_GT(seen.seen[what], 0) << what;
  EXPECT_EQ(seen.seen["handler invoked twice"], 0);
}

// A backend whose timers all fire 5 ms late fails: lateness is judged
// against the oracle, so retrying never excuses it. One whose timers fire
// 1 ms early fails too (the trace marks the handler early).
TEST(Random, SkewedTimersAreCaught) {
  int late = 0, early = 0, programs = 0;
  for (std::uint64_t seed = 1; programs < 6; ++seed) {
    const program p = generate(seed);
    if (execute<oracle>(p, settings().time).time.timed == 0) continue;  // no deadline met
    ++programs;
    const comparison c = compare<late_twin, oracle>(p, settings().time);
    late += failed(c.result);
    early += failed(compare<early_twin, oracle>(p, settings().time).result);
    if (c.result == verdict::late) {
      EXPECT_GT(c.tested.time.lateness, c.time.late_bound) << seed_text(p);
    }
  }
  EXPECT_GE(late, 5) << "of 6 programs that meet deadlines, a 5 ms late backend should fail "
                        "nearly all";
  EXPECT_GE(early, 5) << "of 6 programs that meet deadlines, a 1 ms early backend should fail "
                         "nearly all";
}

// ----------------------------------------------------------------------------
// The differential runs.

// Failures are shrunk for the first few only: each shrink runs the program
// dozens of times. A backend that fails this many programs is broken enough
// to stop: a failing program costs up to eight attempts (and a pair that
// never meets, half a second each), which would outlast ctest's timeout.
constexpr int failures_minimized = 5;
constexpr std::size_t failures_enough = 30;

std::string list(const std::vector<std::string>& seeds) {
  std::string out;
  for (const std::string& s : seeds) out += " " + s;
  return out.empty() ? std::string(" none") : out;
}

// Seeds seed_base.. (1.. unless told), each as a driven and a pool program:
// twin must agree with Asio on every one. Lists every failing program;
// prints each failure, the first few shrunk.
TEST(Random, Programs) {
  const options& o = settings();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> failed_seeds, undecided, unclean, unstable;
  int retried = 0, suspect = 0;
  std::uint64_t end = o.seed_base + o.seeds;  // one past the last seed run
  for (std::uint64_t seed = o.seed_base; seed < end; ++seed) {
    if (failed_seeds.size() >= failures_enough) {
      end = seed;
      std::printf("stopped after %zu failures\n", failed_seeds.size());
      break;
    }
    for (const program& p : {generate(seed), generate_pool(seed)}) {
      const comparison c = compare<tested, oracle>(p, o.time);
      if (c.noisy_pairs > 0) ++retried;
      if (c.suspect_pairs > 0) ++suspect;
      // Under a sanitizer, whose instrumentation slows threads unevenly, a
      // tested run off time is no verdict on twin when the traces agree:
      // the Release run judges time (Random.SkewedTimersAreCaught shows it
      // can); such a program counts as undecided here.
      const bool excused =
          sanitized_build && c.result == verdict::late && c.tested.events == c.oracle.events;
      if (failed(c.result) && !excused) {
        failed_seeds.push_back(seed_text(p));
        const bool minimize = failed_seeds.size() <= static_cast<std::size_t>(failures_minimized);
        std::cout << divergence_report<tested, oracle>(p, c, minimize) << std::flush;
      } else if (c.result == verdict::undecided || excused) {
        undecided.push_back(seed_text(p));
      } else if (c.clean_divergences > 0) {
        unstable.push_back(seed_text(p));  // differed once, both on time, then agreed
        comparison once = c;
        std::tie(once.tested, once.oracle) = *c.first_difference;
        std::cout << "=== " << seed_text(p) << " differed once, then agreed:\n"
                  << to_text(p) << traces<tested, oracle>(once) << std::flush;
      }
      if (!ends_cleanly(c.oracle.events)) unclean.push_back(seed_text(p));
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "%llu seeds (%llu..%llu), driven and pool, in %.1f s: %zu failed, %zu undecided; "
      "%d run again because the oracle was late, %d because only %s was\n",
      static_cast<unsigned long long>(end - o.seed_base),
      static_cast<unsigned long long>(o.seed_base), static_cast<unsigned long long>(end - 1),
      seconds, failed_seeds.size(), undecided.size(), retried, suspect,
      std::string(tested::name).c_str());
  EXPECT_TRUE(failed_seeds.empty())
      << failed_seeds.size() << " program(s) fail:" << list(failed_seeds);
  EXPECT_TRUE(unstable.empty()) << "traces differed with both backends on time, then agreed:"
                                << list(unstable);
  EXPECT_TRUE(unclean.empty()) << "the oracle left handlers unrun (an interpreter bug):"
                               << list(unclean);
  // A program is undecided only when no attempt had both backends on time:
  // on a machine too loaded for that to be rare, this run checked little.
  EXPECT_LE(undecided.size() * 20, static_cast<std::size_t>(2 * o.seeds))
      << "no attempt had both backends on time, for too many programs:" << list(undecided);
  if (!undecided.empty()) std::printf("undecided:%s\n", list(undecided).c_str());
}

struct regression {
  seed_spec seed;
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
    std::string first;
    if (!(fields >> first)) continue;
    regression r;
    const std::optional<seed_spec> seed = parse_seed(first);
    r.valid = seed.has_value();
    if (seed) r.seed = *seed;
    r.note = note;
    for (std::string field; fields >> field;) {
      if (field.rfind("keep=", 0) == 0) r.keep = parse_ids(field.substr(5));
      r.valid = r.valid && field.rfind("keep=", 0) == 0 && r.keep;
    }
    out.push_back(r);
  }
  return out;
}

// The programs of regression_seeds.txt, each of which once failed: twin
// must now agree with Asio on all of them.
TEST(Random, RegressionSeeds) {
  const std::vector<regression> seeds = regression_seeds();
  ASSERT_FALSE(seeds.empty()) << "no seeds in " << CONFORMANCE_RANDOM_REGRESSION_SEEDS;
  for (const regression& r : seeds) {
    EXPECT_TRUE(r.valid) << "'" << r.note << "': a seed ([c|p]N), then only `keep=IDS`";
    program p = make_program(r.seed);
    if (r.keep) p = keep_only(p, *r.keep);
    const comparison c = compare<tested, oracle>(p, settings().time);
    // One line each (Replay prints the program and both traces).
    const std::size_t at = first_difference(c.tested.events, c.oracle.events);
    auto event_at = [at](const trace& t) { return at < t.size() ? describe(t[at]) : "(end)"; };
    const std::string where =
        at == std::string::npos
            ? "the traces agree (" + c.figures<tested, oracle>() + ")"
            : "event " + std::to_string(at) + " is " + event_at(c.tested.events) + " on " +
                  std::string(tested::name) + ", " + event_at(c.oracle.events) + " on " +
                  std::string(oracle::name);
    EXPECT_TRUE(c.result == verdict::equal)
        << name(c.result) << ": " << seed_text(p) << (r.keep ? " keep=" + format_ids(*r.keep) : "")
        << " (" << r.note << "): " << where << "; replay: " << replay_command(p, r.keep);
    EXPECT_TRUE(ends_cleanly(c.oracle.events)) << seed_text(p);
  }
}

// One program, both traces: --seed=[c|p]N (or RANDOM_SEED), optionally --keep.
TEST(Random, Replay) {
  const options& o = settings();
  if (!o.seed)
    GTEST_SKIP() << "replays one program: --seed=N (cN, pN) or RANDOM_SEED, optionally --keep=IDS";
  program p = make_program(*o.seed);
  if (o.keep) p = keep_only(p, *o.keep);
  std::cout << to_text(p) << std::flush;  // first: a hang still shows what hung
  const comparison c = compare<tested, oracle>(p, o.time);
  std::cout << traces<tested, oracle>(c) << "verdict: " << name(c.result) << " after " << c.pairs
            << " attempt(s)\n";
  if (failed(c.result) && !o.keep) std::cout << divergence_report<tested, oracle>(p, c, true);
  EXPECT_TRUE(c.result == verdict::equal) << name(c.result) << ": " << seed_text(p);
}

}  // namespace
}  // namespace conformance::randomized

// The program's own options come out of argv first (a bad value is one line
// on stderr and exit status 2); what is left must be GoogleTest's
// (cli/gtest_args.hpp).
int main(int argc, char** argv) {
  using namespace conformance::randomized;
  const char* program = conformance::cli::program_name(argv[0]);
  settings().binary = argv[0];
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
                     expected_value(key));
        return conformance::cli::exit_usage;
      }
    } else if (arg.rfind("--gtest_", 0) != 0 && arg != "--help") {
      std::fprintf(stderr,
                   "%s: unknown option '%s' (--seeds=N, --seed-base=N, --seed=[c|p]N, "
                   "--keep=IDS, --timer-spacing-ms=N, or GoogleTest's)\n",
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
