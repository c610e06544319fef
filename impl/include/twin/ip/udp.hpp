// twin::ip::udp — the UDP protocol: its families (v4(), v6()), and the
// endpoint, socket and resolver types for it (Asio's ip::udp).
#pragma once

#include <netinet/in.h>

#include "twin/basic_datagram_socket.hpp"
#include "twin/detail/protocol.hpp"
#include "twin/ip/basic_endpoint.hpp"
#include "twin/ip/basic_resolver.hpp"

namespace twin::ip {

class udp : public detail::internet_protocol<udp, SOCK_DGRAM, IPPROTO_UDP> {
public:
  using endpoint = basic_endpoint<udp>;
  using socket = basic_datagram_socket<udp>;
  using resolver = basic_resolver<udp>;

private:
  friend internet_protocol;
  using internet_protocol::internet_protocol;
};

}  // namespace twin::ip
