// The conformance suites on Boost.Asio with its epoll reactor: the
// properties every backend must have hold for the oracle too.
#include "conformance/suites.hpp"
#include "reference/asio.hpp"

namespace conformance::ordering {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Ordering, reference::asio, backend_name);
}
namespace conformance::interrupt {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Interrupt, reference::asio, backend_name);
}
namespace conformance::strand {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Strand, reference::asio, backend_name);
}
namespace conformance::timer {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Timer, reference::asio, backend_name);
}
namespace conformance::socket {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Socket, reference::asio, backend_name);
}
namespace conformance::stress {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Stress, reference::asio, backend_name);
}
namespace conformance::fault {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Fault, reference::asio, backend_name);
}
