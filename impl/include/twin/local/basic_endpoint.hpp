// twin::local::basic_endpoint — the address of a UNIX domain socket: a
// filesystem path, or an abstract name (one whose first byte is '\0'), of
// one protocol (Asio's local::basic_endpoint).
//
// A default-constructed endpoint has an empty path; binding it asks the
// kernel for an abstract name of its own. A path longer than sun_path can
// hold (107 bytes and its terminator) is refused with error::name_too_long.
// Comparisons compare the paths. A value type: no thread constraints.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>

#include "twin/error.hpp"

namespace twin::local {

template <typename Protocol>
class basic_endpoint {
public:
  using protocol_type = Protocol;
  using data_type = sockaddr;

  basic_endpoint() noexcept { init({}); }
  basic_endpoint(const char* path_name) { init(path_name); }
  basic_endpoint(const std::string& path_name) { init(path_name); }
  basic_endpoint(std::string_view path_name) { init(path_name); }

  protocol_type protocol() const noexcept { return protocol_type(); }

  data_type* data() noexcept { return reinterpret_cast<sockaddr*>(&address_); }
  const data_type* data() const noexcept { return reinterpret_cast<const sockaddr*>(&address_); }
  // The family and the path, without a terminator (as Asio passes it).
  std::size_t size() const noexcept { return path_offset + path_length_; }
  // Records the length the kernel wrote into data(); a path it ended with a
  // '\0' does not count it. Throws std::system_error (invalid_argument) past
  // capacity().
  void resize(std::size_t new_size) {
    if (new_size > capacity()) throw std::system_error(error::invalid_argument);
    path_length_ = new_size <= path_offset ? 0 : new_size - path_offset;
    if (path_length_ > 0 && address_.sun_path[path_length_ - 1] == '\0') --path_length_;
  }
  std::size_t capacity() const noexcept { return sizeof address_; }

  std::string path() const { return std::string(address_.sun_path, path_length_); }
  void path(const char* p) { init(p); }
  void path(const std::string& p) { init(p); }

  friend bool operator==(const basic_endpoint& a, const basic_endpoint& b) {
    return a.path() == b.path();
  }
  friend bool operator!=(const basic_endpoint& a, const basic_endpoint& b) { return !(a == b); }
  friend bool operator<(const basic_endpoint& a, const basic_endpoint& b) {
    return a.path() < b.path();
  }
  friend bool operator>(const basic_endpoint& a, const basic_endpoint& b) { return b < a; }
  friend bool operator<=(const basic_endpoint& a, const basic_endpoint& b) { return !(b < a); }
  friend bool operator>=(const basic_endpoint& a, const basic_endpoint& b) { return !(a < b); }

  friend std::ostream& operator<<(std::ostream& os, const basic_endpoint& ep) {
    return os << ep.path();
  }

private:
  static constexpr std::size_t path_offset = offsetof(sockaddr_un, sun_path);

  void init(std::string_view path_name) {
    // One byte stays for the terminator a filesystem path needs.
    if (path_name.size() > sizeof address_.sun_path - 1)
      throw std::system_error(error::name_too_long);
    std::memset(&address_, 0, sizeof address_);
    address_.sun_family = AF_UNIX;
    std::copy(path_name.begin(), path_name.end(), address_.sun_path);
    path_length_ = path_name.size();
  }

  sockaddr_un address_;
  std::size_t path_length_ = 0;
};

}  // namespace twin::local
