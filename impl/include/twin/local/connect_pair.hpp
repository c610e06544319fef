// twin::local::connect_pair — two sockets of a UNIX domain protocol
// connected to each other (socketpair), as Asio's local::connect_pair.
//
// Both sockets must be closed: on any failure neither is left open, and
// `ec` (or the std::system_error thrown) says why — already_open when a
// socket was open. Calls neither socket from another thread meanwhile.
#pragma once

#include <sys/socket.h>

#include <system_error>
#include <type_traits>

#include "twin/basic_socket.hpp"
#include "twin/detail/socket_ops.hpp"
#include "twin/local/basic_endpoint.hpp"

namespace twin::local {

template <typename Protocol, typename Executor1, typename Executor2>
void connect_pair(basic_socket<Protocol, Executor1>& socket1,
                  basic_socket<Protocol, Executor2>& socket2, std::error_code& ec) {
  static_assert(std::is_same_v<typename Protocol::endpoint, basic_endpoint<Protocol>>,
                "connect_pair needs a UNIX domain protocol");
  const Protocol protocol;
  int pair[2];
  if (detail::socket_ops::socketpair(protocol.family(), protocol.type(), protocol.protocol(), pair,
                                     ec) != 0)
    return;
  std::error_code ignored;
  socket1.assign(protocol, pair[0], ec);
  if (ec) {
    // assign() closes nothing it refused: both ends are still ours.
    detail::socket_ops::close(pair[0], ignored);
    detail::socket_ops::close(pair[1], ignored);
    return;
  }
  socket2.assign(protocol, pair[1], ec);
  if (ec) {
    socket1.close(ignored);
    detail::socket_ops::close(pair[1], ignored);
  }
}

template <typename Protocol, typename Executor1, typename Executor2>
void connect_pair(basic_socket<Protocol, Executor1>& socket1,
                  basic_socket<Protocol, Executor2>& socket2) {
  detail::or_throw("connect_pair",
                   [&](std::error_code& ec) { return connect_pair(socket1, socket2, ec); });
}

}  // namespace twin::local
