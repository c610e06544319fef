// twin::ip::tcp — the TCP protocol: its families, and the endpoint, socket,
// acceptor and resolver types for it (Asio's ip::tcp).
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "twin/basic_socket_acceptor.hpp"
#include "twin/basic_stream_socket.hpp"
#include "twin/detail/socket_option.hpp"
#include "twin/ip/basic_endpoint.hpp"
#include "twin/ip/basic_resolver.hpp"

namespace twin::ip {

class tcp {
public:
  using endpoint = basic_endpoint<tcp>;
  using socket = basic_stream_socket<tcp>;
  using acceptor = basic_socket_acceptor<tcp>;
  using resolver = basic_resolver<tcp>;

  // Disables Nagle's algorithm (TCP_NODELAY).
  using no_delay = detail::socket_option::boolean<IPPROTO_TCP, TCP_NODELAY>;

  static tcp v4() noexcept { return tcp(AF_INET); }
  static tcp v6() noexcept { return tcp(AF_INET6); }

  int type() const noexcept { return SOCK_STREAM; }
  int protocol() const noexcept { return IPPROTO_TCP; }
  int family() const noexcept { return family_; }

  friend bool operator==(const tcp& a, const tcp& b) noexcept { return a.family_ == b.family_; }

private:
  explicit tcp(int family) noexcept : family_(family) {}
  int family_;
};

}  // namespace twin::ip
