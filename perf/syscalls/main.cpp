// main() of the system-call drivers (workloads.hpp says what they run):
//
//   perf_syscalls --list                      one line per workload: SCENARIO BACKEND
//   perf_syscalls SCENARIO BACKEND COUNT      the warm-up, then COUNT operations
//   perf_syscalls --all COUNT                 every workload in turn (the smoke test)
//
// Exit status: 0 the operations ran and passed their checks, 1 a check
// failed, 2 bad usage (an unknown workload, say), 3 an operation hung
// (perf::hung), 77 this machine cannot run the program's backends.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "perf/registry.hpp"
#include "syscalls/workloads.hpp"

namespace {

int usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s --list | SCENARIO BACKEND COUNT | --all COUNT\n"
               "  (scenario and backend as --list prints them)\n",
               program);
  return 2;
}

bool parse_count(std::string_view text, std::uint64_t& count) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  return error == std::errc() && end == text.data() + text.size();
}

// Runs one workload; its exit status.
int run(const perf::syscalls::workload& w, std::uint64_t count) {
  perf::current_benchmark() = w.scenario + " <" + w.backend + ">";
  std::string why;
  try {
    why = w.run(count);
  } catch (const std::exception& e) {
    why = e.what();
  }
  if (why.empty()) return 0;
  std::fprintf(stderr, "%s: %s\n", perf::current_benchmark().c_str(), why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view first = argc > 1 ? argv[1] : "";
  if (const auto reason = perf::syscalls::unavailable()) {
    std::fprintf(stderr, "%s: skipped: %s\n", argv[0], reason->c_str());
    return 77;
  }
  const auto workloads = perf::syscalls::program_workloads();
  std::uint64_t count = 0;
  if (argc == 2 && first == "--list") {
    for (const auto& w : workloads) std::printf("%s %s\n", w.scenario.c_str(), w.backend.c_str());
    return 0;
  }
  if (argc == 3 && first == "--all" && parse_count(argv[2], count)) {
    int status = 0;
    for (const auto& w : workloads)
      if (const int s = run(w, count); s != 0) status = s;
    return status;
  }
  if (argc != 4 || !parse_count(argv[3], count)) return usage(argv[0]);
  for (const auto& w : workloads)
    if (w.scenario == argv[1] && w.backend == argv[2]) return run(w, count);
  std::fprintf(stderr, "%s: no workload %s on %s (see --list)\n", argv[0], argv[1], argv[2]);
  return 2;
}
