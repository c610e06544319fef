// conformance_random's own settings: which seeds to run or replay, and how
// program time maps onto the clock. Read from the environment, then argv
// (main in random_test.cpp); a bad value is refused with one line.
//
//   --seeds=N --seed-base=B   Random.Programs: seeds B..B+N-1, each as a
//                             driven and as a pool program
//   --seed=N|cN|pN            Random.Replay: driven program N, its classic part
//                             alone (what regression seeds from before pool
//                             programs mean), pool program N
//   --keep=IDS                Random.Replay: only these step ids (shrunk)
//   --timer-spacing-ms=N      program time: N ms per deadline slot (default 2)
//
// Environment: RANDOM_PROGRAMS, RANDOM_SEED_BASE, RANDOM_SEED, RANDOM_KEEP,
// RANDOM_TIMER_SPACING_MS.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <string>

#include "random/generator.hpp"
#include "random/program.hpp"
#include "random/punctuality.hpp"

namespace conformance::randomized {

// A program's name: its seed and family ("123" driven, "c123" the classic
// part of driven program 123, "p123" pool).
struct seed_spec {
  std::uint64_t seed = 0;
  char family = 0;  // 0, 'c' or 'p'
};

inline program make_program(const seed_spec& s) {
  return s.family == 'p'   ? generate_pool(s.seed)
         : s.family == 'c' ? generate_classic(s.seed)
                           : generate(s.seed);
}

struct options {
  std::string binary = "conformance_random";
  std::uint64_t seeds = 1000;         // Random.Programs: how many
  std::uint64_t seed_base = 1;        // Random.Programs: the first
  std::optional<seed_spec> seed;      // Random.Replay
  std::optional<std::set<int>> keep;  // Random.Replay: a shrunk program
  timing time;
};

inline options& settings() {
  static options o;
  return o;
}

// A decimal number, digits only: strtoull alone would take "-1" (as 2^64-1),
// " 5" and a value that overflows.
inline std::optional<std::uint64_t> number(const char* text) {
  if (!text || !*text || std::strspn(text, "0123456789") != std::strlen(text)) return std::nullopt;
  errno = 0;
  const unsigned long long n = std::strtoull(text, nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return n;
}

// "123", "c123" or "p123".
inline std::optional<seed_spec> parse_seed(const std::string& text) {
  const char family = !text.empty() && (text[0] == 'p' || text[0] == 'c') ? text[0] : 0;
  const std::optional<std::uint64_t> n = number(text.c_str() + (family ? 1 : 0));
  if (!n) return std::nullopt;
  return seed_spec{*n, family};
}

// Reads one setting; false when `text` is not valid for it.
inline bool apply_setting(const std::string& key, const char* text) {
  options& o = settings();
  if (key == "keep") {
    o.keep = parse_ids(text ? text : "");
    return o.keep.has_value();
  }
  if (key == "seed") {
    o.seed = parse_seed(text ? text : "");
    return o.seed.has_value();
  }
  const std::optional<std::uint64_t> n = number(text);
  if (!n) return false;
  if (key == "seeds") {
    o.seeds = *n;
  } else if (key == "seed-base") {
    o.seed_base = *n;
  } else if (key == "timer-spacing-ms" && *n > 0) {
    o.time.spacing = std::chrono::milliseconds(*n);
    o.time.guard = o.time.spacing / 8;
  } else {
    return false;
  }
  return true;
}

// What a bad value of option `key` should have been.
inline const char* expected_value(const std::string& key) {
  if (key == "--keep") return "step ids such as 1-4,7";
  if (key == "--seed") return "a number, or c or p and a number";
  if (key == "--timer-spacing-ms") return "a number of milliseconds, 1 or more";
  return "a number, 0 or more";
}

}  // namespace conformance::randomized
