// Conformance category Udp: datagram sockets — ip::udp on loopback (IPv4
// and IPv6) and local::datagram_protocol. A datagram arrives whole, in the
// order it was sent, with its sender's endpoint; one longer than the
// buffer is cut to it with no error and the rest is lost; a zero-length
// datagram is one; message_peek leaves it queued; a connected socket hears
// only its peer and learns of a closed port (connection_refused) on its
// next receive; the errors of sending with no destination, of a closed
// socket and of a port in use; cancel() and close() abort pending
// receives; async_wait reports readiness without taking a datagram. The
// scenarios are in the headers beside this one; suites/udp.hpp registers
// them.
//
// Every port is chosen by the kernel (bind port 0) and every socket path
// is unique to the process and the scenario. Loopback delivery may lag the
// send that returned (softirq work deferred under load), so no scenario
// reads a socket without waiting for it: blocking receives, receives
// pending in the reactor, or wait(wait_read) first. Every trace is then
// fixed, so twin's must equal Asio's event for event.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>

#include "conformance/backend_test.hpp"
#include "conformance/trace.hpp"

namespace conformance::udp {

template <typename Backend>
class Udp : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Udp);

template <typename B>
using socket = typename B::udp::socket;
template <typename B>
using endpoint = typename B::udp::endpoint;

// 127.0.0.1:port.
template <typename B>
endpoint<B> local(unsigned short port) {
  return endpoint<B>(B::make_address("127.0.0.1"), port);
}

// A UDP socket bound to 127.0.0.1 at a port the kernel chose.
template <typename B>
socket<B> bound(typename B::io_context& ctx) {
  return socket<B>(ctx, local<B>(0));
}

// Two sockets, for a scenario to unpack: `auto [receiver, sender] = ...`.
template <typename Socket>
struct two_sockets {
  Socket first;
  Socket second;
};

// Two UDP sockets bound on 127.0.0.1 (bound() each).
template <typename B>
two_sockets<socket<B>> bound_pair(typename B::io_context& ctx) {
  return {bound<B>(ctx), bound<B>(ctx)};
}

// A port on 127.0.0.1 that no socket receives on, for as long as this
// object lives: a datagram sent there is answered with ICMP port
// unreachable. The holder is bound to the port (so no other process gets
// it) and connected to a port of its own, so the kernel matches it only to
// datagrams from there: from anywhere else, the port has no socket.
template <typename B>
class unused_port {
public:
  explicit unused_port(typename B::io_context& ctx) : holder_(bound<B>(ctx)) {
    holder_.connect(holder_.local_endpoint());
  }
  unsigned short port() const { return holder_.local_endpoint().port(); }

private:
  socket<B> holder_;
};

// A UDP socket bound on 127.0.0.1 and connected to 127.0.0.1:port.
template <typename B>
socket<B> connected_to(typename B::io_context& ctx, unsigned short port) {
  socket<B> s = bound<B>(ctx);
  s.connect(local<B>(port));
  return s;
}

// A receive handler, (ec, bytes), recording `label: "<text received>"` with
// the error and the byte count; `buffer` must outlive the operation.
template <std::size_t N>
auto recording_text(recorder& rec, std::string label, const char (&buffer)[N]) {
  return [&rec, &buffer, label = std::move(label)](const auto& ec, std::size_t bytes) {
    rec.completion(label + ": \"" + text(buffer, bytes) + "\"", ec, bytes);
  };
}

// Starts an async_receive on `s` into `first` and, from its handler, one
// into `second`: two datagrams taken one after the other, each recorded
// by recording_text(rec, label, <its buffer>).
template <typename B, typename Socket, std::size_t N, std::size_t M>
void async_receive_two(recorder& rec, Socket& s, const std::string& label, char (&first)[N],
                       char (&second)[M]) {
  s.async_receive(B::buffer(first),
                  [&rec, &s, label, &first, &second](const auto& ec, std::size_t bytes) {
                    recording_text(rec, label, first)(ec, bytes);
                    s.async_receive(B::buffer(second), recording_text(rec, label, second));
                  });
}

// Receives one datagram on `s` (blocking, as every synchronous receive of
// this category: see above) into `buffer` and records `label: "<text>"`
// with the error and the byte count.
template <typename B, typename Socket, std::size_t N>
void receive_text(recorder& rec, Socket& s, const std::string& label, char (&buffer)[N]) {
  typename B::error_code ec;
  const std::size_t n = s.receive(B::buffer(buffer), 0, ec);
  rec.completion(label + ": \"" + text(buffer, n) + "\"", ec, n);
}

// Calls receive and then receive_from on `s`, their error_code forms, and
// records each ("receive", "receive_from") with its error and byte count:
// for a socket whose receives fail at once.
template <typename B>
void record_failing_receives(recorder& rec, socket<B>& s) {
  char buffer[16];
  endpoint<B> from;
  typename B::error_code ec;
  std::size_t n = s.receive(B::buffer(buffer), 0, ec);
  rec.completion("receive", ec, n);
  n = s.receive_from(B::buffer(buffer), from, 0, ec);
  rec.completion("receive_from", ec, n);
}

// A filesystem path for a local datagram socket, unique to this process and
// `tag`, removed when made and when destroyed (a bound socket leaves its
// file behind).
class socket_path {
public:
  explicit socket_path(const std::string& tag)
      : path_("/tmp/asio_twin_udp_" + std::to_string(::getpid()) + "_" + tag) {
    std::remove(path_.c_str());
  }
  ~socket_path() { std::remove(path_.c_str()); }
  socket_path(const socket_path&) = delete;
  socket_path& operator=(const socket_path&) = delete;

  const std::string& str() const { return path_; }

private:
  std::string path_;
};

}  // namespace conformance::udp
