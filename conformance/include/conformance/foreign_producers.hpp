// conformance::post_from_threads and conformance::producer_order — several
// foreign threads posting numbered handlers at once, and the check that
// each thread's handlers ran in the order it posted them.
#pragma once

#include <cstddef>
#include <vector>

#include "conformance/on_threads.hpp"

namespace conformance {

// Starts `producers` threads at once; thread p posts to `target` (an
// io_context, executor or strand) per_producer handlers, in order, the i-th
// calling body(p, i). Returns once every thread has posted all of its
// handlers (they may not have run yet: each holds its own copy of `body`).
template <typename Target, typename Body>
void post_from_threads(Target& target, int producers, int per_producer, Body body) {
  on_threads(producers, [&target, &body, per_producer](int p) {
    for (int i = 0; i < per_producer; ++i) post(target, [body, p, i] { body(p, i); });
  });
}

// Tallies the handlers post_from_threads posted as they run: ran(p, i) is
// called by handler i of producer p. Not thread-safe: the handlers must run
// one at a time (one run thread, or a strand), and the counts are read once
// they have all run.
class producer_order {
public:
  explicit producer_order(int producers) : next_(static_cast<std::size_t>(producers), 0) {}

  void ran(int p, int i) {
    if (next_[static_cast<std::size_t>(p)]++ != i) ++out_of_order_;
    ++ran_;
  }

  // How many handlers ran.
  int ran() const { return ran_; }
  // How many ran before an earlier handler of the same producer.
  int out_of_order() const { return out_of_order_; }

private:
  std::vector<int> next_;  // each producer's next expected i
  int ran_ = 0;
  int out_of_order_ = 0;
};

}  // namespace conformance
