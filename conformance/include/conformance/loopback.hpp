// conformance::loopback — TCP on 127.0.0.1 for the scenarios that use
// sockets, written once over the backend traits: a listening acceptor on a
// port the kernel chose, a connected socket pair, which end is whose peer, a
// port where nothing listens, small socket buffers, filling a socket's send
// buffer, and a byte pattern that shows lost or reordered data.
//
// Ports are never fixed: every acceptor binds port 0 and callers read
// local_endpoint().port(). The helpers use blocking calls only, so they work
// before any io_context runs.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace conformance::loopback {

template <typename B>
using socket = typename B::tcp::socket;
template <typename B>
using acceptor = typename B::tcp::acceptor;
template <typename B>
using endpoint = typename B::tcp::endpoint;

// 127.0.0.1:port.
template <typename B>
endpoint<B> local(unsigned short port) {
  return endpoint<B>(B::make_address("127.0.0.1"), port);
}

// An acceptor open, bound (with reuse_address) and listening on 127.0.0.1 at
// a port the kernel chose.
template <typename B>
acceptor<B> listening(typename B::io_context& ctx) {
  return acceptor<B>(ctx, local<B>(0));
}

// The two ends of one TCP connection.
template <typename B>
struct socket_pair {
  socket<B> client;  // the end that connected
  socket<B> server;  // the end the acceptor accepted
};

// A connected pair on loopback, made with blocking connect and accept (the
// kernel completes the handshake into the listen backlog before accept). A
// connection that is not the client's (a stray from another process) is
// dropped rather than returned. Both ends are on `ex` (a strand, say), or
// on ctx's executor.
template <typename B, typename Executor>
socket_pair<B> connected_pair(typename B::io_context& ctx, const Executor& ex) {
  acceptor<B> listener = listening<B>(ctx);
  socket_pair<B> pair{socket<B>(ex), socket<B>(ex)};
  pair.client.connect(listener.local_endpoint());
  for (int i = 0; i < 8; ++i) {
    listener.accept(pair.server);
    typename B::error_code ec;
    if (pair.server.remote_endpoint(ec) == pair.client.local_endpoint() && !ec) break;
    pair.server.close();
  }
  return pair;
}
template <typename B>
socket_pair<B> connected_pair(typename B::io_context& ctx) {
  return connected_pair<B>(ctx, ctx.get_executor());
}

// True when a's peer is b: a.remote_endpoint() == b.local_endpoint().
template <typename B>
bool is_peer(const socket<B>& a, const socket<B>& b) {
  typename B::error_code remote_ec, local_ec;
  const auto remote = a.remote_endpoint(remote_ec);
  const auto local = b.local_endpoint(local_ec);
  return !remote_ec && !local_ec && remote == local;
}

// Asks for `bytes` of send and of receive buffer on `s` (a socket, open, or
// an acceptor, whose accepted sockets inherit them). Linux doubles the
// request for its bookkeeping and never goes below its minimum (a few KiB).
template <typename B, typename Socket>
void set_buffer_sizes(Socket& s, int bytes) {
  s.set_option(typename B::socket_base::send_buffer_size(bytes));
  s.set_option(typename B::socket_base::receive_buffer_size(bytes));
}

// A port on 127.0.0.1 where nothing listens, for as long as this object
// lives: a socket holds it, bound but not listening, so a connect to it is
// refused. Holding it (rather than closing an acceptor and hoping) matters
// when other test processes run: the kernel would hand a freed port to their
// next acceptor. The holder does not set reuse_address, so nobody else can
// bind the port meanwhile.
template <typename B>
class unused_port {
public:
  explicit unused_port(typename B::io_context& ctx) : holder_(ctx) {
    holder_.open(B::tcp::v4());
    holder_.bind(local<B>(0));
  }
  unsigned short port() const { return holder_.local_endpoint().port(); }

private:
  socket<B> holder_;
};

// Writes to `s` until the kernel reports would_block: its send buffer (and
// the peer's receive buffer) are then full, and a further write waits for
// the peer to read — almost always. An acknowledgement still on its way (a
// delayed ACK, softirq work deferred under load or a sanitizer) can free
// some space moments later. With a `quiet` period, after each would_block
// it waits up to that long for the socket to turn writable and fills again
// if it did, until a wait passes with no space back (at most 20 times);
// scenarios that need a write to stay pending pass one and still check that
// the write transferred nothing. Leaves `s` in blocking mode; returns the
// bytes written (bounded at 1 GiB, which loopback never reaches).
template <typename B>
std::size_t fill_send_buffer(socket<B>& s,
                             std::chrono::milliseconds quiet = std::chrono::milliseconds(0)) {
  const std::string chunk(64 * 1024, 'f');
  std::size_t total = 0;
  s.non_blocking(true);
  for (int settle = 0; settle < 20; ++settle) {
    std::size_t wrote = 0;
    for (;;) {
      typename B::error_code ec;
      wrote += s.write_some(B::buffer(chunk), ec);
      if (ec || total + wrote >= (std::size_t{1} << 30)) break;
    }
    total += wrote;
    if (!quiet.count()) break;
    if (settle > 0 && wrote == 0) break;  // full, and stayed full for `quiet`
    // Wait for space to come back (poll's measure: a third of the buffer
    // free); the next round's attempt tells whether any came back at all.
    pollfd ready{};
    ready.fd = s.native_handle();
    ready.events = POLLOUT;
    ::poll(&ready, 1, static_cast<int>(quiet.count()));
  }
  s.non_blocking(false);
  return total;
}

// Byte i of a long stream: the top byte of a multiplicative hash of i, so
// no two nearby pieces look alike and a lost, duplicated or reordered chunk
// changes what the reader sees.
inline char pattern_byte(std::size_t i) {
  return static_cast<char>((std::uint64_t{i} * 0x9E3779B97F4A7C15u) >> 56);
}

// The first n bytes of the pattern.
inline std::string pattern(std::size_t n) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = pattern_byte(i);
  return out;
}

}  // namespace conformance::loopback
