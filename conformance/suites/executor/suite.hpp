// Conformance category Executor: I/O objects and their executors — every
// I/O object's default executor is any_io_executor, so a socket, timer,
// signal_set or stream_descriptor can be made on a strand; get_executor()
// gives that strand back; a handler without an executor of its own runs
// on the object's executor (inside the strand), one bound with
// bind_executor on its own; composed operations finish there too; a moved
// object keeps its executor; timers of one strand due together complete in
// start order; async_accept hands the new socket the executor or context
// it is given, while the accept handler runs on the acceptor's; and
// any_io_executor itself — empty when default-constructed, equal when the
// targets are, target() and context(), post and dispatch through it. With
// several run threads, the handlers of one strand-bound object never
// overlap. The scenarios are in the headers beside this one;
// suites/executor.hpp registers them.
//
// A handler says where it ran by recording "in strand" (the strand's
// running_in_this_thread()) and the like as yes/no in its label. Every
// deterministic scenario drives one io_context from the scenario's own
// thread, so twin's trace must equal Asio's event for event.
#pragma once

#include <string>

#include "conformance/backend_test.hpp"
#include "conformance/error_name.hpp"
#include "conformance/trace.hpp"

namespace conformance::executor {

template <typename Backend>
class Executor : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Executor);

// The strand make_strand(ctx) gives.
template <typename B>
using strand_of_context = typename B::template strand<typename B::io_context::executor_type>;

// A completion handler (an error code, then anything) that records
// "<label>: in strand <yes/no>" with its error.
template <typename Strand>
auto recording_strand(recorder& rec, std::string label, const Strand& strand) {
  return [&rec, label = std::move(label), strand](const auto& ec, const auto&...) {
    rec.record(label + ": in strand " + yes_no(strand.running_in_this_thread()), error_name(ec));
  };
}

}  // namespace conformance::executor
