// twin::posix::stream_descriptor — a stream descriptor on an io_context
// (Asio's posix::stream_descriptor).
#pragma once

#include "twin/posix/basic_stream_descriptor.hpp"

namespace twin::posix {

using stream_descriptor = basic_stream_descriptor<>;

}  // namespace twin::posix
