// twin::ip::resolver_base — the flags of a forward resolution (Asio's
// ip::resolver_base), each one getaddrinfo's AI_* flag of the same meaning.
//
// basic_resolver::resolve(host, service) passes no flags at all — as Asio
// 1.81 does — so getaddrinfo's own defaults apply; pass address_configured,
// v4_mapped, ... explicitly to ask for them.
#pragma once

#include <netdb.h>

namespace twin::ip {

class resolver_base {
public:
  enum flags {
    // Ask for the canonical name; it becomes every entry's host_name().
    canonical_name = AI_CANONNAME,
    // With an empty host: addresses to bind to (0.0.0.0, ::), not loopback.
    passive = AI_PASSIVE,
    // The host must be a numeric address; no name lookup is done.
    numeric_host = AI_NUMERICHOST,
    // The service must be a port number; /etc/services is not read.
    numeric_service = AI_NUMERICSERV,
    // For an IPv6 query that finds only IPv4 addresses, return them v4-mapped.
    v4_mapped = AI_V4MAPPED,
    // With v4_mapped: return IPv6 and v4-mapped IPv4 addresses.
    all_matching = AI_ALL,
    // Only families for which the host has a configured (non-loopback) address.
    address_configured = AI_ADDRCONFIG,
  };

  friend constexpr flags operator&(flags a, flags b) noexcept {
    return static_cast<flags>(static_cast<unsigned>(a) & static_cast<unsigned>(b));
  }
  friend constexpr flags operator|(flags a, flags b) noexcept {
    return static_cast<flags>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
  }
  friend constexpr flags operator^(flags a, flags b) noexcept {
    return static_cast<flags>(static_cast<unsigned>(a) ^ static_cast<unsigned>(b));
  }
  friend constexpr flags operator~(flags a) noexcept {
    return static_cast<flags>(~static_cast<unsigned>(a));
  }
  friend constexpr flags& operator&=(flags& a, flags b) noexcept { return a = a & b; }
  friend constexpr flags& operator|=(flags& a, flags b) noexcept { return a = a | b; }
  friend constexpr flags& operator^=(flags& a, flags b) noexcept { return a = a ^ b; }

protected:
  // Not deleted through this base.
  ~resolver_base() = default;
};

}  // namespace twin::ip
