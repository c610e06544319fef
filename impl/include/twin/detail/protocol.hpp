// twin::detail::internet_protocol and unix_protocol — what ip::tcp,
// ip::udp and local::stream_protocol / datagram_protocol are besides their
// names and types: a family, a socket type and a protocol number, as
// socket() takes them. `Protocol` is the class deriving from one (CRTP), so
// v4() and v6() return it. Value types.
#pragma once

#include <sys/socket.h>

namespace twin::detail {

template <typename Protocol, int Type, int Number>
class internet_protocol {
public:
  static Protocol v4() noexcept { return Protocol(AF_INET); }
  static Protocol v6() noexcept { return Protocol(AF_INET6); }

  int type() const noexcept { return Type; }
  int protocol() const noexcept { return Number; }
  int family() const noexcept { return family_; }

  friend bool operator==(const Protocol& a, const Protocol& b) noexcept {
    return a.family_ == b.family_;
  }
  friend bool operator!=(const Protocol& a, const Protocol& b) noexcept { return !(a == b); }

protected:
  explicit internet_protocol(int family) noexcept : family_(family) {}

private:
  int family_;
};

template <int Type>
class unix_protocol {
public:
  int type() const noexcept { return Type; }
  int protocol() const noexcept { return 0; }
  int family() const noexcept { return AF_UNIX; }
};

}  // namespace twin::detail
