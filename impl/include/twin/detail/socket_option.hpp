// twin::detail::socket_option — the shapes of socket options, as Asio has
// them: a boolean, an integer (int-sized or one byte), a linger, any other
// value as it is, and an IP option that is a different one for each family
// (per_family). Each knows its level and name and exposes its value as the
// bytes setsockopt/getsockopt take.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <stdexcept>

namespace twin::detail::socket_option {

// What every option shares: its level and name, and its value as the bytes
// setsockopt/getsockopt take (the protocol is not needed on Linux).
template <int Level, int Name, typename Value>
class option_storage {
public:
  option_storage() = default;
  // The value as it is (a struct ip_mreq, say).
  explicit option_storage(const Value& v) noexcept : value_(v) {}

  template <typename Protocol>
  int level(const Protocol&) const noexcept {
    return Level;
  }
  template <typename Protocol>
  int name(const Protocol&) const noexcept {
    return Name;
  }
  template <typename Protocol>
  Value* data(const Protocol&) noexcept {
    return &value_;
  }
  template <typename Protocol>
  const Value* data(const Protocol&) const noexcept {
    return &value_;
  }
  template <typename Protocol>
  std::size_t size(const Protocol&) const noexcept {
    return sizeof(value_);
  }
  // getsockopt returned `s` bytes: anything but the value's size is an error.
  template <typename Protocol>
  void resize(const Protocol&, std::size_t s) {
    if (s != sizeof(value_)) throw std::length_error("socket option resize");
  }

protected:
  Value value_{};
};

template <int Level, int Name>
class boolean : public option_storage<Level, Name, int> {
public:
  boolean() = default;
  explicit boolean(bool v) { *this = v; }
  boolean& operator=(bool v) {
    this->value_ = v ? 1 : 0;
    return *this;
  }
  bool value() const noexcept { return this->value_ != 0; }
  explicit operator bool() const noexcept { return this->value_ != 0; }
  bool operator!() const noexcept { return this->value_ == 0; }

  // Some options come back as a single byte; normalise to 0/1.
  template <typename Protocol>
  void resize(const Protocol& p, std::size_t s) {
    if (s == sizeof(char))
      this->value_ = *reinterpret_cast<char*>(&this->value_) ? 1 : 0;
    else
      option_storage<Level, Name, int>::resize(p, s);
  }
};

template <int Level, int Name>
class integer : public option_storage<Level, Name, int> {
public:
  integer() = default;
  explicit integer(int v) { this->value_ = v; }
  integer& operator=(int v) {
    this->value_ = v;
    return *this;
  }
  int value() const noexcept { return this->value_; }
};

// An integer the kernel takes as one byte (IP_MULTICAST_TTL, as Asio sets it).
template <int Level, int Name>
class byte_integer : public option_storage<Level, Name, unsigned char> {
public:
  byte_integer() = default;
  explicit byte_integer(int v) { this->value_ = static_cast<unsigned char>(v); }
  int value() const noexcept { return this->value_; }
};

template <int Level, int Name>
class linger : public option_storage<Level, Name, ::linger> {
public:
  linger() = default;
  linger(bool enabled, int timeout) {
    this->enabled(enabled);
    this->timeout(timeout);
  }
  bool enabled() const noexcept { return this->value_.l_onoff != 0; }
  void enabled(bool v) noexcept { this->value_.l_onoff = v ? 1 : 0; }
  int timeout() const noexcept { return this->value_.l_linger; }
  void timeout(int t) noexcept { this->value_.l_linger = t; }
};

// An IP option that is `V4` on an IPv4 socket and `V6` on an IPv6 one
// (IP_MULTICAST_TTL and IPV6_MULTICAST_HOPS, say): the option holds both
// values and hands the socket the one of its protocol's family. Setting
// sets both; reading one back (resize) copies it to the other, so value()
// reads the same whichever family was asked.
template <typename V4, typename V6>
class per_family {
public:
  per_family() = default;
  per_family(const V4& v4, const V6& v6) : v4_(v4), v6_(v6) {}

  template <typename Protocol>
  int level(const Protocol& p) const noexcept {
    return is_v6(p) ? v6_.level(p) : v4_.level(p);
  }
  template <typename Protocol>
  int name(const Protocol& p) const noexcept {
    return is_v6(p) ? v6_.name(p) : v4_.name(p);
  }
  template <typename Protocol>
  void* data(const Protocol& p) noexcept {
    return is_v6(p) ? static_cast<void*>(v6_.data(p)) : static_cast<void*>(v4_.data(p));
  }
  template <typename Protocol>
  const void* data(const Protocol& p) const noexcept {
    return is_v6(p) ? static_cast<const void*>(v6_.data(p)) : static_cast<const void*>(v4_.data(p));
  }
  template <typename Protocol>
  std::size_t size(const Protocol& p) const noexcept {
    return is_v6(p) ? v6_.size(p) : v4_.size(p);
  }
  template <typename Protocol>
  void resize(const Protocol& p, std::size_t s) {
    if (is_v6(p)) {
      v6_.resize(p, s);
      v4_ = V4(v6_.value());
    } else {
      v4_.resize(p, s);
      v6_ = V6(v4_.value());
    }
  }

protected:
  template <typename Protocol>
  static bool is_v6(const Protocol& p) noexcept {
    return p.family() == AF_INET6;
  }

  V4 v4_{};
  V6 v6_{};
};

}  // namespace twin::detail::socket_option
