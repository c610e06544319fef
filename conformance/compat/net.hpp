// compat net — the one place where a compat server's two builds differ:
// `net` names Boost.Asio, or twin when COMPAT_TWIN is defined, and
// `error_code` its error code type. Everything else in a server is the
// same source.
#pragma once

#if defined(COMPAT_TWIN)
#include <twin.hpp>
namespace net = twin;
using error_code = std::error_code;
#else
#include <boost/asio.hpp>
namespace net = boost::asio;
using error_code = boost::system::error_code;
#endif
