// twin::detail syscall helpers — the one place raw system calls turn into
// errors. Constructors use `throw_on_error` (a failure there is fatal to the
// object, as in Asio); EINTR is retried only where a call may be restarted.
#pragma once

#include <cerrno>
#include <system_error>

namespace twin::detail {

// Returns `result`, or throws std::system_error(errno, what) when it is -1.
inline int throw_on_error(int result, const char* what) {
  if (result == -1) throw std::system_error(errno, std::system_category(), what);
  return result;
}

// Calls `call` again while it fails with EINTR; returns its last result.
template <typename Call>
auto retry_on_eintr(Call call) {
  auto result = call();
  while (result == -1 && errno == EINTR) result = call();
  return result;
}

}  // namespace twin::detail
