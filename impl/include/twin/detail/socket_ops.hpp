// twin::detail::socket_ops — every socket system call twin makes (and
// inet_pton, which parses address text), wrapped once: failures become a
// std::error_code (never errno, never an exception), and SIGPIPE is never
// raised (MSG_NOSIGNAL). The non_blocking_* calls are one attempt for the
// reactor (true = finished, false = would block), EINTR retried; the sync_*
// calls block, by polling, unless the user asked for a non-blocking socket,
// and return EINTR when a signal interrupts them (as Asio's do).
// Safe to call from any thread.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <string_view>
#include <system_error>

namespace twin::detail::socket_ops {

// Bits of a socket's state byte.
enum : unsigned char {
  user_set_non_blocking = 1,  // the user asked for non_blocking(true)
  internal_non_blocking = 2,  // twin set O_NONBLOCK for the reactor
  non_blocking = user_set_non_blocking | internal_non_blocking,
  stream_oriented = 16,   // a zero-byte read means end of file
  unread_requested = 32,  // request_unread_counts was tried
  reports_unread = 64,    // reads report the bytes left (TCP_INQ)
  possible_dup = 128,     // assigned by the user: a dup may share its open file
};

int socket(int family, int type, int protocol, std::error_code& ec);
// Two connected sockets (close-on-exec) in `pair`; -1 on failure.
int socketpair(int family, int type, int protocol, int pair[2], std::error_code& ec);
void close(int s, std::error_code& ec);

// O_NONBLOCK on or off, recording why in `state`.
bool set_user_non_blocking(int s, unsigned char& state, bool value, std::error_code& ec);
bool set_internal_non_blocking(int s, unsigned char& state, bool value, std::error_code& ec);

void bind(int s, const sockaddr* addr, std::size_t len, std::error_code& ec);
void listen(int s, int backlog, std::error_code& ec);
void shutdown(int s, int how, std::error_code& ec);
void getsockname(int s, sockaddr* addr, std::size_t* len, std::error_code& ec);
void getpeername(int s, sockaddr* addr, std::size_t* len, std::error_code& ec);
void setsockopt(int s, int level, int name, const void* value, std::size_t len,
                std::error_code& ec);
void getsockopt(int s, int level, int name, void* value, std::size_t* len, std::error_code& ec);
std::size_t available(int s, std::error_code& ec);
// Whether the next byte to read is the out-of-band mark (SIOCATMARK);
// bad_descriptor for -1, not_socket for a descriptor that is no socket.
bool sockatmark(int s, std::error_code& ec);
// ioctl(s, request, arg); bad_descriptor for -1. FIONBIO records the mode
// as the user's choice in `state`, as non_blocking() would.
void ioctl(int s, unsigned char& state, int request, void* arg, std::error_code& ec);

// Parses `text` as an address of `family` (AF_INET: dotted decimal, AF_INET6)
// into `bytes` (4 or 16 of them); on a bad string sets invalid_argument and
// returns false.
bool inet_pton(int family, std::string_view text, void* bytes, std::error_code& ec);

// Asks the kernel to report, with every read from stream socket `s`, how
// many bytes it left unread (TCP_INQ; Linux 4.18). Tried once per socket:
// sets unread_requested, and reports_unread when the kernel agreed (TCP
// only; other sockets just go without). Never fails the caller.
void request_unread_counts(int s, unsigned char& state);

// A read's `unread` when the kernel did not say.
inline constexpr std::size_t unread_unknown = static_cast<std::size_t>(-1);

// One attempt each; `bytes` / `new_socket` are set when they return true.
// With `unread`, the read also asks for the bytes it left in the socket
// (see request_unread_counts), stored there (unread_unknown if not told).
bool non_blocking_recv(int s, iovec* bufs, std::size_t count, int flags, bool is_stream,
                       std::error_code& ec, std::size_t& bytes, std::size_t* unread = nullptr);
bool non_blocking_send(int s, const iovec* bufs, std::size_t count, int flags, std::error_code& ec,
                       std::size_t& bytes);
// A datagram, its sender stored in `from` (room: *from_len, which becomes
// the address's length); one addressed to `to` (send_to).
bool non_blocking_recvfrom(int s, iovec* bufs, std::size_t count, int flags, std::error_code& ec,
                           std::size_t& bytes, sockaddr* from, std::size_t* from_len);
bool non_blocking_sendto(int s, const iovec* bufs, std::size_t count, int flags,
                         std::error_code& ec, std::size_t& bytes, const sockaddr* to,
                         std::size_t to_len);
bool non_blocking_accept(int s, sockaddr* addr, std::size_t* len, std::error_code& ec,
                         int& new_socket);
// Whether a connect started earlier has finished; its result in `ec`.
bool non_blocking_connect(int s, std::error_code& ec);

// Blocking forms (poll() while the descriptor would block).
std::size_t sync_recv(int s, unsigned char state, iovec* bufs, std::size_t count, int flags,
                      bool all_empty, std::error_code& ec, sockaddr* from = nullptr,
                      std::size_t* from_len = nullptr);
std::size_t sync_send(int s, unsigned char state, const iovec* bufs, std::size_t count, int flags,
                      bool all_empty, std::error_code& ec, const sockaddr* to = nullptr,
                      std::size_t to_len = 0);
int sync_accept(int s, unsigned char state, sockaddr* addr, std::size_t* len, std::error_code& ec);
void sync_connect(int s, const sockaddr* addr, std::size_t len, std::error_code& ec);
// Blocks until poll() reports one of `events` (POLLIN, POLLOUT, POLLPRI) or
// an error condition; would_block at once if the user made `s` non-blocking
// and it is not ready; bad_descriptor for -1. EINTR is reported.
void sync_wait(int s, unsigned char state, short events, std::error_code& ec);

// Starts a connect; in_progress (EINPROGRESS) is reported as would_block.
void start_connect(int s, const sockaddr* addr, std::size_t len, std::error_code& ec);

}  // namespace twin::detail::socket_ops
