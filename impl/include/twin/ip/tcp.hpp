// twin::ip::tcp — the TCP protocol: its families (v4(), v6()), and the
// endpoint, socket, acceptor and resolver types for it (Asio's ip::tcp).
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "twin/basic_socket_acceptor.hpp"
#include "twin/basic_stream_socket.hpp"
#include "twin/detail/protocol.hpp"
#include "twin/detail/socket_option.hpp"
#include "twin/ip/basic_endpoint.hpp"
#include "twin/ip/basic_resolver.hpp"

namespace twin::ip {

class tcp : public detail::internet_protocol<tcp, SOCK_STREAM, IPPROTO_TCP> {
public:
  using endpoint = basic_endpoint<tcp>;
  using socket = basic_stream_socket<tcp>;
  using acceptor = basic_socket_acceptor<tcp>;
  using resolver = basic_resolver<tcp>;

  // Disables Nagle's algorithm (TCP_NODELAY).
  using no_delay = detail::socket_option::boolean<IPPROTO_TCP, TCP_NODELAY>;

private:
  friend internet_protocol;
  using internet_protocol::internet_protocol;
};

}  // namespace twin::ip
