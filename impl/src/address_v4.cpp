#include "twin/ip/address_v4.hpp"

#include <arpa/inet.h>

#include <ostream>

#include "twin/detail/socket_ops.hpp"
#include "twin/error.hpp"

namespace twin::ip {

std::string address_v4::to_string() const {
  bytes_type bytes = to_bytes();
  char text[INET_ADDRSTRLEN];
  // Cannot fail: the family is AF_INET and the buffer has the maximum size.
  ::inet_ntop(AF_INET, bytes.data(), text, sizeof text);
  return text;
}

std::string address_v4::to_string(std::error_code& ec) const {
  ec.clear();
  return to_string();
}

address_v4 address_v4::from_string(const char* str) { return make_address_v4(str); }
address_v4 address_v4::from_string(const char* str, std::error_code& ec) {
  return make_address_v4(str, ec);
}
address_v4 address_v4::from_string(const std::string& str) { return make_address_v4(str); }
address_v4 address_v4::from_string(const std::string& str, std::error_code& ec) {
  return make_address_v4(str, ec);
}

address_v4 make_address_v4(std::string_view str) {
  return detail::or_throw("make_address_v4",
                          [&](std::error_code& ec) { return make_address_v4(str, ec); });
}

address_v4 make_address_v4(std::string_view str, std::error_code& ec) noexcept {
  address_v4::bytes_type bytes;
  if (!detail::socket_ops::inet_pton(AF_INET, str, bytes.data(), ec)) return address_v4();
  ec.clear();
  return address_v4(bytes);
}

std::ostream& operator<<(std::ostream& os, const address_v4& addr) {
  return os << addr.to_string();
}

}  // namespace twin::ip
