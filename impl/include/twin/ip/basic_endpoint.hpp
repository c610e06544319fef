// twin::ip::basic_endpoint — an IP address and port of one protocol (Asio's
// ip::basic_endpoint; ip::tcp::endpoint is basic_endpoint<tcp>).
//
// InternetProtocol provides static v4() and v6(); the endpoint's protocol()
// is the one whose family matches its address. It starts as 0.0.0.0 port 0.
// Endpoints compare by address, then port, and print as "127.0.0.1:80" or
// "[::1]:80". A value type; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>

#include "twin/detail/ip_endpoint.hpp"
#include "twin/ip/address.hpp"

namespace twin::ip {

// A port number in host byte order.
using port_type = std::uint_least16_t;

template <typename InternetProtocol>
class basic_endpoint {
public:
  using protocol_type = InternetProtocol;
  // What the socket calls receive: the sockaddr the kernel reads and writes.
  using data_type = sockaddr;

  // 0.0.0.0 port 0.
  basic_endpoint() noexcept = default;
  // The unspecified address of `protocol`'s family with `port`, as a server
  // binds: basic_endpoint(tcp::v6(), 80) is [::]:80.
  basic_endpoint(const InternetProtocol& protocol, port_type port) noexcept
      : impl_(protocol.family(), port) {}
  // `addr` and `port`.
  basic_endpoint(const ip::address& addr, port_type port) noexcept : impl_(addr, port) {}

  // InternetProtocol::v4() or ::v6(), after the address's family.
  protocol_type protocol() const noexcept {
    return impl_.is_v4() ? InternetProtocol::v4() : InternetProtocol::v6();
  }

  // The sockaddr, for the socket system calls.
  data_type* data() noexcept { return impl_.data(); }
  const data_type* data() const noexcept { return impl_.data(); }
  // The length of the sockaddr (sockaddr_in or sockaddr_in6).
  std::size_t size() const noexcept { return impl_.size(); }
  // Records the length the kernel wrote into data(); throws std::system_error
  // if it exceeds capacity().
  void resize(std::size_t new_size) { impl_.resize(new_size); }
  // The room behind data(), for the calls that write an address.
  std::size_t capacity() const noexcept { return impl_.capacity(); }

  port_type port() const noexcept { return impl_.port(); }
  void port(port_type port) noexcept { impl_.port(port); }
  ip::address address() const noexcept { return impl_.address(); }
  // Replaces the address (which may change the family), keeping the port.
  void address(const ip::address& addr) noexcept { impl_.address(addr); }

  // By address, then port.
  friend bool operator==(const basic_endpoint& a, const basic_endpoint& b) noexcept {
    return a.impl_ == b.impl_;
  }
  friend bool operator<(const basic_endpoint& a, const basic_endpoint& b) noexcept {
    return a.impl_ < b.impl_;
  }
  friend bool operator>(const basic_endpoint& a, const basic_endpoint& b) noexcept { return b < a; }
  friend bool operator<=(const basic_endpoint& a, const basic_endpoint& b) noexcept {
    return !(b < a);
  }
  friend bool operator>=(const basic_endpoint& a, const basic_endpoint& b) noexcept {
    return !(a < b);
  }

  // "127.0.0.1:80" or "[::1]:80".
  friend std::ostream& operator<<(std::ostream& os, const basic_endpoint& endpoint) {
    return os << endpoint.impl_.to_string();
  }

private:
  detail::ip_endpoint impl_;
};

}  // namespace twin::ip

template <typename InternetProtocol>
struct std::hash<twin::ip::basic_endpoint<InternetProtocol>> {
  std::size_t operator()(const twin::ip::basic_endpoint<InternetProtocol>& ep) const noexcept {
    std::size_t h = std::hash<twin::ip::address>()(ep.address());
    return h ^ (std::hash<twin::ip::port_type>()(ep.port()) + 0x9e3779b9 + (h << 6) + (h >> 2));
  }
};
