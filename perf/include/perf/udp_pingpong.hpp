// perf::udp_pingpong_loop and perf::raw_udp_pingpong_loop — UDP ping-pong
// over 127.0.0.1, the fixture behind udp_pingpong: the same exchange as the
// TCP one (tcp_pingpong.hpp), one datagram each way per round trip.
//
// A fixture owns one event loop and `pairs` pairs of UDP sockets, each
// bound to a port of its own and connected to the other, made when it is
// constructed. play(n) runs n round trips on every pair: the client sends a
// `bytes`-byte datagram stamped with its sequence number and receives the
// echo; the server end receives it and sends it back. The client checks
// every echo byte for byte (a short or lost datagram shows as a corrupt
// echo or as a hang). Loopback does not drop datagrams at one in flight
// per pair. With `samples` (one pair), play stores each round trip's
// latency at samples[i]. udp_pingpong_loop uses a backend's io_context and
// udp sockets (async_send / async_receive); raw_udp_pingpong_loop is the
// floor: edge-triggered epoll, read(2) and write(2). Neither is
// thread-safe: construct and play on one thread. A round trip that never
// completes ends the program after 60 s (perf::hung).
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "perf/loop_failure.hpp"
#include "perf/loopback.hpp"
#include "perf/tcp_pingpong.hpp"
#include "perf/watchdog.hpp"

namespace perf {

template <typename Backend>
class udp_pingpong_loop {
public:
  using udp = typename Backend::udp;

  udp_pingpong_loop(std::size_t pairs, std::size_t bytes) : dog_("a UDP round trip") {
    for (std::size_t i = 0; i < pairs; ++i) pairs_.push_back(std::make_unique<pair>(ctx_, bytes));
  }

  // Runs `per_pair` round trips on every pair; see the header comment.
  void play(std::uint64_t per_pair, std::int64_t* samples = nullptr) {
    for (auto& p : pairs_) {
      p->client.left = per_pair;
      p->client.samples = samples;
      p->server_left = per_pair;
      if (per_pair == 0) continue;
      serve(*p);
      send(*p);
    }
    ctx_.run();
    ctx_.restart();
    dog_.beat();
  }

  const pingpong_tally& tally() const { return tally_; }

private:
  struct pair {
    pair(typename Backend::io_context& ctx, std::size_t bytes)
        : client_socket(ctx, local()), server_socket(ctx, local()), client(bytes), echo(bytes) {
      client_socket.connect(server_socket.local_endpoint());
      server_socket.connect(client_socket.local_endpoint());
    }
    static typename udp::endpoint local() {
      return typename udp::endpoint(Backend::make_address("127.0.0.1"), 0);
    }
    typename udp::socket client_socket;
    typename udp::socket server_socket;
    detail::pingpong_client client;
    std::vector<unsigned char> echo;  // the server end's buffer
    std::uint64_t server_left = 0;
  };

  template <typename Error>
  bool failed(const Error& ec, const char* what) {
    return stop_on_failure(ctx_, tally_.error, ec, what);
  }

  // The client: send the datagram and receive the echo, both started at
  // once (the receive completes only after the server has answered).
  void send(pair& p) {
    p.client.stamp();
    p.client_socket.async_receive(Backend::buffer(p.client.received),
                                  [this, &p](const auto& ec, std::size_t) {
                                    if (!failed(ec, "client receive") && p.client.arrived(tally_))
                                      send(p);
                                  });
    p.client_socket.async_send(Backend::buffer(p.client.sent),
                               [this](const auto& ec, std::size_t) { failed(ec, "client send"); });
  }

  // The server end: receive a datagram, send it back, repeat.
  void serve(pair& p) {
    p.server_socket.async_receive(
        Backend::buffer(p.echo), [this, &p](const auto& ec, std::size_t n) {
          if (failed(ec, "server receive")) return;
          p.server_socket.async_send(Backend::buffer(p.echo.data(), n),
                                     [this, &p](const auto& ec2, std::size_t) {
                                       if (failed(ec2, "server send")) return;
                                       ++tally_.echoed;
                                       if (--p.server_left > 0) serve(p);
                                     });
        });
  }

  typename Backend::io_context ctx_;
  std::vector<std::unique_ptr<pair>> pairs_;  // stable addresses: handlers hold them
  pingpong_tally tally_;
  watchdog dog_;
};

// Two UDP descriptors on 127.0.0.1, each connected to the other,
// non-blocking.
inline raw_connection raw_udp_pair() {
  raw_connection c{fd(check(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket")),
                   fd(check(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket"))};
  sockaddr_in address[2]{};
  const fd* ends[2] = {&c.client, &c.server};
  for (int i = 0; i < 2; ++i) {
    address[i].sin_family = AF_INET;
    address[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check(::bind(ends[i]->get(), reinterpret_cast<sockaddr*>(&address[i]), sizeof address[i]),
          "bind");
    socklen_t size = sizeof address[i];
    check(::getsockname(ends[i]->get(), reinterpret_cast<sockaddr*>(&address[i]), &size),
          "getsockname");
  }
  for (int i = 0; i < 2; ++i) {
    const int fd_i = ends[i]->get();
    check(::connect(fd_i, reinterpret_cast<sockaddr*>(&address[1 - i]), sizeof address[1 - i]),
          "connect");
    check(::fcntl(fd_i, F_SETFL, ::fcntl(fd_i, F_GETFL) | O_NONBLOCK), "fcntl");
  }
  return c;
}

struct raw_udp_link {
  static constexpr const char* what = "a raw UDP round trip";
  raw_connection connect() { return raw_udp_pair(); }
};

using raw_udp_pingpong_loop = basic_raw_pingpong_loop<raw_udp_link>;

}  // namespace perf
