// The conformance suites on Boost.Asio with its io_uring backend. Built as a
// program of its own: its Asio configuration must not meet the epoll one.
#include "conformance/suites.hpp"
#include "reference/asio_uring.hpp"

namespace conformance::ordering {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Ordering, reference::asio_uring, backend_name);
}
namespace conformance::interrupt {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Interrupt, reference::asio_uring, backend_name);
}
namespace conformance::strand {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Strand, reference::asio_uring, backend_name);
}
namespace conformance::timer {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Timer, reference::asio_uring, backend_name);
}
namespace conformance::socket {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Socket, reference::asio_uring, backend_name);
}
namespace conformance::stress {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Stress, reference::asio_uring, backend_name);
}
namespace conformance::fault {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Fault, reference::asio_uring, backend_name);
}
