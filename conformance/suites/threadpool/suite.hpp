// Conformance category ThreadPool: Asio's thread_pool — functions posted to
// it run on its threads (and on a thread that attach()es itself), never on
// the caller's; join() and wait() return once the work has run out, work
// the functions post included; stop() leaves queued functions uninvoked for
// the destructor to destroy; a one-thread pool keeps a running function's
// posts behind the work queued before them (concurrency hint 1, as Asio
// gives it); its executor knows its pool. The scenarios are in the headers
// beside this one; suites/threadpool.hpp registers them.
//
// Every trace is recorded by the scenario's own thread, or from functions
// whose order the scenario forces (one waits for the next), so twin's trace
// must equal Asio's event for event.
#pragma once

#include "conformance/backend_test.hpp"

namespace conformance::threadpool {

template <typename Backend>
class ThreadPool : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(ThreadPool);

}  // namespace conformance::threadpool
