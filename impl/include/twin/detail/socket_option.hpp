// twin::detail::socket_option — the shapes of socket options, as Asio has
// them: a boolean, an integer, or a linger. Each knows its level and name
// and exposes its value as the bytes setsockopt/getsockopt take.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <stdexcept>

namespace twin::detail::socket_option {

template <int Level, int Name>
class boolean {
public:
  boolean() = default;
  explicit boolean(bool v) : value_(v ? 1 : 0) {}
  boolean& operator=(bool v) {
    value_ = v ? 1 : 0;
    return *this;
  }
  bool value() const noexcept { return value_ != 0; }
  explicit operator bool() const noexcept { return value_ != 0; }
  bool operator!() const noexcept { return value_ == 0; }

  template <typename Protocol> int level(const Protocol&) const noexcept { return Level; }
  template <typename Protocol> int name(const Protocol&) const noexcept { return Name; }
  template <typename Protocol> int* data(const Protocol&) noexcept { return &value_; }
  template <typename Protocol> const int* data(const Protocol&) const noexcept { return &value_; }
  template <typename Protocol> std::size_t size(const Protocol&) const noexcept {
    return sizeof(value_);
  }
  // Some options come back as a single byte; normalise to 0/1.
  template <typename Protocol>
  void resize(const Protocol&, std::size_t s) {
    if (s == sizeof(char))
      value_ = *reinterpret_cast<char*>(&value_) ? 1 : 0;
    else if (s != sizeof(value_))
      throw std::length_error("boolean socket option resize");
  }

private:
  int value_ = 0;
};

template <int Level, int Name>
class integer {
public:
  integer() = default;
  explicit integer(int v) : value_(v) {}
  integer& operator=(int v) {
    value_ = v;
    return *this;
  }
  int value() const noexcept { return value_; }

  template <typename Protocol> int level(const Protocol&) const noexcept { return Level; }
  template <typename Protocol> int name(const Protocol&) const noexcept { return Name; }
  template <typename Protocol> int* data(const Protocol&) noexcept { return &value_; }
  template <typename Protocol> const int* data(const Protocol&) const noexcept { return &value_; }
  template <typename Protocol> std::size_t size(const Protocol&) const noexcept {
    return sizeof(value_);
  }
  template <typename Protocol>
  void resize(const Protocol&, std::size_t s) {
    if (s != sizeof(value_)) throw std::length_error("integer socket option resize");
  }

private:
  int value_ = 0;
};

template <int Level, int Name>
class linger {
public:
  linger() = default;
  linger(bool enabled, int timeout) {
    value_.l_onoff = enabled ? 1 : 0;
    value_.l_linger = timeout;
  }
  bool enabled() const noexcept { return value_.l_onoff != 0; }
  void enabled(bool v) noexcept { value_.l_onoff = v ? 1 : 0; }
  int timeout() const noexcept { return value_.l_linger; }
  void timeout(int t) noexcept { value_.l_linger = t; }

  template <typename Protocol> int level(const Protocol&) const noexcept { return Level; }
  template <typename Protocol> int name(const Protocol&) const noexcept { return Name; }
  template <typename Protocol> ::linger* data(const Protocol&) noexcept { return &value_; }
  template <typename Protocol> const ::linger* data(const Protocol&) const noexcept {
    return &value_;
  }
  template <typename Protocol> std::size_t size(const Protocol&) const noexcept {
    return sizeof(value_);
  }
  template <typename Protocol>
  void resize(const Protocol&, std::size_t s) {
    if (s != sizeof(value_)) throw std::length_error("linger socket option resize");
  }

private:
  ::linger value_{};
};

}  // namespace twin::detail::socket_option
