// twin::ip::multicast — the socket options of IP multicast (Asio's
// ip::multicast): join_group and leave_group (set only), outbound_interface
// (set only), hops and enable_loopback. Each is the IPv4 option on an IPv4
// socket and the IPv6 one on an IPv6 socket. Options are plain values: use
// one from one thread at a time; the socket calls follow the socket's rules.
#pragma once

#include <netinet/in.h>

#include <cstring>
#include <stdexcept>

#include "twin/detail/socket_option.hpp"
#include "twin/ip/address.hpp"

namespace twin::ip::multicast {

namespace detail {

namespace opt = twin::detail::socket_option;

// The value of a membership request, for IPv4 and for IPv6.
inline ::ip_mreq v4_request(const address_v4& group, const address_v4& interface) noexcept {
  ::ip_mreq r{};
  r.imr_multiaddr.s_addr = htonl(group.to_uint());
  r.imr_interface.s_addr = htonl(interface.to_uint());
  return r;
}
inline ::ipv6_mreq v6_request(const address_v6& group, unsigned long interface) noexcept {
  ::ipv6_mreq r{};
  const address_v6::bytes_type bytes = group.to_bytes();
  std::memcpy(r.ipv6mr_multiaddr.s6_addr, bytes.data(), bytes.size());
  // No interface given: the group's own scope id, as Asio.
  r.ipv6mr_interface = static_cast<unsigned>(interface != 0 ? interface : group.scope_id());
  return r;
}

// join_group and leave_group: a group (and interface) to set, never read.
// The request of the other family is left all zero, as in Asio.
template <int V4Name, int V6Name>
class membership : public opt::per_family<opt::option_storage<IPPROTO_IP, V4Name, ::ip_mreq>,
                                          opt::option_storage<IPPROTO_IPV6, V6Name, ::ipv6_mreq>> {
  using v4_type = opt::option_storage<IPPROTO_IP, V4Name, ::ip_mreq>;
  using v6_type = opt::option_storage<IPPROTO_IPV6, V6Name, ::ipv6_mreq>;
  using base = opt::per_family<v4_type, v6_type>;

public:
  // The group 0.0.0.0 on any interface.
  membership() = default;
  // `group` of its own version, on any interface (IPv6: its scope id).
  explicit membership(const address& group)
      : base(group.is_v4() ? v4_type(v4_request(group.to_v4(), address_v4::any())) : v4_type(),
             group.is_v6() ? v6_type(v6_request(group.to_v6(), 0)) : v6_type()) {}
  // An IPv4 group on the interface with address `interface`.
  explicit membership(const address_v4& group, const address_v4& interface = address_v4::any())
      : base(v4_type(v4_request(group, interface)), v6_type()) {}
  // An IPv6 group on interface index `interface` (0: the group's scope id).
  explicit membership(const address_v6& group, unsigned long interface = 0)
      : base(v4_type(), v6_type(v6_request(group, interface))) {}

  // Set only: there is nothing to read back.
  template <typename Protocol>
  void* data(const Protocol&) = delete;
  template <typename Protocol>
  const void* data(const Protocol& p) const noexcept {
    return base::data(p);
  }
};

// outbound_interface: the interface multicast is sent from, set only.
class interface_choice
    : public opt::per_family<opt::option_storage<IPPROTO_IP, IP_MULTICAST_IF, ::in_addr>,
                             opt::option_storage<IPPROTO_IPV6, IPV6_MULTICAST_IF, unsigned>> {
  using v4_type = opt::option_storage<IPPROTO_IP, IP_MULTICAST_IF, ::in_addr>;
  using v6_type = opt::option_storage<IPPROTO_IPV6, IPV6_MULTICAST_IF, unsigned>;

public:
  // Any interface (the kernel's choice).
  interface_choice() = default;
  // The IPv4 interface with this address.
  explicit interface_choice(const address_v4& interface)
      : per_family(v4_type(::in_addr{htonl(interface.to_uint())}), v6_type()) {}
  // The IPv6 interface with this index.
  explicit interface_choice(unsigned int interface) : per_family(v4_type(), v6_type(interface)) {}

  // Set only: there is nothing to read back.
  template <typename Protocol>
  void* data(const Protocol&) = delete;
  template <typename Protocol>
  const void* data(const Protocol& p) const noexcept {
    return per_family::data(p);
  }
};

// hops: the TTL of multicast sent, 0 to 255 (one byte for IPv4, as Asio).
class hop_limit : public opt::per_family<opt::byte_integer<IPPROTO_IP, IP_MULTICAST_TTL>,
                                         opt::integer<IPPROTO_IPV6, IPV6_MULTICAST_HOPS>> {
public:
  // 0.
  hop_limit() = default;
  // Throws std::out_of_range outside 0..255.
  explicit hop_limit(int v) { *this = v; }
  hop_limit& operator=(int v) {
    if (v < 0 || v > 255) throw std::out_of_range("multicast hops value out of range");
    v4_ = decltype(v4_)(v);
    v6_ = decltype(v6_)(v);
    return *this;
  }
  int value() const noexcept { return v6_.value(); }
};

// enable_loopback: whether this host's own sockets hear multicast sent.
class loopback : public opt::per_family<opt::boolean<IPPROTO_IP, IP_MULTICAST_LOOP>,
                                        opt::boolean<IPPROTO_IPV6, IPV6_MULTICAST_LOOP>> {
public:
  // false.
  loopback() = default;
  explicit loopback(bool v) { *this = v; }
  loopback& operator=(bool v) {
    v4_ = v;
    v6_ = v;
    return *this;
  }
  bool value() const noexcept { return v4_.value(); }
  explicit operator bool() const noexcept { return value(); }
  bool operator!() const noexcept { return !value(); }
};

}  // namespace detail

// Joins a group (an IPv4 group may name the interface, an IPv6 one its index).
using join_group = detail::membership<IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP>;
// Leaves a group joined with join_group.
using leave_group = detail::membership<IP_DROP_MEMBERSHIP, IPV6_LEAVE_GROUP>;
// The interface to send multicast from.
using outbound_interface = detail::interface_choice;
// The hop limit (TTL) of multicast sent: 0 to 255.
using hops = detail::hop_limit;
// Whether multicast sent comes back to this host's own sockets.
using enable_loopback = detail::loopback;

}  // namespace twin::ip::multicast
