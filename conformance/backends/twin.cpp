// The conformance suites on twin, each deterministic trace checked against
// Boost.Asio on epoll (the oracle).
#include "conformance/suites.hpp"
#include "reference/asio.hpp"
#include "reference/twin.hpp"

namespace conformance {
using twin_vs_asio = checked_against<reference::twin, reference::asio>;
}

namespace conformance::ordering {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Ordering, twin_vs_asio, backend_name);
}
namespace conformance::interrupt {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Interrupt, twin_vs_asio, backend_name);
}
namespace conformance::strand {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Strand, twin_vs_asio, backend_name);
}
namespace conformance::timer {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Timer, twin_vs_asio, backend_name);
}
namespace conformance::socket {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Socket, twin_vs_asio, backend_name);
}
namespace conformance::stress {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Stress, twin_vs_asio, backend_name);
}
namespace conformance::fault {
INSTANTIATE_TYPED_TEST_SUITE_P(conformance, Fault, twin_vs_asio, backend_name);
}
