// Conformance category Socket: TCP sockets on loopback — establishing
// connections, the asynchronous read/write family and read_until, close and
// cancel with operations pending, operations that could complete at once,
// every synchronous operation, what a socket reports about itself, and
// sockets with strands, threads and fork(). The scenarios are in the headers
// beside this one; suites/socket.hpp registers them.
//
// Every port is chosen by the kernel (bind port 0). The trace of a
// single-threaded scenario must not depend on timing: where several
// operations are in flight at once, their outcomes are kept until run()
// returns and recorded in a fixed order (into/record, outcome.hpp); handlers
// record directly (recording) only when each one starts the next (a chain),
// or where Asio fixes the order itself. Byte counts are recorded per
// completion only for one small message (one TCP segment on loopback),
// otherwise as totals.
#pragma once

#include "conformance/backend_test.hpp"
#include "conformance/loopback.hpp"

namespace conformance::socket {

template <typename Backend>
class Socket : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Socket);

using loopback::connected_pair;

}  // namespace conformance::socket
