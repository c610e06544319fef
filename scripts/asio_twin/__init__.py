"""asio_twin: the Python side of the harness — building and running the
programs, reading results, statistics, charts, the HTML report and the gate.

Modules (one concept each):
  cli         one-line errors, exit statuses and command lines shared by every command
  files       atomic writes: a result is complete or absent, never half-written
  build       setting up and building Release, and the backends it declares (backends.json)
  perf_run    running the benchmark programs and the system-call counts (perf and compare)
  progress    progress lines for the long-running commands
  results     loading and validating a results folder (the binaries' JSON)
  conformance the scenario x backend matrix and twin's divergences
  benchmarks  per-benchmark summaries across backends, ratios, significance
  baseline    an earlier run against this one (before vs after)
  stats       the statistics, as thin wrappers over scipy and gbench
  syscalls    system calls per operation: strace, syscalls.json
  charts      matplotlib (Agg) charts rendered to inline SVG
  context     the machine a run was taken on, and what about it matters
  gate        the CI gate's rules and its thresholds file
  report      the self-contained HTML report
  summary     the console tables compare and perf print at the end

Only build, perf_run and syscalls run programs; everything else reads
result files.
"""
