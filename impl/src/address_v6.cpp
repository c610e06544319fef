#include "twin/ip/address_v6.hpp"

#include <arpa/inet.h>
#include <net/if.h>

#include <cstdlib>
#include <ostream>

#include "twin/detail/socket_ops.hpp"
#include "twin/error.hpp"
#include "twin/ip/bad_address_cast.hpp"

namespace twin::ip {

namespace {

// Only link-local scopes name an interface; any other scope id is written
// and read as a plain number (Asio's rule).
bool scope_names_interface(const address_v6& addr) {
  return addr.is_link_local() || addr.is_multicast_link_local();
}

}  // namespace

std::string address_v6::to_string() const {
  char text[INET6_ADDRSTRLEN];
  // Cannot fail: the family is AF_INET6 and the buffer has the maximum size.
  ::inet_ntop(AF_INET6, bytes_.data(), text, sizeof text);
  std::string result(text);
  if (scope_id_ != 0) {
    char if_name[IF_NAMESIZE];
    result += '%';
    if (scope_names_interface(*this) && ::if_indextoname(scope_id_, if_name))
      result += if_name;
    else
      result += std::to_string(scope_id_);
  }
  return result;
}

std::string address_v6::to_string(std::error_code& ec) const {
  ec.clear();
  return to_string();
}

address_v6 address_v6::from_string(const char* str) { return make_address_v6(str); }
address_v6 address_v6::from_string(const char* str, std::error_code& ec) {
  return make_address_v6(str, ec);
}
address_v6 address_v6::from_string(const std::string& str) { return make_address_v6(str); }
address_v6 address_v6::from_string(const std::string& str, std::error_code& ec) {
  return make_address_v6(str, ec);
}

address_v4 address_v6::to_v4() const {
  // Unlike make_address_v4(v4_mapped, ...), the old cast also takes the
  // v4-compatible form.
  if (!is_v4_mapped() && !is_v4_compatible()) throw bad_address_cast();
  return address_v4(address_v4::bytes_type{bytes_[12], bytes_[13], bytes_[14], bytes_[15]});
}

address_v6 address_v6::v4_mapped(const address_v4& addr) noexcept {
  return make_address_v6(ip::v4_mapped, addr);
}

address_v6 make_address_v6(std::string_view str) {
  return detail::or_throw("make_address_v6",
                          [&](std::error_code& ec) { return make_address_v6(str, ec); });
}

address_v6 make_address_v6(std::string_view str, std::error_code& ec) noexcept {
  // Split off "%scope" before inet_pton, which does not accept it.
  std::string_view::size_type percent = str.find('%');
  std::string_view addr_text = str.substr(0, percent);
  address_v6::bytes_type bytes;
  if (!detail::socket_ops::inet_pton(AF_INET6, addr_text, bytes.data(), ec)) return address_v6();
  address_v6 addr(bytes);
  if (percent != std::string_view::npos) {
    // An interface name for a link-local address, else (or if no interface
    // has that name) a number; like Asio's atoi, text that is no number is 0.
    std::string scope(str.substr(percent + 1));
    address_v6::scope_id_type id = 0;
    if (scope_names_interface(addr)) id = ::if_nametoindex(scope.c_str());
    if (id == 0) id = static_cast<address_v6::scope_id_type>(std::atoi(scope.c_str()));
    addr.scope_id(id);
  }
  ec.clear();
  return addr;
}

address_v6 make_address_v6(v4_mapped_t, const address_v4& v4_addr) noexcept {
  address_v4::bytes_type v4 = v4_addr.to_bytes();
  return address_v6(
      address_v6::bytes_type{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, v4[0], v4[1], v4[2], v4[3]});
}

address_v4 make_address_v4(v4_mapped_t, const address_v6& v6_addr) {
  if (!v6_addr.is_v4_mapped()) throw bad_address_cast();
  address_v6::bytes_type v6 = v6_addr.to_bytes();
  return address_v4(address_v4::bytes_type{v6[12], v6[13], v6[14], v6[15]});
}

std::ostream& operator<<(std::ostream& os, const address_v6& addr) {
  return os << addr.to_string();
}

}  // namespace twin::ip
