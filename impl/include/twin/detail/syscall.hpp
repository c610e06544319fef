// twin::detail syscall helpers — the one place a raw system call's failure
// turns into an error. Two policies, one per kind of caller:
//   - constructors (an epoll instance, an eventfd, a timerfd) cannot work
//     without their descriptor: `throw_on_error` throws, as in Asio;
//   - everything at run time reports through a std::error_code: `check`
//     sets it from errno and returns the call's result unchanged.
// EINTR is not retried here: whether a call may be restarted is the caller's
// decision (the reactor's non-blocking I/O retries it, blocking calls report
// it, close() ignores it), made in socket_ops.cpp and stated there.
#pragma once

#include <cerrno>
#include <system_error>

namespace twin::detail {

// errno as an error_code.
inline std::error_code last_error() noexcept { return {errno, std::system_category()}; }

// Returns `result`, or throws std::system_error(errno, what) when it is -1.
inline int throw_on_error(int result, const char* what) {
  if (result == -1) throw std::system_error(last_error(), what);
  return result;
}

// Returns `result`; sets `ec` to errno when it is negative (failed), clears
// it otherwise.
template <typename Result>
Result check(Result result, std::error_code& ec) noexcept {
  if (result < 0)
    ec = last_error();
  else
    ec.clear();
  return result;
}

// The error of a call that returned `result`: errno when it is negative,
// none otherwise.
template <typename Result>
std::error_code error_of(Result result) noexcept {
  std::error_code ec;
  check(result, ec);
  return ec;
}

}  // namespace twin::detail
