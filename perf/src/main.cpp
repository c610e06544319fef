// main() of every perf program: Google Benchmark's, plus exit statuses a
// script and ctest can act on —
//   0  every benchmark that ran passed its own check
//   1  a benchmark failed its check (perf::fail), or the filter matched none
//   2  bad usage: an unknown flag, a bad flag value, an output file that
//      cannot be written (one line on stderr, nothing run, nothing written)
//   3  a benchmark hung (perf::hung)
//   77 this machine cannot run the program's backends (ctest: skipped)
// Flags of its own, taken out before Google Benchmark sees the rest:
//   --perf_quick           every batch size divided by 10 (perf/include/perf/args.hpp)
//   --perf_iterations=N    every benchmark runs exactly N iterations (after
//                          its warm-up batch), whatever --benchmark_min_time
//   --perf_callgrind       callgrind counts each benchmark body on its own
//                          (perf/include/perf/counted.hpp; run under
//                          valgrind --tool=callgrind --instr-atstart=no)
//
// Google Benchmark's own handling of bad arguments is not enough for a
// script: a bad --benchmark_format prints the usage and exits 0, a bad number
// prints a warning and then the flag again as unrecognized, an unwritable
// --benchmark_out exits 1 (our "a benchmark failed"). So every argument is
// checked here first. --benchmark_out is written to a temporary file beside
// it and renamed over it only when the run completes: a run that crashes or
// hangs leaves the previous file as it was.
#include <benchmark/benchmark.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "perf/args.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"

namespace {

constexpr int exit_usage = 2;

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed)
    if (value == a) return true;
  return false;
}

bool is_int(const std::string& text, long min) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long n = std::strtol(text.c_str(), &end, 10);
  return *end == '\0' && errno == 0 && n >= min && n <= 2147483647L;
}

bool is_seconds(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(text.c_str(), &end);
  return *end == '\0' && errno == 0 && std::isfinite(x) && x >= 0;
}

bool compiles_as_filter(std::string spec) {
  // Google Benchmark 1.7.1 compiles the filter as a POSIX extended regex
  // (std::regex), after taking off a leading '-' (a negative filter).
  if (!spec.empty() && spec[0] == '-') spec.erase(0, 1);
  try {
    std::regex re(spec, std::regex::extended);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

// Why a value is bad for Google Benchmark flag `name`, or nothing when it is
// fine (or the flag is not one whose value needs checking here).
std::optional<std::string> bad_value(std::string_view name, const std::string& value,
                                     bool has_value) {
  if (one_of(name, {"benchmark_list_tests", "benchmark_enable_random_interleaving",
                    "benchmark_report_aggregates_only", "benchmark_display_aggregates_only",
                    "benchmark_counters_tabular"})) {
    if (has_value && !one_of(value, {"true", "false", "1", "0", "yes", "no", "on", "off"}))
      return "expects true or false";
  } else if (one_of(name, {"benchmark_format", "benchmark_out_format"})) {
    if (!one_of(value, {"console", "json", "csv"})) return "expects console, json or csv";
  } else if (name == "benchmark_time_unit") {
    if (!one_of(value, {"ns", "us", "ms", "s"})) return "expects ns, us, ms or s";
  } else if (name == "benchmark_repetitions") {
    if (!is_int(value, 1)) return "expects a whole number of at least 1";
  } else if (name == "v") {
    if (!is_int(value, 0)) return "expects a whole number";
  } else if (one_of(name, {"benchmark_min_time", "benchmark_min_warmup_time"})) {
    if (!is_seconds(value)) return "expects seconds (a number, 0 or more)";
  } else if (name == "benchmark_filter") {
    if (!compiles_as_filter(value)) return "is not a valid (POSIX extended) regular expression";
  } else if (name == "benchmark_out") {
    if (value.empty()) return "expects a file name";
  }
  return std::nullopt;
}

// The folder a file would be created in ("." for a bare name).
std::string folder_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// --benchmark_out, redirected: Google Benchmark writes `partial` (a hidden
// name beside `target`), renamed over `target` once the run is complete.
struct output_file {
  std::string target;
  std::string partial;
  std::string flag;  // the rewritten argument; argv points into it
};

// Why `target` cannot be written, or nothing when a file can be created
// beside it (probed with a temporary file, removed at once).
std::optional<std::string> unwritable(const std::string& target) {
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "it is a folder";
  std::string probe = folder_of(target) + "/.perf-probe-XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) return std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return std::nullopt;
}

output_file redirect(const std::string& target) {
  const std::string partial = folder_of(target) + "/." + target.substr(target.rfind('/') + 1) +
                              ".partial-" + std::to_string(::getpid());
  return {target, partial, "--benchmark_out=" + partial};
}

struct parsed {
  bool quick = false;
  bool callgrind = false;
  long iterations = 0;  // 0: Google Benchmark chooses
  std::optional<output_file> out;
};

// Checks every argument, takes the --perf_* flags out of argv and points
// --benchmark_out at a temporary file. On bad usage prints one line and
// returns nothing.
std::optional<parsed> parse(int& argc, char** argv, const char* program) {
  parsed result;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--perf_quick") {
      result.quick = true;
      continue;
    }
    if (arg == "--perf_callgrind") {
      result.callgrind = true;
      continue;
    }
    if (arg.rfind("--perf_iterations=", 0) == 0) {
      const std::string value = arg.substr(arg.find('=') + 1);
      if (!is_int(value, 1)) {
        std::fprintf(stderr,
                     "%s: bad value in '%s': --perf_iterations expects a whole number "
                     "of at least 1\n",
                     program, arg.c_str());
        return std::nullopt;
      }
      result.iterations = std::strtol(value.c_str(), nullptr, 10);
      continue;
    }
    if (arg == "--help") {  // Google Benchmark prints its usage and exits 0
      argv[kept++] = argv[i];
      continue;
    }
    const std::size_t eq = arg.find('=');
    const bool has_value = eq != std::string::npos;
    const std::string name = arg.substr(0, eq).substr(std::min<std::size_t>(2, arg.size()));
    const std::string value = has_value ? arg.substr(eq + 1) : "";
    if (arg.rfind("--", 0) != 0 || (name.rfind("benchmark_", 0) != 0 && name != "v")) {
      std::fprintf(stderr,
                   "%s: unknown option '%s' (--perf_quick, --perf_iterations=N, --perf_callgrind, "
                   "Google Benchmark's "
                   "--benchmark_* flags, or --help)\n",
                   program, arg.c_str());
      return std::nullopt;
    }
    if (const auto why = bad_value(name, value, has_value)) {
      std::fprintf(stderr, "%s: bad value in '%s': --%s %s\n", program, arg.c_str(), name.c_str(),
                   why->c_str());
      return std::nullopt;
    }
    if (name == "benchmark_out") {
      if (const auto why = unwritable(value)) {
        std::fprintf(stderr, "%s: cannot write --benchmark_out %s: %s\n", program, value.c_str(),
                     why->c_str());
        return std::nullopt;
      }
      result.out = redirect(value);
      argv[kept++] = result.out->flag.data();
      continue;
    }
    argv[kept++] = argv[i];
  }
  argc = kept;
  argv[argc] = nullptr;
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const char* slash = std::strrchr(argv[0], '/');
  const char* program = slash ? slash + 1 : argv[0];
  std::optional<parsed> args = parse(argc, argv, program);
  if (!args) return exit_usage;
  // An incomplete --benchmark_out goes, also on every early return below.
  struct cleanup {
    std::optional<output_file>& out;
    ~cleanup() {
      if (out && !out->partial.empty()) std::remove(out->partial.c_str());
    }
  } remove_partial{args->out};

  if (args->quick) perf::args::size_divisor() = 10;
  perf::fixed_iterations() = args->iterations;
  perf::callgrind_counts() = args->callgrind;
  benchmark::Initialize(&argc, argv);
  if (argc > 1) {  // a --benchmark_* name Google Benchmark does not know
    std::fprintf(stderr, "%s: unknown option '%s' (try --help)\n", program, argv[1]);
    return exit_usage;
  }
  if (const auto reason = perf::register_benchmarks()) {
    std::fprintf(stderr, "%s: skipped: %s\n", program, reason->c_str());
    return 77;
  }
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (ran == 0) {
    std::fprintf(stderr, "%s: no benchmark matches the filter\n", program);
    return 1;
  }
  if (args->out && ::access(args->out->partial.c_str(), F_OK) == 0) {
    if (std::rename(args->out->partial.c_str(), args->out->target.c_str()) != 0) {
      std::fprintf(stderr, "%s: cannot write --benchmark_out %s: %s\n", program,
                   args->out->target.c_str(), std::strerror(errno));
      return exit_usage;
    }
    args->out->partial.clear();
  }
  return perf::failure_count() == 0 ? 0 : 1;
}
