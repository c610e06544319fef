// twin::ip::address_v6 — an IPv6 address with its scope id (Asio's
// ip::address_v6).
//
// A value type: sixteen bytes in network byte order plus a scope id (the
// interface index of a link-local address, 0 for none). Two addresses are
// equal when bytes and scope id are; they are ordered by bytes, then scope
// id. Text is inet_ntop/inet_pton's, with Asio's "%scope" suffix: on output
// the interface name for a (multicast) link-local address whose index names
// one, the number otherwise; on input an interface name or a number. A bad
// string is reported as error::invalid_argument. Every function may be called
// from any thread.
//
// The members Asio 1.81 keeps as deprecated (present unless
// BOOST_ASIO_NO_DEPRECATED) are here too, with its results: from_string,
// to_string(ec), to_v4 (of a v4-mapped or v4-compatible address, else
// bad_address_cast), is_v4_compatible, and the static v4_mapped and
// v4_compatible.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <system_error>

#include "twin/ip/address_v4.hpp"

namespace twin::ip {

// The tag of the v4-mapped conversions (::ffff:a.b.c.d <-> a.b.c.d).
enum v4_mapped_t { v4_mapped };

class address_v6 {
public:
  // The address as bytes, in network byte order.
  using bytes_type = std::array<unsigned char, 16>;
  // An interface index (sin6_scope_id).
  using scope_id_type = std::uint_least32_t;

  // ::, the unspecified address, with no scope.
  constexpr address_v6() noexcept = default;
  // From bytes in network byte order and a scope id.
  constexpr explicit address_v6(const bytes_type& bytes, scope_id_type scope_id = 0) noexcept
      : bytes_(bytes), scope_id_(scope_id) {}

  // The scope id (0: none).
  constexpr scope_id_type scope_id() const noexcept { return scope_id_; }
  // Sets the scope id; meaningful for link-local addresses.
  constexpr void scope_id(scope_id_type id) noexcept { scope_id_ = id; }

  // The bytes in network byte order.
  constexpr bytes_type to_bytes() const noexcept { return bytes_; }
  // The RFC 5952 text of inet_ntop, with "%scope" when there is a scope id.
  std::string to_string() const;

  // Deprecated in Asio: to_string(), clearing `ec` (formatting cannot fail).
  std::string to_string(std::error_code& ec) const;
  // Deprecated in Asio: make_address_v6 under its old name.
  static address_v6 from_string(const char* str);
  static address_v6 from_string(const char* str, std::error_code& ec);
  static address_v6 from_string(const std::string& str);
  static address_v6 from_string(const std::string& str, std::error_code& ec);
  // Deprecated in Asio: the last four bytes of a v4-mapped or v4-compatible
  // address; throws bad_address_cast for any other.
  address_v4 to_v4() const;

  // ::1.
  constexpr bool is_loopback() const noexcept { return bytes_ == loopback().bytes_; }
  // ::.
  constexpr bool is_unspecified() const noexcept { return bytes_ == bytes_type{}; }
  // fe80::/10.
  constexpr bool is_link_local() const noexcept {
    return bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0x80;
  }
  // fec0::/10 (deprecated by RFC 3879, still recognised).
  constexpr bool is_site_local() const noexcept {
    return bytes_[0] == 0xfe && (bytes_[1] & 0xc0) == 0xc0;
  }
  // ::ffff:0:0/96, an IPv4 address seen through an IPv6 socket.
  constexpr bool is_v4_mapped() const noexcept {
    for (std::size_t i = 0; i < 10; ++i)
      if (bytes_[i] != 0) return false;
    return bytes_[10] == 0xff && bytes_[11] == 0xff;
  }
  // Deprecated in Asio: ::a.b.c.d, the obsolete IPv4-compatible form; ::
  // and ::1 are not.
  constexpr bool is_v4_compatible() const noexcept {
    for (std::size_t i = 0; i < 12; ++i)
      if (bytes_[i] != 0) return false;
    return !(bytes_[12] == 0 && bytes_[13] == 0 && bytes_[14] == 0 && bytes_[15] <= 1);
  }
  // ff00::/8.
  constexpr bool is_multicast() const noexcept { return bytes_[0] == 0xff; }
  // Multicast with global, link-local, node-local, organisation-local or
  // site-local scope (the low nibble of the second byte).
  constexpr bool is_multicast_global() const noexcept { return multicast_scope(0x0e); }
  constexpr bool is_multicast_link_local() const noexcept { return multicast_scope(0x02); }
  constexpr bool is_multicast_node_local() const noexcept { return multicast_scope(0x01); }
  constexpr bool is_multicast_org_local() const noexcept { return multicast_scope(0x08); }
  constexpr bool is_multicast_site_local() const noexcept { return multicast_scope(0x05); }

  // ::.
  static constexpr address_v6 any() noexcept { return address_v6(); }
  // ::1.
  static constexpr address_v6 loopback() noexcept {
    return address_v6(bytes_type{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }
  // Deprecated in Asio: ::ffff:a.b.c.d, as make_address_v6(v4_mapped, addr).
  static address_v6 v4_mapped(const address_v4& addr) noexcept;
  // Deprecated in Asio: ::a.b.c.d.
  static constexpr address_v6 v4_compatible(const address_v4& addr) noexcept {
    address_v4::bytes_type v4 = addr.to_bytes();
    return address_v6(bytes_type{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, v4[0], v4[1], v4[2], v4[3]});
  }

  // Bytes, then scope id (the member order makes the defaults do that).
  friend constexpr bool operator==(const address_v6&, const address_v6&) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(const address_v6&,
                                                    const address_v6&) noexcept = default;

private:
  constexpr bool multicast_scope(unsigned char scope) const noexcept {
    return bytes_[0] == 0xff && (bytes_[1] & 0x0f) == scope;
  }

  bytes_type bytes_{};
  scope_id_type scope_id_ = 0;
};

// The address with these bytes and scope id.
constexpr address_v6 make_address_v6(const address_v6::bytes_type& bytes,
                                     address_v6::scope_id_type scope_id = 0) noexcept {
  return address_v6(bytes, scope_id);
}
// Parses IPv6 text ("::1", "fe80::1%eth0"); throws std::system_error on a bad string.
address_v6 make_address_v6(std::string_view str);
// Parses IPv6 text; on a bad string sets `ec` and returns ::.
address_v6 make_address_v6(std::string_view str, std::error_code& ec) noexcept;
// ::ffff:a.b.c.d for a.b.c.d.
address_v6 make_address_v6(v4_mapped_t, const address_v4& v4_addr) noexcept;
// a.b.c.d for ::ffff:a.b.c.d; throws bad_address_cast if `v6_addr` is not v4-mapped.
address_v4 make_address_v4(v4_mapped_t, const address_v6& v6_addr);

// Writes to_string().
std::ostream& operator<<(std::ostream& os, const address_v6& addr);

}  // namespace twin::ip

template <>
struct std::hash<twin::ip::address_v6> {
  std::size_t operator()(const twin::ip::address_v6& addr) const noexcept {
    std::size_t h = std::hash<std::uint_least32_t>()(addr.scope_id());
    for (unsigned char b : addr.to_bytes()) h = h * 31 + b;
    return h;
  }
};
