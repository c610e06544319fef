#include "twin/detail/descriptor_ops.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "twin/detail/socket_ops.hpp"
#include "twin/error.hpp"

namespace twin::detail::descriptor_ops {

namespace {

// The result of one readv/writev as Asio reports it: finished with `bytes`,
// finished with an error, or (false) would block. `eof_on_zero` for reads.
bool finished(ssize_t n, bool eof_on_zero, std::error_code& ec, std::size_t& bytes) {
  bytes = 0;
  if (n > 0) {
    ec.clear();
    bytes = static_cast<std::size_t>(n);
    return true;
  }
  if (n == 0) {
    if (eof_on_zero)
      ec = error::eof;
    else
      ec.clear();
    return true;
  }
  ec = std::error_code(errno, std::system_category());
  return errno != EAGAIN && errno != EWOULDBLOCK;
}

// Repeats `attempt` (returning readv's or writev's result) through EINTR.
template <typename Attempt>
bool non_blocking(Attempt attempt, bool eof_on_zero, std::error_code& ec, std::size_t& bytes) {
  for (;;) {
    const ssize_t n = attempt();
    if (n < 0 && errno == EINTR) continue;
    return finished(n, eof_on_zero, ec, bytes);
  }
}

// What sync_read and sync_write share: attempt, and wait with poll() for
// `events` while it would block. An interrupted call or poll is reported,
// as Asio reports it.
template <typename Attempt>
std::size_t sync_transfer(int d, unsigned char state, bool all_empty, short events,
                          bool eof_on_zero, std::error_code& ec, Attempt attempt) {
  if (d == -1) {
    ec = error::bad_descriptor;
    return 0;
  }
  if (all_empty) {
    ec.clear();
    return 0;
  }
  for (;;) {
    std::size_t bytes = 0;
    if (finished(attempt(), eof_on_zero, ec, bytes)) return bytes;
    if (state & socket_ops::user_set_non_blocking) return 0;  // ec is would_block
    // Poll as a blocking descriptor would wait, whatever its mode.
    socket_ops::sync_wait(d, 0, events, ec);
    if (ec) return 0;
  }
}

}  // namespace

bool non_blocking_read(int d, iovec* bufs, std::size_t count, std::error_code& ec,
                       std::size_t& bytes) {
  return non_blocking([&] { return ::readv(d, bufs, static_cast<int>(count)); }, true, ec, bytes);
}

bool non_blocking_write(int d, const iovec* bufs, std::size_t count, std::error_code& ec,
                        std::size_t& bytes) {
  return non_blocking([&] { return ::writev(d, bufs, static_cast<int>(count)); }, false, ec, bytes);
}

std::size_t sync_read(int d, unsigned char state, iovec* bufs, std::size_t count, bool all_empty,
                      std::error_code& ec) {
  return sync_transfer(d, state, all_empty, POLLIN, true, ec,
                       [&] { return ::readv(d, bufs, static_cast<int>(count)); });
}

std::size_t sync_write(int d, unsigned char state, const iovec* bufs, std::size_t count,
                       bool all_empty, std::error_code& ec) {
  return sync_transfer(d, state, all_empty, POLLOUT, false, ec,
                       [&] { return ::writev(d, bufs, static_cast<int>(count)); });
}

}  // namespace twin::detail::descriptor_ops
