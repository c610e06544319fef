// perf::latency_recorder — keeps every latency sample a benchmark takes and
// reports their distribution as counters: p50_ns, p99_ns, p999_ns and
// mean_ns (nearest-rank percentiles over all samples of one benchmark run,
// never averages of averages).
//
// Reserve before the timed loop (the capacity for every sample the run
// will take) so that recording never allocates inside it. Not thread-safe:
// threads that take samples hand them to the benchmark thread first.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace perf {

class latency_recorder {
public:
  void reserve(std::size_t samples) { samples_.reserve(samples); }

  void record(std::chrono::nanoseconds sample) { samples_.push_back(sample.count()); }
  template <typename Iterator>
  void record(Iterator first, Iterator last) {
    samples_.insert(samples_.end(), first, last);
  }

  std::size_t size() const { return samples_.size(); }

  // Sets the four counters on `state` (nothing when there are no samples).
  void report(benchmark::State& state) {
    if (samples_.empty()) return;
    std::sort(samples_.begin(), samples_.end());
    const double sum = std::accumulate(samples_.begin(), samples_.end(), 0.0);
    state.counters["p50_ns"] = percentile(0.50);
    state.counters["p99_ns"] = percentile(0.99);
    state.counters["p999_ns"] = percentile(0.999);
    state.counters["mean_ns"] = sum / static_cast<double>(samples_.size());
  }

private:
  // Nearest rank: the smallest sample with at least `p` of all at or below.
  double percentile(double p) const {
    const auto n = static_cast<double>(samples_.size());
    auto rank = static_cast<std::size_t>(std::ceil(p * n));
    rank = std::clamp<std::size_t>(rank, 1, samples_.size());
    return static_cast<double>(samples_[rank - 1]);
  }

  std::vector<std::int64_t> samples_;
};

}  // namespace perf
