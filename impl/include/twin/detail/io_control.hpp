// twin::detail::io_control — the commands io_control() passes to ioctl()
// (Asio's socket_base::bytes_readable and posix::descriptor_base's): each
// has name(), the request, and data(), its argument. Value types.
#pragma once

#include <sys/ioctl.h>

#include <cstddef>

namespace twin::detail::io_control {

// FIONREAD: how many bytes can be read without blocking.
class bytes_readable {
public:
  bytes_readable() = default;
  explicit bytes_readable(std::size_t value) : value_(static_cast<int>(value)) {}

  int name() const noexcept { return FIONREAD; }
  void set(std::size_t value) noexcept { value_ = static_cast<int>(value); }
  std::size_t get() const noexcept { return static_cast<std::size_t>(value_); }
  void* data() noexcept { return &value_; }
  const void* data() const noexcept { return &value_; }

private:
  int value_ = 0;
};

}  // namespace twin::detail::io_control
