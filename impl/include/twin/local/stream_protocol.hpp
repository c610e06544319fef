// twin::local::stream_protocol — UNIX domain byte streams (SOCK_STREAM on
// AF_UNIX): the endpoint, socket and acceptor types for them (Asio's
// local::stream_protocol).
#pragma once

#include "twin/basic_socket_acceptor.hpp"
#include "twin/basic_stream_socket.hpp"
#include "twin/detail/protocol.hpp"
#include "twin/local/basic_endpoint.hpp"

namespace twin::local {

class stream_protocol : public detail::unix_protocol<SOCK_STREAM> {
public:
  using endpoint = basic_endpoint<stream_protocol>;
  using socket = basic_stream_socket<stream_protocol>;
  using acceptor = basic_socket_acceptor<stream_protocol>;
};

}  // namespace twin::local
