#include "twin/detail/socket_ops.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "twin/detail/syscall.hpp"
#include "twin/error.hpp"

namespace twin::detail::socket_ops {

namespace {

bool would_block(const std::error_code& ec) {
  return ec.value() == EAGAIN || ec.value() == EWOULDBLOCK;
}

// Waits until `s` is ready for `events`. A signal ends the wait with
// EINTR, which the blocking calls report (see sync_recv).
void poll_for(int s, short events, std::error_code& ec) {
  pollfd fds{};
  fds.fd = s;
  fds.events = events;
  check(::poll(&fds, 1, -1), ec);
}

msghdr make_msghdr(const iovec* bufs, std::size_t count) {
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(bufs);
  msg.msg_iovlen = count;
  return msg;
}

}  // namespace

int socket(int family, int type, int protocol, std::error_code& ec) {
  return check(::socket(family, type | SOCK_CLOEXEC, protocol), ec);
}

int socketpair(int family, int type, int protocol, int pair[2], std::error_code& ec) {
  return check(::socketpair(family, type | SOCK_CLOEXEC, protocol, pair), ec);
}

void close(int s, std::error_code& ec) {
  // Not retried on EINTR: on Linux the descriptor is released regardless.
  check(::close(s), ec);
  if (ec.value() == EINTR) ec.clear();
}

namespace {

// Sets or clears O_NONBLOCK on the descriptor; then, in `state`, sets the
// flags `on` (turning it on) or clears the flags `off` (turning it off).
bool set_non_blocking(int s, unsigned char& state, bool value, unsigned char on, unsigned char off,
                      std::error_code& ec) {
  int arg = value ? 1 : 0;
  if (check(::ioctl(s, FIONBIO, &arg), ec) < 0) return false;
  if (value)
    state |= on;
  else
    state &= static_cast<unsigned char>(~off);
  return true;
}

}  // namespace

bool set_user_non_blocking(int s, unsigned char& state, bool value, std::error_code& ec) {
  // Turning it off for the user also turns off twin's own use of it; the
  // reactor will set it again when an async operation needs it.
  return set_non_blocking(s, state, value, user_set_non_blocking, non_blocking, ec);
}

bool set_internal_non_blocking(int s, unsigned char& state, bool value, std::error_code& ec) {
  if (!value && (state & user_set_non_blocking)) {
    ec = error::invalid_argument;
    return false;
  }
  return set_non_blocking(s, state, value, internal_non_blocking, internal_non_blocking, ec);
}

void bind(int s, const sockaddr* addr, std::size_t len, std::error_code& ec) {
  check(::bind(s, addr, static_cast<socklen_t>(len)), ec);
}

void listen(int s, int backlog, std::error_code& ec) { check(::listen(s, backlog), ec); }

void shutdown(int s, int how, std::error_code& ec) { check(::shutdown(s, how), ec); }

void getsockname(int s, sockaddr* addr, std::size_t* len, std::error_code& ec) {
  socklen_t n = static_cast<socklen_t>(*len);
  check(::getsockname(s, addr, &n), ec);
  *len = n;
}

void getpeername(int s, sockaddr* addr, std::size_t* len, std::error_code& ec) {
  socklen_t n = static_cast<socklen_t>(*len);
  check(::getpeername(s, addr, &n), ec);
  *len = n;
}

void setsockopt(int s, int level, int name, const void* value, std::size_t len,
                std::error_code& ec) {
  check(::setsockopt(s, level, name, value, static_cast<socklen_t>(len)), ec);
}

void getsockopt(int s, int level, int name, void* value, std::size_t* len, std::error_code& ec) {
  socklen_t n = static_cast<socklen_t>(*len);
  check(::getsockopt(s, level, name, value, &n), ec);
  *len = n;
#if defined(__linux__)
  // Linux reports twice the buffer size that was set (the kernel doubles it
  // for bookkeeping); Asio halves it so a set/get round trip agrees.
  if (!ec && level == SOL_SOCKET && (name == SO_SNDBUF || name == SO_RCVBUF) && n == sizeof(int))
    *static_cast<int*>(value) /= 2;
#endif
}

bool inet_pton(int family, std::string_view text, void* bytes, std::error_code& ec) {
  // inet_pton wants a terminated string; anything longer than the longest
  // text of an address cannot be one.
  char terminated[INET6_ADDRSTRLEN];
  if (text.size() >= sizeof terminated) {
    ec = error::invalid_argument;
    return false;
  }
  std::memcpy(terminated, text.data(), text.size());
  terminated[text.size()] = '\0';
  if (::inet_pton(family, terminated, bytes) != 1) {
    ec = error::invalid_argument;
    return false;
  }
  return true;
}

void request_unread_counts(int s, unsigned char& state) {
  state |= unread_requested;
  const int on = 1;
  if (::setsockopt(s, SOL_TCP, TCP_INQ, &on, sizeof on) == 0) state |= reports_unread;
}

std::size_t available(int s, std::error_code& ec) {
  int value = 0;
  if (check(::ioctl(s, FIONREAD, &value), ec) < 0) return 0;
  return static_cast<std::size_t>(value);
}

bool sockatmark(int s, std::error_code& ec) {
  // Without this guard ioctl(-1) would say the same (EBADF); Asio checks
  // first, and so does every other call here that takes a descriptor.
  if (s == -1) {
    ec = error::bad_descriptor;
    return false;
  }
  int value = 0;
  if (check(::ioctl(s, SIOCATMARK, &value), ec) < 0) {
    // A descriptor that is no socket has no such ioctl; Asio names that.
    if (ec.value() == ENOTTY) ec = error::not_socket;
    return false;
  }
  return value != 0;
}

void ioctl(int s, unsigned char& state, int request, void* arg, std::error_code& ec) {
  if (s == -1) {
    ec = error::bad_descriptor;
    return;
  }
  if (check(::ioctl(s, static_cast<unsigned long>(request), arg), ec) < 0) return;
  if (static_cast<unsigned long>(request) == FIONBIO) {
    if (*static_cast<int*>(arg))
      state |= user_set_non_blocking;
    else
      state &= static_cast<unsigned char>(~non_blocking);
  }
}

namespace {

// One attempt of each call, EINTR reported like any other error: true when
// the call finished (with `ec` and the result set), false when it would
// block. The reactor's forms below retry EINTR; the blocking forms return it.
bool try_recv(int s, iovec* bufs, std::size_t count, int flags, bool is_stream, std::error_code& ec,
              std::size_t& bytes, std::size_t* unread = nullptr, sockaddr* from = nullptr,
              std::size_t* from_len = nullptr) {
  msghdr msg = make_msghdr(bufs, count);
  if (from) {
    msg.msg_name = from;
    msg.msg_namelen = static_cast<socklen_t>(*from_len);
  }
  // Room for the TCP_INQ control message, when asked for.
  alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(int))];
  if (unread) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    *unread = unread_unknown;
  }
  const ssize_t n = check(::recvmsg(s, &msg, flags), ec);
  if (unread && n >= 0) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_TCP || c->cmsg_type != TCP_CM_INQ) continue;
      int left = 0;
      std::memcpy(&left, CMSG_DATA(c), sizeof left);
      if (left >= 0) *unread = static_cast<std::size_t>(left);
    }
  }
  if (n == 0 && is_stream) {
    // The peer closed its side: end of file.
    ec = error::eof;
    bytes = 0;
    return true;
  }
  if (would_block(ec)) return false;
  bytes = n < 0 ? 0 : static_cast<std::size_t>(n);
  if (from && n >= 0) *from_len = msg.msg_namelen;
  return true;
}

bool try_send(int s, const iovec* bufs, std::size_t count, int flags, std::error_code& ec,
              std::size_t& bytes, const sockaddr* to = nullptr, std::size_t to_len = 0) {
  msghdr msg = make_msghdr(bufs, count);
  msg.msg_name = const_cast<sockaddr*>(to);
  msg.msg_namelen = static_cast<socklen_t>(to_len);
  const ssize_t n = check(::sendmsg(s, &msg, flags | MSG_NOSIGNAL), ec);
  if (would_block(ec)) return false;
  bytes = n < 0 ? 0 : static_cast<std::size_t>(n);
  return true;
}

bool try_accept(int s, sockaddr* addr, std::size_t* len, std::error_code& ec, int& new_socket) {
  socklen_t n = len ? static_cast<socklen_t>(*len) : 0;
  new_socket = check(::accept4(s, addr, len ? &n : nullptr, SOCK_CLOEXEC), ec);
  if (new_socket >= 0) {
    if (len) *len = n;
    return true;
  }
  // A connection that was reset before we accepted it is not the
  // acceptor's error: wait for the next one.
  return !(would_block(ec) || ec.value() == ECONNABORTED || ec.value() == EPROTO);
}

bool interrupted(const std::error_code& ec) { return ec.value() == EINTR; }

}  // namespace

// The reactor calls these when the descriptor was reported ready: a signal
// that lands meanwhile is no reason to fail the user's operation.
// Each attempt is repeated through EINTR; the forms with an address are
// functions of their own so that the stream path passes no more arguments.
template <typename Attempt>
bool through_eintr(std::error_code& ec, Attempt attempt) {
  for (;;)
    if (const bool finished = attempt(); !finished || !interrupted(ec)) return finished;
}

bool non_blocking_recv(int s, iovec* bufs, std::size_t count, int flags, bool is_stream,
                       std::error_code& ec, std::size_t& bytes, std::size_t* unread) {
  return through_eintr(
      ec, [&] { return try_recv(s, bufs, count, flags, is_stream, ec, bytes, unread); });
}

bool non_blocking_recvfrom(int s, iovec* bufs, std::size_t count, int flags, std::error_code& ec,
                           std::size_t& bytes, sockaddr* from, std::size_t* from_len) {
  return through_eintr(ec, [&] {
    return try_recv(s, bufs, count, flags, false, ec, bytes, nullptr, from, from_len);
  });
}

bool non_blocking_send(int s, const iovec* bufs, std::size_t count, int flags, std::error_code& ec,
                       std::size_t& bytes) {
  return through_eintr(ec, [&] { return try_send(s, bufs, count, flags, ec, bytes); });
}

bool non_blocking_sendto(int s, const iovec* bufs, std::size_t count, int flags,
                         std::error_code& ec, std::size_t& bytes, const sockaddr* to,
                         std::size_t to_len) {
  return through_eintr(ec, [&] { return try_send(s, bufs, count, flags, ec, bytes, to, to_len); });
}

bool non_blocking_accept(int s, sockaddr* addr, std::size_t* len, std::error_code& ec,
                         int& new_socket) {
  return through_eintr(ec, [&] { return try_accept(s, addr, len, ec, new_socket); });
}

bool non_blocking_connect(int s, std::error_code& ec) {
  pollfd fds{};
  fds.fd = s;
  fds.events = POLLOUT;
  if (::poll(&fds, 1, 0) == 0) return false;  // still connecting
  int error = 0;
  std::size_t len = sizeof(error);
  getsockopt(s, SOL_SOCKET, SO_ERROR, &error, &len, ec);
  if (!ec && error) ec.assign(error, std::system_category());
  return true;
}

namespace {

// The blocking calls return EINTR to the caller when a signal interrupts
// them — in the system call itself (a blocking descriptor) or in poll() —
// rather than going back to sleep, as Asio's do: a program may signal a
// thread precisely to get it out of a blocking read or accept.
//
// What sync_recv and sync_send share: `attempt(bytes)` until it finishes,
// waiting for `events` between attempts unless the user made the socket
// non-blocking. Nothing to transfer on a stream socket finishes at once.
template <typename Attempt>
std::size_t sync_transfer(int s, unsigned char state, bool all_empty, short events,
                          std::error_code& ec, Attempt attempt) {
  if (all_empty && (state & stream_oriented)) {
    ec.clear();
    return 0;
  }
  for (;;) {
    std::size_t bytes = 0;
    if (attempt(bytes)) return bytes;
    if (state & user_set_non_blocking) return 0;  // ec is would_block
    poll_for(s, events, ec);
    if (ec) return 0;
  }
}

}  // namespace

std::size_t sync_recv(int s, unsigned char state, iovec* bufs, std::size_t count, int flags,
                      bool all_empty, std::error_code& ec, sockaddr* from, std::size_t* from_len) {
  const bool is_stream = (state & stream_oriented) != 0;
  return sync_transfer(s, state, all_empty, POLLIN, ec, [&](std::size_t& bytes) {
    return try_recv(s, bufs, count, flags, is_stream, ec, bytes, nullptr, from, from_len);
  });
}

std::size_t sync_send(int s, unsigned char state, const iovec* bufs, std::size_t count, int flags,
                      bool all_empty, std::error_code& ec, const sockaddr* to, std::size_t to_len) {
  return sync_transfer(s, state, all_empty, POLLOUT, ec, [&](std::size_t& bytes) {
    return try_send(s, bufs, count, flags, ec, bytes, to, to_len);
  });
}

int sync_accept(int s, unsigned char state, sockaddr* addr, std::size_t* len, std::error_code& ec) {
  for (;;) {
    int new_socket = -1;
    if (try_accept(s, addr, len, ec, new_socket)) return new_socket;
    if (state & user_set_non_blocking) return -1;
    poll_for(s, POLLIN, ec);
    if (ec) return -1;
  }
}

void start_connect(int s, const sockaddr* addr, std::size_t len, std::error_code& ec) {
  check(::connect(s, addr, static_cast<socklen_t>(len)), ec);
  if (ec.value() == EINPROGRESS) ec = error::would_block;
}

void sync_wait(int s, unsigned char state, short events, std::error_code& ec) {
  if (s == -1 || events == 0) {
    ec = s == -1 ? error::bad_descriptor : error::invalid_argument;
    return;
  }
  pollfd fds{};
  fds.fd = s;
  fds.events = events;
  // A user's non-blocking descriptor is only looked at, as Asio does.
  const int ready = check(::poll(&fds, 1, (state & user_set_non_blocking) ? 0 : -1), ec);
  if (ready == 0) ec = error::would_block;
}

void sync_connect(int s, const sockaddr* addr, std::size_t len, std::error_code& ec) {
  // A blocking connect, unless the descriptor is non-blocking (then wait
  // for completion with poll, as a blocking connect would).
  // EINTR is reported, not waited out: the connect goes on in the kernel,
  // and a retry gets EALREADY or EISCONN, as with Asio.
  check(::connect(s, addr, static_cast<socklen_t>(len)), ec);
  if (ec.value() != EINPROGRESS && ec.value() != EAGAIN) return;
  while (!non_blocking_connect(s, ec)) {
    poll_for(s, POLLOUT, ec);
    if (ec) return;
  }
}

}  // namespace twin::detail::socket_ops
