// perf::loopback — TCP connections over 127.0.0.1 for the TCP scenarios,
// made before the timed loop: through a backend's own socket types
// (listener, connect_pair), or as bare descriptors for the raw baselines
// (raw_listener, raw_connect_pair, fd).
//
// Every connection has TCP_NODELAY on both ends: the scenarios measure the
// event loop, not Nagle's algorithm holding back a small write until the
// previous one is acknowledged. Setup runs synchronously on the calling
// thread (connect, then accept: the kernel completes the handshake without
// accept(), so this never waits on the loop), and throws on failure.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <initializer_list>
#include <system_error>
#include <utility>

namespace perf {

// ---- through a backend ----------------------------------------------------

// A listening socket on 127.0.0.1 at a port the kernel picks.
template <typename Backend>
class listener {
public:
  using tcp = typename Backend::tcp;

  explicit listener(typename Backend::io_context& ctx)
      : acceptor_(ctx, typename tcp::endpoint(Backend::make_address("127.0.0.1"), 0)) {}

  typename tcp::acceptor& acceptor() { return acceptor_; }
  typename tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

private:
  typename tcp::acceptor acceptor_;
};

// Sets TCP_NODELAY on a backend's socket.
template <typename Backend>
void no_delay(typename Backend::tcp::socket& s) {
  s.set_option(typename Backend::tcp::no_delay(true));
}

// Both ends of one connection: `client` on `client_ctx`, `server` (accepted
// from `on`) on `server_ctx` — the same context or two.
template <typename Backend>
struct connection {
  typename Backend::tcp::socket client;
  typename Backend::tcp::socket server;
};

template <typename Backend>
connection<Backend> connect_pair(listener<Backend>& on, typename Backend::io_context& client_ctx,
                                 typename Backend::io_context& server_ctx) {
  connection<Backend> c{typename Backend::tcp::socket(client_ctx),
                        typename Backend::tcp::socket(server_ctx)};
  c.client.connect(on.endpoint());
  on.acceptor().accept(c.server);
  no_delay<Backend>(c.client);
  no_delay<Backend>(c.server);
  return c;
}

// ---- bare descriptors (the raw baselines) ---------------------------------

// An owned descriptor, closed on destruction.
class fd {
public:
  fd() = default;
  explicit fd(int value) : value_(value) {}
  fd(fd&& other) noexcept : value_(std::exchange(other.value_, -1)) {}
  fd& operator=(fd&& other) noexcept {
    if (this != &other) {
      reset();
      value_ = std::exchange(other.value_, -1);
    }
    return *this;
  }
  ~fd() { reset(); }

  int get() const noexcept { return value_; }
  // Gives the descriptor up: the caller closes it.
  int release() noexcept { return std::exchange(value_, -1); }
  void reset() noexcept {
    if (value_ >= 0) ::close(std::exchange(value_, -1));
  }

private:
  int value_ = -1;
};

// Throws std::system_error for a failed call `what` (errno set).
inline int check(int rc, const char* what) {
  if (rc < 0) throw std::system_error(errno, std::system_category(), what);
  return rc;
}

// A listening descriptor on 127.0.0.1 at a port the kernel picks.
class raw_listener {
public:
  raw_listener() : fd_(check(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket")) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
    check(::listen(fd_.get(), SOMAXCONN), "listen");
    socklen_t size = sizeof address_;
    check(::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&address_), &size), "getsockname");
  }

  int get() const noexcept { return fd_.get(); }
  const sockaddr_in& address() const noexcept { return address_; }

private:
  fd fd_;
  sockaddr_in address_{};
};

struct raw_connection {
  fd client;
  fd server;
};

// One connection to `on`, both ends non-blocking with TCP_NODELAY.
inline raw_connection raw_connect_pair(const raw_listener& on) {
  raw_connection c{fd(check(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket")), fd()};
  const sockaddr_in& addr = on.address();
  check(::connect(c.client.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr),
        "connect");
  c.server = fd(check(::accept4(on.get(), nullptr, nullptr, SOCK_CLOEXEC), "accept4"));
  const int one = 1;
  for (const fd* end : {&c.client, &c.server}) {
    check(::setsockopt(end->get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), "setsockopt");
    check(::fcntl(end->get(), F_SETFL, ::fcntl(end->get(), F_GETFL) | O_NONBLOCK), "fcntl");
  }
  return c;
}

}  // namespace perf
