// twin::ip::address — an IPv4 or an IPv6 address (Asio's ip::address).
//
// A value type holding one of address_v4 and address_v6; it starts as
// 0.0.0.0. Addresses of different versions are never equal and every IPv4
// address orders before every IPv6 one (then each version's own order), as
// in Asio. make_address tries IPv6 text first, then IPv4; a string that is
// neither is reported as error::invalid_argument (the overload without an
// error_code throws std::system_error). Every function may be called from
// any thread. Asio 1.81's deprecated from_string and to_string(ec) are here
// too.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>

#include "twin/ip/address_v4.hpp"
#include "twin/ip/address_v6.hpp"
#include "twin/ip/bad_address_cast.hpp"

namespace twin::ip {

class address {
public:
  // 0.0.0.0.
  constexpr address() noexcept = default;
  // Implicit, as in Asio: an address_v4 or address_v6 is an address.
  constexpr address(const address_v4& v4) noexcept : addr_(v4) {}
  constexpr address(const address_v6& v6) noexcept : addr_(v6) {}

  constexpr bool is_v4() const noexcept { return addr_.index() == 0; }
  constexpr bool is_v6() const noexcept { return addr_.index() == 1; }

  // The IPv4 address; throws bad_address_cast if this is IPv6.
  address_v4 to_v4() const {
    if (!is_v4()) throw bad_address_cast();
    return std::get<address_v4>(addr_);
  }
  // The IPv6 address; throws bad_address_cast if this is IPv4 (even for an
  // address that could be v4-mapped: use make_address_v6(v4_mapped, ...)).
  address_v6 to_v6() const {
    if (!is_v6()) throw bad_address_cast();
    return std::get<address_v6>(addr_);
  }

  // The version's own text ("127.0.0.1", "::1").
  std::string to_string() const;

  // Deprecated in Asio: to_string(), clearing `ec` (formatting cannot fail).
  std::string to_string(std::error_code& ec) const;
  // Deprecated in Asio: make_address under its old name.
  static address from_string(const char* str);
  static address from_string(const char* str, std::error_code& ec);
  static address from_string(const std::string& str);
  static address from_string(const std::string& str, std::error_code& ec);

  // The version's own predicates.
  bool is_loopback() const noexcept {
    return is_v4() ? std::get<0>(addr_).is_loopback() : std::get<1>(addr_).is_loopback();
  }
  bool is_unspecified() const noexcept {
    return is_v4() ? std::get<0>(addr_).is_unspecified() : std::get<1>(addr_).is_unspecified();
  }
  bool is_multicast() const noexcept {
    return is_v4() ? std::get<0>(addr_).is_multicast() : std::get<1>(addr_).is_multicast();
  }

  // Version first (v4 < v6), then the version's order: std::variant's own
  // comparison is exactly that.
  friend bool operator==(const address&, const address&) noexcept = default;
  friend std::strong_ordering operator<=>(const address&, const address&) noexcept = default;

private:
  std::variant<address_v4, address_v6> addr_;
};

// Parses IPv6 or IPv4 text; throws std::system_error (invalid_argument) on a bad string.
address make_address(std::string_view str);
// Parses IPv6 or IPv4 text; on a bad string sets `ec` and returns 0.0.0.0.
address make_address(std::string_view str, std::error_code& ec) noexcept;

// Writes to_string().
std::ostream& operator<<(std::ostream& os, const address& addr);

}  // namespace twin::ip

template <>
struct std::hash<twin::ip::address> {
  std::size_t operator()(const twin::ip::address& addr) const noexcept {
    return addr.is_v4() ? std::hash<twin::ip::address_v4>()(addr.to_v4())
                        : std::hash<twin::ip::address_v6>()(addr.to_v6());
  }
};
