// twin::ip::v6_only — whether an IPv6 socket is for IPv6 only, or also
// takes IPv4 as v4-mapped addresses (IPV6_V6ONLY; Asio's ip::v6_only). An
// option is a plain value: use it from one thread at a time.
#pragma once

#include <netinet/in.h>

#include "twin/detail/socket_option.hpp"

namespace twin::ip {

using v6_only = detail::socket_option::boolean<IPPROTO_IPV6, IPV6_V6ONLY>;

}  // namespace twin::ip
