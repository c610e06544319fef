// Conformance category Ordering: in what order, on which thread and how many
// times the scheduler runs handlers — post, dispatch, defer, the run/poll
// family, stop/restart, work guards, exceptions and destruction. The
// scenarios are in the headers beside this one; suites/ordering.hpp
// registers them.
//
// Nearly every scenario here runs on one thread, where Asio's order is fully
// determined, so twin's trace must equal Asio's event for event.
#pragma once

#include "conformance/backend_test.hpp"

namespace conformance::ordering {

template <typename Backend>
class Ordering : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Ordering);

}  // namespace conformance::ordering
