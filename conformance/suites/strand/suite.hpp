// Conformance category Strand: strands serialise handlers without a lock
// held across them — `strand<io_context::executor_type>` (make_strand) and
// the legacy `io_context::strand`. The scenarios are in the headers beside
// this one; suites/strand.hpp registers them.
//
// Asio runs a strand through an "invoker" operation on the io_context's
// queue, posted by whoever finds the strand free. The invoker runs the
// strand's ready handlers; on leaving, it makes everything that arrived
// meanwhile ready and re-posts itself behind whatever is queued by then. So
// handlers come in batches (one run_one runs a batch), plain handlers get
// turns between batches, and single-thread traces depend on that batching:
// twin's must equal Asio's event for event.
#pragma once

#include "conformance/backend_test.hpp"

namespace conformance::strand {

template <typename Backend>
class Strand : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Strand);

}  // namespace conformance::strand
