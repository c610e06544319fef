// twin::local::datagram_protocol — UNIX domain datagrams (SOCK_DGRAM on
// AF_UNIX): the endpoint and socket types for them (Asio's
// local::datagram_protocol).
#pragma once

#include "twin/basic_datagram_socket.hpp"
#include "twin/detail/protocol.hpp"
#include "twin/local/basic_endpoint.hpp"

namespace twin::local {

class datagram_protocol : public detail::unix_protocol<SOCK_DGRAM> {
public:
  using endpoint = basic_endpoint<datagram_protocol>;
  using socket = basic_datagram_socket<datagram_protocol>;
};

}  // namespace twin::local
