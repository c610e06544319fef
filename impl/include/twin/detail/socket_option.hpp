// twin::detail::socket_option — the shapes of socket options, as Asio has
// them: a boolean, an integer, or a linger. Each knows its level and name
// and exposes its value as the bytes setsockopt/getsockopt take.
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

}  // namespace twin::detail::socket_option
