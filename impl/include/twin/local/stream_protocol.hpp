// twin::local::stream_protocol — UNIX domain byte streams (SOCK_STREAM on
// AF_UNIX): the endpoint, socket and acceptor types for them (Asio's
// local::stream_protocol). A value type: no thread constraints.
#pragma once

#include <sys/socket.h>

#include "twin/basic_socket_acceptor.hpp"
#include "twin/basic_stream_socket.hpp"
#include "twin/local/basic_endpoint.hpp"

namespace twin::local {

class stream_protocol {
public:
  using endpoint = basic_endpoint<stream_protocol>;
  using socket = basic_stream_socket<stream_protocol>;
  using acceptor = basic_socket_acceptor<stream_protocol>;

  int type() const noexcept { return SOCK_STREAM; }
  int protocol() const noexcept { return 0; }
  int family() const noexcept { return AF_UNIX; }
};

}  // namespace twin::local
