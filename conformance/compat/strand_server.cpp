// A TCP and UDP echo server written the way current Asio programs are: each
// connection accepted onto a strand of its own, the io_context run by
// several threads, and a clean stop on SIGINT or SIGTERM through a
// signal_set. Compiled against Boost.Asio and against twin (COMPAT_TWIN)
// from this one source (net.hpp); strand_client_test.cpp drives both.
//
// It also uses, as such a program would: socket_base::wait_read before each
// read (async_wait), a system_timer per session (an idle limit), sessions
// that keep their executor as an any_io_executor, a service of its own
// (the sessions' count, found with use_service), a local::stream_protocol
// pair (the stop is handed from the signal handler to the reporter through
// it) and a posix::stream_descriptor (the report is written to standard
// output through one).
//
// Usage: strand_server PORT THREADS — listens on PORT (TCP, and UDP on the
// same number; 0: any), prints "listening on N" and "pid P", serves until
// SIGINT or SIGTERM, then prints "sessions: S" (the connections it
// accepted) and exits 0. Bad arguments: one line on stderr, exit status 2.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "net.hpp"
#include "server_main.hpp"

using net::ip::tcp;
using net::ip::udp;

// A service of the program's own: how many sessions the context has seen.
class session_count : public net::execution_context::service {
public:
  static net::execution_context::id id;
  explicit session_count(net::execution_context& ctx) : net::execution_context::service(ctx) {}
  std::atomic<int> started{0};

private:
  void shutdown() override {}
};
net::execution_context::id session_count::id;

class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket socket)
      : socket_(std::move(socket)), executor_(socket_.get_executor()), idle_(executor_) {}

  void start() {
    auto self(shared_from_this());
    idle_.expires_after(std::chrono::minutes(10));
    idle_.async_wait([self](error_code ec) {
      if (!ec) self->socket_.close();
    });
    wait();
  }

  // From any thread: closes the session inside its strand.
  void stop() {
    auto self(shared_from_this());
    net::post(executor_, [self] {
      error_code ignored;
      self->socket_.close(ignored);
      self->idle_.cancel();
    });
  }

private:
  void wait() {
    auto self(shared_from_this());
    socket_.async_wait(tcp::socket::wait_read, [self](error_code ec) {
      if (!ec) self->read();
    });
  }

  void read() {
    auto self(shared_from_this());
    socket_.async_read_some(net::buffer(data_), [self](error_code ec, std::size_t n) {
      if (ec) {
        self->idle_.cancel();
        return;
      }
      net::async_write(self->socket_, net::buffer(self->data_, n),
                       [self](error_code ec2, std::size_t) {
                         if (!ec2) self->wait();
                       });
    });
  }

  tcp::socket socket_;
  net::any_io_executor executor_;
  net::system_timer idle_;
  char data_[1024];
};

class server {
public:
  server(net::io_context& io, unsigned short port)
      : io_(io),
        acceptor_(io, tcp::endpoint(tcp::v4(), port)),
        udp_(io, udp::endpoint(udp::v4(), acceptor_.local_endpoint().port())),
        signals_(io, SIGINT, SIGTERM),
        stop_in_(io),
        stop_out_(io),
        out_(io, ::dup(STDOUT_FILENO)) {
    net::local::connect_pair(stop_in_, stop_out_);
    signals_.async_wait([this](error_code ec, int) {
      if (!ec) net::async_write(stop_in_, net::buffer("stop", 4), [](error_code, std::size_t) {});
    });
    net::async_read(stop_out_, net::buffer(stop_word_), [this](error_code ec, std::size_t) {
      if (!ec) stop();
    });
    accept();
    receive();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](error_code ec, tcp::socket socket) {
      if (ec) return;
      auto s = std::make_shared<session>(std::move(socket));
      {
        std::lock_guard<std::mutex> lock(mutex_);
        sessions_.push_back(s);
      }
      ++net::use_service<session_count>(io_).started;
      s->start();
      accept();
    });
  }

  void receive() {
    udp_.async_receive_from(net::buffer(datagram_), sender_, [this](error_code ec, std::size_t n) {
      if (ec) return;
      udp_.async_send_to(net::buffer(datagram_, n), sender_, [this](error_code ec2, std::size_t) {
        if (!ec2) receive();
      });
    });
  }

  // Everything closes, so run() returns in every thread once the report is
  // written.
  void stop() {
    acceptor_.close();
    udp_.close();
    stop_out_.close();
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& s : sessions_) s->stop();
    report_ =
        "sessions: " + std::to_string(net::use_service<session_count>(io_).started.load()) + "\n";
    net::async_write(out_, net::buffer(report_), [this](error_code, std::size_t) { out_.close(); });
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  udp::socket udp_;
  net::signal_set signals_;
  net::local::stream_protocol::socket stop_in_, stop_out_;
  net::posix::stream_descriptor out_;
  char stop_word_[4];
  char datagram_[1024];
  udp::endpoint sender_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<session>> sessions_;
  std::string report_;
};

int main(int argc, char* argv[]) {
  const auto port = argc == 3 ? number(argv[1], 0, 65535) : std::nullopt;
  const auto threads = argc == 3 ? number(argv[2], 1, 64) : std::nullopt;
  if (!port || !threads) {
    std::fprintf(stderr,
                 "usage: strand_server PORT THREADS (PORT 0-65535, 0: any; THREADS 1-64)\n");
    return 2;
  }
  try {
    net::io_context io;
    server s(io, static_cast<unsigned short>(*port));
    std::printf("listening on %u\npid %ld\n", static_cast<unsigned>(s.port()),
                static_cast<long>(::getpid()));
    std::fflush(stdout);
    std::vector<std::thread> pool;
    for (long i = 1; i < *threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
  } catch (std::exception& e) {
    std::fprintf(stderr, "strand_server: %s\n", e.what());
    return 1;
  }
  return 0;
}
