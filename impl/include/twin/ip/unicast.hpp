// twin::ip::unicast — the hop limit of unicast sent (Asio's
// ip::unicast::hops): IP_TTL on an IPv4 socket, IPV6_UNICAST_HOPS on an
// IPv6 one. An option is a plain value: use it from one thread at a time.
#pragma once

#include <netinet/in.h>

#include "twin/detail/socket_option.hpp"

namespace twin::ip::unicast {

namespace detail {

namespace opt = twin::detail::socket_option;

class hop_limit : public opt::per_family<opt::integer<IPPROTO_IP, IP_TTL>,
                                         opt::integer<IPPROTO_IPV6, IPV6_UNICAST_HOPS>> {
public:
  // 0.
  hop_limit() = default;
  // No range check, as in Asio: the kernel refuses what it does not take.
  explicit hop_limit(int v) { *this = v; }
  hop_limit& operator=(int v) {
    v4_ = v;
    v6_ = v;
    return *this;
  }
  int value() const noexcept { return v4_.value(); }
};

}  // namespace detail

// The hop limit (TTL) of unicast sent.
using hops = detail::hop_limit;

}  // namespace twin::ip::unicast
