// twin::posix::descriptor_base — what every POSIX descriptor object shares:
// the kinds of wait (Asio's posix::descriptor_base).
#pragma once

#include "twin/detail/io_control.hpp"

namespace twin::posix {

class descriptor_base {
public:
  enum wait_type { wait_read, wait_write, wait_error };

  // The io_control() command that asks how many bytes can be read.
  using bytes_readable = detail::io_control::bytes_readable;

protected:
  ~descriptor_base() = default;
};

}  // namespace twin::posix
