"""asio_twin: the Python side of the harness — reading results, statistics,
charts, the HTML report and the gate.

Modules (one concept each):
  cli         one-line errors and exit statuses shared by every command
  files       atomic writes: a result is complete or absent, never half-written
  results     loading and validating a results folder (the binaries' JSON)
  conformance the scenario x backend matrix and twin's divergences
  benchmarks  per-benchmark summaries across backends, ratios, significance
  baseline    an earlier run against this one (before vs after)
  stats       the statistics, as thin wrappers over scipy and gbench
  charts      matplotlib (Agg) charts rendered to inline SVG
  context     the machine a run was taken on, and what about it matters
  gate        the CI gate's rules and its thresholds file
  report      the self-contained HTML report
  progress    progress lines for the main job

Everything here reads only result files; building and running the binaries
is scripts/compare.py's job.
"""
