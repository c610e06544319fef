// main() of every perf program: Google Benchmark's, plus exit statuses a
// script and ctest can act on —
//   0  every benchmark that ran passed its own check
//   1  a benchmark failed its check (perf::fail), or the filter matched none
//   2  an argument Google Benchmark does not know
//   3  a benchmark hung (perf::hung)
//   77 this machine cannot run the program's backends (ctest: skipped)
// One flag of its own, taken out before Google Benchmark sees the rest:
//   --perf_quick  every batch size divided by 10 (perf/include/perf/args.hpp)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string_view>

#include "perf/args.hpp"
#include "perf/registry.hpp"
#include "perf/result.hpp"

namespace {

// Removes --perf_quick from argv; true when it was there.
bool take_quick_flag(int& argc, char** argv) {
  bool found = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--perf_quick")
      found = true;
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  argv[argc] = nullptr;
  return found;
}

}  // namespace

int main(int argc, char** argv) {
  if (take_quick_flag(argc, argv)) perf::args::size_divisor() = 10;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  if (const auto reason = perf::register_benchmarks()) {
    std::fprintf(stderr, "%s: skipped: %s\n", argv[0], reason->c_str());
    return 77;
  }
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (ran == 0) {
    std::fprintf(stderr, "%s: no benchmark matches the filter\n", argv[0]);
    return 1;
  }
  return perf::failure_count() == 0 ? 0 : 1;
}
