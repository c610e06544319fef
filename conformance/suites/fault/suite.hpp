// Conformance category Fault: what the kernel throws at a program, injected
// on purpose (fault_injection.hpp), with twin's trace compared with Asio's
// wherever the outcome is the kernel's and not the scheduler's: a process
// out of descriptors, peers that reset or close, tiny socket buffers, and
// signals at sleeping and blocked threads. The scenarios are in the headers
// beside this one; suites/fault.hpp registers them.
//
// Every pending handler must be invoked exactly once with the right error,
// and no byte lost, duplicated or reordered on streams that stay open. Runs
// that could hang if a backend lost an event are bounded (bounded_runner),
// so a lost completion shows as "never completed" in the trace. How many
// faults a scenario injected goes into the test's properties
// ("faults.<backend>.<kind>"); the trace records only what must not depend
// on timing.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "conformance/backend_test.hpp"
#include "conformance/loopback.hpp"

namespace conformance::fault {

template <typename Backend>
class Fault : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Fault);

using loopback::connected_pair;

// Attaches how many faults of `kind` a backend's run injected to the test.
inline void count_faults(std::string_view backend, const std::string& kind, std::size_t n) {
  ::testing::Test::RecordProperty("faults." + std::string(backend) + "." + kind, std::to_string(n));
}

}  // namespace conformance::fault
