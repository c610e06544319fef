#include "twin/ip/address.hpp"

#include <ostream>

#include "twin/error.hpp"

namespace twin::ip {

std::string address::to_string() const {
  return is_v4() ? std::get<address_v4>(addr_).to_string()
                 : std::get<address_v6>(addr_).to_string();
}

std::string address::to_string(std::error_code& ec) const {
  ec.clear();
  return to_string();
}

address address::from_string(const char* str) { return make_address(str); }
address address::from_string(const char* str, std::error_code& ec) { return make_address(str, ec); }
address address::from_string(const std::string& str) { return make_address(str); }
address address::from_string(const std::string& str, std::error_code& ec) {
  return make_address(str, ec);
}

address make_address(std::string_view str) {
  return detail::or_throw("make_address",
                          [&](std::error_code& ec) { return make_address(str, ec); });
}

address make_address(std::string_view str, std::error_code& ec) noexcept {
  // IPv6 first, as Asio: the two grammars are disjoint, so the order only
  // decides which error a string that is neither reports (the IPv4 one).
  address_v6 v6 = make_address_v6(str, ec);
  if (!ec) return v6;
  address_v4 v4 = make_address_v4(str, ec);
  if (!ec) return v4;
  return address();
}

std::ostream& operator<<(std::ostream& os, const address& addr) { return os << addr.to_string(); }

}  // namespace twin::ip
