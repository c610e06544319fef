// twin::ip::address_v4 — an IPv4 address (Asio's ip::address_v4).
//
// A value type: four bytes, compared and ordered as the 32-bit number they
// spell in host byte order. make_address_v4 parses dotted decimal with
// inet_pton, so only the strict "a.b.c.d" form is accepted; a bad string is
// reported as error::invalid_argument (or thrown as std::system_error by the
// overloads without an error_code). Every function may be called from any
// thread.
//
// The members Asio 1.81 keeps as deprecated (present unless
// BOOST_ASIO_NO_DEPRECATED) are here too, with its results: from_string,
// to_string(ec), to_ulong, the classful is_class_a/b/c, and the static
// netmask and broadcast(addr, mask).
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

namespace twin::ip {

class address_v4 {
public:
  // The address as a number, in host byte order.
  using uint_type = std::uint_least32_t;
  // The address as bytes, in network byte order ({127, 0, 0, 1}).
  using bytes_type = std::array<unsigned char, 4>;

  // 0.0.0.0, the unspecified address.
  constexpr address_v4() noexcept = default;
  // From bytes in network byte order.
  constexpr explicit address_v4(const bytes_type& bytes) noexcept
      : addr_((uint_type{bytes[0]} << 24) | (uint_type{bytes[1]} << 16) |
              (uint_type{bytes[2]} << 8) | uint_type{bytes[3]}) {}
  // From a number in host byte order (0x7F000001 is 127.0.0.1).
  constexpr explicit address_v4(uint_type addr) noexcept : addr_(addr & 0xFFFFFFFFu) {}

  // The bytes in network byte order.
  constexpr bytes_type to_bytes() const noexcept {
    return {static_cast<unsigned char>(addr_ >> 24), static_cast<unsigned char>(addr_ >> 16),
            static_cast<unsigned char>(addr_ >> 8), static_cast<unsigned char>(addr_)};
  }
  // The number in host byte order.
  constexpr uint_type to_uint() const noexcept { return addr_; }
  // Dotted decimal, "127.0.0.1".
  std::string to_string() const;

  // Deprecated in Asio: to_uint() as an unsigned long.
  constexpr unsigned long to_ulong() const noexcept { return addr_; }
  // Deprecated in Asio: to_string(), clearing `ec` (formatting cannot fail).
  std::string to_string(std::error_code& ec) const;
  // Deprecated in Asio: make_address_v4 under its old name.
  static address_v4 from_string(const char* str);
  static address_v4 from_string(const char* str, std::error_code& ec);
  static address_v4 from_string(const std::string& str);
  static address_v4 from_string(const std::string& str, std::error_code& ec);

  // 127.0.0.0/8.
  constexpr bool is_loopback() const noexcept { return (addr_ & 0xFF000000u) == 0x7F000000u; }
  // 0.0.0.0.
  constexpr bool is_unspecified() const noexcept { return addr_ == 0; }
  // 224.0.0.0/4.
  constexpr bool is_multicast() const noexcept { return (addr_ & 0xF0000000u) == 0xE0000000u; }

  // Deprecated in Asio: the classful ranges 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3.
  constexpr bool is_class_a() const noexcept { return (addr_ & 0x80000000u) == 0; }
  constexpr bool is_class_b() const noexcept { return (addr_ & 0xC0000000u) == 0x80000000u; }
  constexpr bool is_class_c() const noexcept { return (addr_ & 0xE0000000u) == 0xC0000000u; }

  // 0.0.0.0: bind to every interface.
  static constexpr address_v4 any() noexcept { return address_v4(); }
  // 127.0.0.1.
  static constexpr address_v4 loopback() noexcept { return address_v4(0x7F000001u); }
  // 255.255.255.255.
  static constexpr address_v4 broadcast() noexcept { return address_v4(0xFFFFFFFFu); }

  // Deprecated in Asio: `addr` with every bit outside `mask` set.
  static constexpr address_v4 broadcast(const address_v4& addr, const address_v4& mask) noexcept {
    return address_v4(addr.addr_ | ~mask.addr_);
  }
  // Deprecated in Asio: the mask of `addr`'s class (/8, /16, /24), and
  // 255.255.255.255 for an address of no class A, B or C (multicast, 240/4).
  static constexpr address_v4 netmask(const address_v4& addr) noexcept {
    if (addr.is_class_a()) return address_v4(0xFF000000u);
    if (addr.is_class_b()) return address_v4(0xFFFF0000u);
    if (addr.is_class_c()) return address_v4(0xFFFFFF00u);
    return address_v4(0xFFFFFFFFu);
  }

  // Equal when the numbers are; ordered by the number (as Asio orders them).
  friend constexpr bool operator==(const address_v4&, const address_v4&) noexcept = default;
  friend constexpr std::strong_ordering operator<=>(const address_v4&,
                                                    const address_v4&) noexcept = default;

private:
  uint_type addr_ = 0;
};

// The address with these bytes (network byte order).
constexpr address_v4 make_address_v4(const address_v4::bytes_type& bytes) noexcept {
  return address_v4(bytes);
}
// The address with this number (host byte order).
constexpr address_v4 make_address_v4(address_v4::uint_type addr) noexcept {
  return address_v4(addr);
}
// Parses dotted decimal; throws std::system_error (invalid_argument) on a bad string.
address_v4 make_address_v4(std::string_view str);
// Parses dotted decimal; on a bad string sets `ec` and returns 0.0.0.0.
address_v4 make_address_v4(std::string_view str, std::error_code& ec) noexcept;

// Writes to_string().
std::ostream& operator<<(std::ostream& os, const address_v4& addr);

}  // namespace twin::ip

template <>
struct std::hash<twin::ip::address_v4> {
  std::size_t operator()(const twin::ip::address_v4& addr) const noexcept {
    return std::hash<std::uint_least32_t>()(addr.to_uint());
  }
};
