// perf::churn_loop — connection churn on loopback, the fixture behind
// tcp_accept_churn: connect, accept, close, again, one connection at a
// time, in one io_context run by the calling thread.
//
// play(n) makes n connections: for each, the listener's async_accept and a
// client socket's async_connect (which opens the socket) start together;
// once both completed, the server end closes first, then the client end,
// and the next connection starts. The server end closing first puts the
// TIME_WAIT state on the server's side of each connection, so the clients'
// ephemeral ports are free again at once and a long run cannot exhaust
// them. tally() counts what completed. Not thread-safe: construct and play
// on one thread. A connection that never completes ends the program after
// 60 s (perf::hung).
#pragma once

#include <cstdint>
#include <string>

#include "perf/loop_failure.hpp"
#include "perf/loopback.hpp"
#include "perf/watchdog.hpp"

namespace perf {

struct churn_tally {
  std::uint64_t accepted = 0;
  std::uint64_t connected = 0;
  std::string error;  // the first failed operation, if any
};

template <typename Backend>
class churn_loop {
public:
  churn_loop() : dog_("a TCP connect and accept") {}

  // Makes and closes `connections` connections; see the header comment.
  void play(std::uint64_t connections) {
    left_ = connections;
    if (left_ > 0) start();
    ctx_.run();
    ctx_.restart();
    dog_.beat();
  }

  const churn_tally& tally() const { return tally_; }

private:
  void start() {
    halves_ = 2;
    listener_.acceptor().async_accept(server_, [this](const auto& ec) {
      if (!failed(ec, "accept")) {
        ++tally_.accepted;
        half_done();
      }
    });
    client_.async_connect(endpoint_, [this](const auto& ec) {
      if (!failed(ec, "connect")) {
        ++tally_.connected;
        half_done();
      }
    });
  }

  void half_done() {
    if (--halves_ > 0) return;
    server_.close();
    client_.close();
    if (--left_ > 0) start();
  }

  template <typename Error>
  bool failed(const Error& ec, const char* what) {
    return stop_on_failure(ctx_, tally_.error, ec, what);
  }

  typename Backend::io_context ctx_;
  listener<Backend> listener_{ctx_};
  typename Backend::tcp::endpoint endpoint_ = listener_.endpoint();
  typename Backend::tcp::socket client_{ctx_};
  typename Backend::tcp::socket server_{ctx_};
  std::uint64_t left_ = 0;
  int halves_ = 0;  // of the current connection: accept and connect
  churn_tally tally_;
  watchdog dog_;
};

}  // namespace perf
