// twin::detail::ip_endpoint — the protocol-independent body of
// ip::basic_endpoint: a sockaddr_in or sockaddr_in6, chosen by the address.
//
// The socket code passes data()/size() to bind, connect and sendto, and
// data()/capacity() then resize(n) to accept, getsockname and recvfrom, which
// write the kernel's sockaddr in place. A value type; any thread.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "twin/ip/address.hpp"

namespace twin::detail {

class ip_endpoint {
public:
  // 0.0.0.0 port 0.
  ip_endpoint() noexcept;
  // The unspecified address of `family` (AF_INET, else IPv6) with `port`.
  ip_endpoint(int family, std::uint_least16_t port) noexcept;
  // `addr` (with its scope id, if IPv6) and `port`.
  ip_endpoint(const ip::address& addr, std::uint_least16_t port) noexcept;

  sockaddr* data() noexcept { return &data_.base; }
  const sockaddr* data() const noexcept { return &data_.base; }
  // The length of the sockaddr that the family calls for.
  std::size_t size() const noexcept { return is_v4() ? sizeof(sockaddr_in) : sizeof(sockaddr_in6); }
  // Accepts the length the kernel wrote; throws std::system_error
  // (invalid_argument) if it exceeds capacity(). The family field decides
  // size() afterwards.
  void resize(std::size_t new_size);
  // The largest sockaddr this endpoint can hold.
  std::size_t capacity() const noexcept { return sizeof(data_); }

  bool is_v4() const noexcept { return data_.base.sa_family == AF_INET; }

  std::uint_least16_t port() const noexcept;
  void port(std::uint_least16_t port) noexcept;
  ip::address address() const noexcept;
  // Replaces the address (and so maybe the family), keeping the port.
  void address(const ip::address& addr) noexcept;

  // "127.0.0.1:80", "[::1]:80".
  std::string to_string() const;

  // By address, then port (Asio's order); the family comes with the address.
  friend bool operator==(const ip_endpoint& a, const ip_endpoint& b) noexcept {
    return a.address() == b.address() && a.port() == b.port();
  }
  friend bool operator<(const ip_endpoint& a, const ip_endpoint& b) noexcept {
    ip::address a_addr = a.address(), b_addr = b.address();
    if (a_addr != b_addr) return a_addr < b_addr;
    return a.port() < b.port();
  }

private:
  union {
    sockaddr base;
    sockaddr_in v4;
    sockaddr_in6 v6;
  } data_;
};

}  // namespace twin::detail
