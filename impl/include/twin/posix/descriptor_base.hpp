// twin::posix::descriptor_base — what every POSIX descriptor object shares:
// the kinds of wait (Asio's posix::descriptor_base).
#pragma once

namespace twin::posix {

class descriptor_base {
public:
  enum wait_type { wait_read, wait_write, wait_error };

protected:
  ~descriptor_base() = default;
};

}  // namespace twin::posix
