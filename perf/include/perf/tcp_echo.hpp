// perf::echo_loop — an echo server with many client connections, the
// fixture behind tcp_echo.
//
// The server has an io_context of its own, run by a thread the fixture
// starts; each of its sessions reads what arrives (async_read_some, up to
// 1 KiB) and writes it back (async_write), forever. The clients share a
// second io_context, run by the thread calling play(n): every client sends
// a `bytes`-byte stamped message and reads the whole echo, n times, all
// clients at once (detail::pingpong_client checks each echo byte for byte).
// Both sides use the same backend; the connections are made when the
// fixture is constructed. tally() holds what the clients saw;
// server_bytes() what the server read (counted before it echoes, so once
// play() returned it has read every byte the clients sent). Construct,
// play and destroy on one thread. A lost echo ends the program after 60 s
// (perf::hung).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "perf/loop_failure.hpp"
#include "perf/loopback.hpp"
#include "perf/tcp_pingpong.hpp"
#include "perf/watchdog.hpp"

namespace perf {

template <typename Backend>
class echo_loop {
public:
  echo_loop(std::size_t clients, std::size_t bytes) : dog_("a TCP echo") {
    for (std::size_t i = 0; i < clients; ++i) {
      sessions_.push_back(std::make_unique<session>(listener_, client_ctx_, server_ctx_, bytes));
      serve(*sessions_.back());
    }
    server_thread_ = std::thread([this] { server_ctx_.run(); });
  }

  ~echo_loop() {
    server_guard_.reset();
    server_ctx_.stop();
    server_thread_.join();
  }

  echo_loop(const echo_loop&) = delete;
  echo_loop& operator=(const echo_loop&) = delete;

  // Every client does `per_client` round trips; returns when all are done.
  void play(std::uint64_t per_client) {
    for (auto& s : sessions_) {
      s->client.left = per_client;
      send(*s);
    }
    client_ctx_.run();
    client_ctx_.restart();
    dog_.beat();
  }

  // What the clients saw. The server's failures land here too once play()
  // has returned.
  pingpong_tally tally() const {
    pingpong_tally t = tally_;
    std::lock_guard lock(server_error_mutex_);
    if (t.error.empty()) t.error = server_error_;
    return t;
  }
  std::uint64_t server_bytes() const { return server_bytes_.load(); }

private:
  struct session {
    session(listener<Backend>& on, typename Backend::io_context& client_ctx,
            typename Backend::io_context& server_ctx, std::size_t bytes)
        : conn(connect_pair(on, client_ctx, server_ctx)), client(bytes) {}
    connection<Backend> conn;
    detail::pingpong_client client;
    std::array<unsigned char, 1024> echo{};  // the server end's buffer
  };

  // Client side, on the play() thread.
  void send(session& s) {
    s.client.template round_trip<Backend>(
        s.conn.client, tally_,
        [this](const auto& ec, const char* what) { return client_failed(ec, what); });
  }

  template <typename Error>
  bool client_failed(const Error& ec, const char* what) {
    return stop_on_failure(client_ctx_, tally_.error, ec, what);
  }

  // Server side, on the server thread.
  void serve(session& s) {
    s.conn.server.async_read_some(Backend::buffer(s.echo),
                                  [this, &s](const auto& ec, std::size_t n) {
                                    if (server_failed(ec, "server read")) return;
                                    server_bytes_ += n;
                                    async_write(s.conn.server, Backend::buffer(s.echo.data(), n),
                                                [this, &s](const auto& ec2, std::size_t) {
                                                  if (!server_failed(ec2, "server write")) serve(s);
                                                });
                                  });
  }

  // A server failure (other than the shutdown's cancellation) stops the
  // clients' loop: the client concerned would wait for its echo forever.
  template <typename Error>
  bool server_failed(const Error& ec, const char* what) {
    if (!ec) return false;
    if (server_ctx_.stopped()) return true;
    {
      std::lock_guard lock(server_error_mutex_);
      if (server_error_.empty()) server_error_ = std::string(what) + ": " + ec.message();
    }
    client_ctx_.stop();
    return true;
  }

  typename Backend::io_context server_ctx_;
  typename Backend::io_context client_ctx_;
  listener<Backend> listener_{server_ctx_};
  std::vector<std::unique_ptr<session>> sessions_;  // stable: handlers hold them
  pingpong_tally tally_;
  std::atomic<std::uint64_t> server_bytes_{0};
  mutable std::mutex server_error_mutex_;
  std::string server_error_;
  decltype(make_work_guard(server_ctx_)) server_guard_ = make_work_guard(server_ctx_);
  watchdog dog_;
  std::thread server_thread_;
};

}  // namespace perf
