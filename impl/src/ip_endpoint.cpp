#include "twin/detail/ip_endpoint.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <sstream>

#include "twin/error.hpp"

namespace twin::detail {

ip_endpoint::ip_endpoint() noexcept : ip_endpoint(AF_INET, 0) {}

ip_endpoint::ip_endpoint(int family, std::uint_least16_t port) noexcept : data_() {
  // data_() zeroed the union: the address is already the unspecified one.
  if (family == AF_INET) {
    data_.v4.sin_family = AF_INET;
    data_.v4.sin_port = htons(port);
  } else {
    data_.v6.sin6_family = AF_INET6;
    data_.v6.sin6_port = htons(port);
  }
}

ip_endpoint::ip_endpoint(const ip::address& addr, std::uint_least16_t port) noexcept : data_() {
  if (addr.is_v4()) {
    data_.v4.sin_family = AF_INET;
    data_.v4.sin_port = htons(port);
    data_.v4.sin_addr.s_addr = htonl(addr.to_v4().to_uint());
  } else {
    ip::address_v6 v6 = addr.to_v6();
    ip::address_v6::bytes_type bytes = v6.to_bytes();
    data_.v6.sin6_family = AF_INET6;
    data_.v6.sin6_port = htons(port);
    std::memcpy(data_.v6.sin6_addr.s6_addr, bytes.data(), bytes.size());
    data_.v6.sin6_scope_id = v6.scope_id();
  }
}

void ip_endpoint::resize(std::size_t new_size) {
  // Asio checks against sockaddr_storage; the union is what the kernel
  // writes into, so its size is the real limit.
  if (new_size > capacity())
    throw std::system_error(make_error_code(error::invalid_argument), "resize");
}

std::uint_least16_t ip_endpoint::port() const noexcept {
  return ntohs(is_v4() ? data_.v4.sin_port : data_.v6.sin6_port);
}

void ip_endpoint::port(std::uint_least16_t port) noexcept {
  if (is_v4())
    data_.v4.sin_port = htons(port);
  else
    data_.v6.sin6_port = htons(port);
}

ip::address ip_endpoint::address() const noexcept {
  if (is_v4()) return ip::address_v4(ntohl(data_.v4.sin_addr.s_addr));
  ip::address_v6::bytes_type bytes;
  std::memcpy(bytes.data(), data_.v6.sin6_addr.s6_addr, bytes.size());
  return ip::address_v6(bytes, data_.v6.sin6_scope_id);
}

void ip_endpoint::address(const ip::address& addr) noexcept { *this = ip_endpoint(addr, port()); }

std::string ip_endpoint::to_string() const {
  // The classic locale: a port is never written "8,080".
  std::ostringstream os;
  os.imbue(std::locale::classic());
  if (is_v4())
    os << address();
  else
    os << '[' << address() << ']';
  os << ':' << port();
  return os.str();
}

}  // namespace twin::detail
