#include "twin/ip/address_v4.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <ostream>

#include "twin/error.hpp"

namespace twin::ip {

std::string address_v4::to_string() const {
  bytes_type bytes = to_bytes();
  char text[INET_ADDRSTRLEN];
  // Cannot fail: the family is AF_INET and the buffer has the maximum size.
  ::inet_ntop(AF_INET, bytes.data(), text, sizeof text);
  return text;
}

address_v4 make_address_v4(std::string_view str) {
  std::error_code ec;
  address_v4 addr = make_address_v4(str, ec);
  detail::throw_error(ec, "make_address_v4");
  return addr;
}

address_v4 make_address_v4(std::string_view str, std::error_code& ec) noexcept {
  // inet_pton wants a terminated string; anything longer than the longest
  // dotted quad cannot be one.
  char text[INET_ADDRSTRLEN];
  address_v4::bytes_type bytes;
  if (str.size() >= sizeof text) {
    ec = error::invalid_argument;
    return address_v4();
  }
  std::memcpy(text, str.data(), str.size());
  text[str.size()] = '\0';
  if (::inet_pton(AF_INET, text, bytes.data()) != 1) {
    ec = error::invalid_argument;
    return address_v4();
  }
  ec.clear();
  return address_v4(bytes);
}

std::ostream& operator<<(std::ostream& os, const address_v4& addr) {
  return os << addr.to_string();
}

}  // namespace twin::ip
