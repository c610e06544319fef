// perf::pingpong_loop and perf::raw_pingpong_loop — TCP ping-pong over
// loopback connections, the fixture behind tcp_pingpong, tcp_pingpong_pairs
// and the system-call driver (perf/syscalls/), so the exchange is written
// once for each kind of loop.
//
// A fixture owns one event loop and `pairs` connections (client end and
// server end, both in that loop), made when it is constructed. play(n)
// then runs n round trips on every pair at once, on the calling thread,
// and returns when all are done: a client writes a `bytes`-byte message
// stamped with its sequence number and reads the echo; the server end
// reads the whole message and writes it back. The client checks every echo
// byte for byte. With `samples` (one pair), play stores round trip i's
// latency — from the client starting its write to its read completing — at
// samples[i]. What happened is in tally(): a benchmark compares it with
// what it asked for.
//
// pingpong_loop uses a backend's io_context, sockets and composed
// async_read / async_write; raw_pingpong_loop is the physical floor of a
// readiness loop: one edge-triggered epoll instance, read(2) and write(2).
// Neither is thread-safe: construct and play on one thread. A round trip
// that never completes ends the program after 60 s (perf::hung).
#pragma once

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "perf/loop_failure.hpp"
#include "perf/loopback.hpp"
#include "perf/result.hpp"
#include "perf/threads.hpp"
#include "perf/watchdog.hpp"

namespace perf {

// What the round trips of a fixture did, over every play() so far.
struct pingpong_tally {
  std::uint64_t round_trips = 0;  // echoes the clients received intact
  std::uint64_t echoed = 0;       // messages the server ends wrote back
  std::uint64_t corrupt = 0;      // echoes that differed from the message sent
  std::string error;              // the first failed operation, if any
};

namespace detail {

// The client's side of one pair, shared by both fixtures (and by
// echo_loop's clients, tcp_echo.hpp): the message it sends (stamped with a
// sequence number), the echo it reads back, and the round trips it has
// left to do.
struct pingpong_client {
  explicit pingpong_client(std::size_t bytes) : sent(bytes), received(bytes) {}

  // Stamps the next message (as many bytes of the sequence number as fit).
  void stamp() {
    ++sequence;
    std::memcpy(sent.data(), &sequence, std::min(sent.size(), sizeof sequence));
    started = std::chrono::steady_clock::now();
  }

  // Checks the echo in `received` and records its latency; true when the
  // client has more round trips to do.
  bool arrived(pingpong_tally& tally) {
    const auto took = std::chrono::steady_clock::now() - started;
    if (std::memcmp(sent.data(), received.data(), sent.size()) != 0) ++tally.corrupt;
    ++tally.round_trips;
    if (samples) *samples++ = took / std::chrono::nanoseconds(1);
    return --left > 0;
  }

  // For pingpong_loop and the echo fixture (a backend's socket): starts a
  // round trip, the write of the stamped message and the read of its echo
  // at once; an echo that leaves round trips to do starts the next.
  // `failed(ec, what)` records a failure and says whether to stop.
  template <typename Backend, typename Socket, typename Failed>
  void round_trip(Socket& socket, pingpong_tally& tally, Failed failed) {
    stamp();
    async_read(socket, Backend::buffer(received),
               [this, &socket, &tally, failed](const auto& ec, std::size_t) {
                 if (!failed(ec, "client read") && arrived(tally))
                   round_trip<Backend>(socket, tally, failed);
               });
    async_write(socket, Backend::buffer(sent),
                [failed](const auto& ec, std::size_t) { failed(ec, "client write"); });
  }

  std::vector<unsigned char> sent;
  std::vector<unsigned char> received;
  std::uint64_t sequence = 0;
  std::uint64_t left = 0;
  std::int64_t* samples = nullptr;
  std::chrono::steady_clock::time_point started;
};

}  // namespace detail

template <typename Backend>
class pingpong_loop {
public:
  pingpong_loop(std::size_t pairs, std::size_t bytes) : dog_("a TCP round trip") {
    for (std::size_t i = 0; i < pairs; ++i)
      pairs_.push_back(std::make_unique<pair>(listener_, ctx_, bytes));
  }

  // Runs `per_pair` round trips on every pair; see the header comment.
  void play(std::uint64_t per_pair, std::int64_t* samples = nullptr) {
    for (auto& p : pairs_) {
      p->client.left = per_pair;
      p->client.samples = samples;
      p->server_left = per_pair;
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
    pair(listener<Backend>& on, typename Backend::io_context& ctx, std::size_t bytes)
        : conn(connect_pair(on, ctx, ctx)), client(bytes), echo(bytes) {}
    connection<Backend> conn;
    detail::pingpong_client client;
    std::vector<unsigned char> echo;  // the server end's buffer
    std::uint64_t server_left = 0;
  };

  // Records the first failure and stops the loop: the pair's other end
  // would otherwise wait for its peer forever.
  template <typename Error>
  bool failed(const Error& ec, const char* what) {
    return stop_on_failure(ctx_, tally_.error, ec, what);
  }

  // The client: write the message and read the echo, both started at once
  // (the read completes only after the server has answered).
  void send(pair& p) {
    p.client.template round_trip<Backend>(
        p.conn.client, tally_,
        [this](const auto& ec, const char* what) { return failed(ec, what); });
  }

  // The server end: read a whole message, write it back, repeat.
  void serve(pair& p) {
    async_read(p.conn.server, Backend::buffer(p.echo), [this, &p](const auto& ec, std::size_t) {
      if (failed(ec, "server read")) return;
      async_write(p.conn.server, Backend::buffer(p.echo), [this, &p](const auto& ec2, std::size_t) {
        if (failed(ec2, "server write")) return;
        ++tally_.echoed;
        if (--p.server_left > 0) serve(p);
      });
    });
  }

  typename Backend::io_context ctx_;
  listener<Backend> listener_{ctx_};
  std::vector<std::unique_ptr<pair>> pairs_;  // stable addresses: handlers hold them
  pingpong_tally tally_;
  watchdog dog_;
};

// How the raw loop's pairs are made (`Link`): one TCP connection each,
// through a listener of its own.
struct raw_tcp_link {
  static constexpr const char* what = "a raw TCP round trip";
  raw_connection connect() { return raw_connect_pair(listener); }
  raw_listener listener;
};

// The raw loop over `Link`'s pairs (raw_tcp_link; raw_udp_link in
// udp_pingpong.hpp): both ends non-blocking, each read until a whole
// message is in, so stream and datagram sockets alike work.
template <typename Link>
class basic_raw_pingpong_loop {
public:
  basic_raw_pingpong_loop(std::size_t pairs, std::size_t bytes)
      : epoll_(check(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")) {
    for (std::size_t i = 0; i < pairs; ++i) {
      pairs_.push_back(std::make_unique<pair>(link_.connect(), bytes));
      pair& p = *pairs_.back();
      add(p.conn.client.get(), &p.client_end);
      add(p.conn.server.get(), &p.server_end);
    }
  }

  // Runs `per_pair` round trips on every pair; see the header comment.
  void play(std::uint64_t per_pair, std::int64_t* samples = nullptr) {
    std::size_t busy = 0;  // ends with messages still to receive
    for (auto& p : pairs_) {
      p->client.left = per_pair;
      p->client.samples = samples;
      p->server_left = per_pair;
      if (per_pair == 0) continue;
      busy += 2;
      p->client.stamp();
      if (!send(p->conn.client.get(), p->client.sent, "client write")) return;
    }
    epoll_event events[64];
    while (busy > 0) {
      const int n = ::epoll_wait(epoll_.get(), events, 64, hang_ms);
      if (n == 0) hung(Link::what);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail("epoll_wait", errno);
      for (int i = 0; i < n; ++i)
        if (!ready(*static_cast<end*>(events[i].data.ptr), busy)) return;
    }
  }

  const pingpong_tally& tally() const { return tally_; }

private:
  static constexpr int hang_ms = static_cast<int>(hang_limit.count()) * 1000;

  struct pair;
  // One end of a pair, what epoll hands back: its pair, and which end.
  struct end {
    pair* owner;
    bool is_client;
    std::size_t have = 0;  // bytes of the current message read so far
  };
  struct pair {
    pair(raw_connection c, std::size_t bytes) : conn(std::move(c)), client(bytes), echo(bytes) {}
    raw_connection conn;
    detail::pingpong_client client;
    std::vector<unsigned char> echo;
    std::uint64_t server_left = 0;
    end client_end{this, true};
    end server_end{this, false};
  };

  void add(int fd, end* e) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLET;
    ev.data.ptr = e;
    check(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev), "epoll_ctl");
  }

  void fail(const char* what, int error) {
    if (tally_.error.empty())
      tally_.error = std::string(what) + ": " + std::system_category().message(error);
  }

  // Writes a whole message: at these sizes (at most one message in flight
  // per direction) the socket buffer always has room, so a short write is
  // a failure, not a wait.
  bool send(int fd, const std::vector<unsigned char>& message, const char* what) {
    const ssize_t n = ::write(fd, message.data(), message.size());
    if (n == static_cast<ssize_t>(message.size())) return true;
    fail(what, n < 0 ? errno : EAGAIN);
    return false;
  }

  // Reads what `e` has (edge-triggered: until EAGAIN or a whole message —
  // the peer sends nothing more before this end answers), then answers a
  // whole message. False on a failure.
  bool ready(end& e, std::size_t& busy) {
    pair& p = *e.owner;
    std::vector<unsigned char>& into = e.is_client ? p.client.received : p.echo;
    const int fd = e.is_client ? p.conn.client.get() : p.conn.server.get();
    while (e.have < into.size()) {
      const ssize_t n = ::read(fd, into.data() + e.have, into.size() - e.have);
      if (n > 0) {
        e.have += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EAGAIN) {
        return true;
      } else if (n < 0 && errno != EINTR) {
        fail(e.is_client ? "client read" : "server read", errno);
        return false;
      } else if (n == 0) {
        fail(e.is_client ? "client read" : "server read", ECONNRESET);
        return false;
      }
    }
    e.have = 0;
    if (!e.is_client) {
      if (!send(fd, p.echo, "server write")) return false;
      ++tally_.echoed;
      if (--p.server_left == 0) --busy;
      return true;
    }
    if (!p.client.arrived(tally_)) {
      --busy;
      return true;
    }
    p.client.stamp();
    return send(fd, p.client.sent, "client write");
  }

  fd epoll_;
  Link link_;
  std::vector<std::unique_ptr<pair>> pairs_;
  pingpong_tally tally_;
};

using raw_pingpong_loop = basic_raw_pingpong_loop<raw_tcp_link>;

}  // namespace perf
