// An asynchronous TCP echo server written the way Asio's own examples are
// (async_tcp_echo_server.cpp style). It is compiled twice from this one
// source: against Boost.Asio, and against twin with COMPAT_TWIN defined —
// only net.hpp's include, namespace and error_code type differ. The same
// client test (echo_client_test.cpp) drives both builds.
//
// Usage: echo_server PORT SESSIONS — listens on PORT (0: any; the port is
// printed as "listening on N"), serves SESSIONS connections, then exits 0
// once they are all closed. Bad arguments: one line on stderr, exit status 2.
#include <memory>
#include <utility>

#include "net.hpp"
#include "server_main.hpp"

using net::ip::tcp;

class session : public std::enable_shared_from_this<session> {
public:
  explicit session(tcp::socket socket) : socket_(std::move(socket)) {}

  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    socket_.async_read_some(net::buffer(data_, max_length),
                            [this, self](error_code ec, std::size_t length) {
                              if (!ec) do_write(length);
                            });
  }

  void do_write(std::size_t length) {
    auto self(shared_from_this());
    net::async_write(socket_, net::buffer(data_, length),
                     [this, self](error_code ec, std::size_t /*length*/) {
                       if (!ec) do_read();
                     });
  }

  tcp::socket socket_;
  enum { max_length = 1024 };
  char data_[max_length];
};

class server {
public:
  server(net::io_context& io_context, unsigned short port, long sessions)
      : acceptor_(io_context, tcp::endpoint(tcp::v4(), port)), remaining_(sessions) {
    do_accept();
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
  void do_accept() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (!ec) std::make_shared<session>(std::move(socket))->start();
      if (--remaining_ > 0) do_accept();
    });
  }

  tcp::acceptor acceptor_;
  long remaining_;
};

int main(int argc, char* argv[]) {
  return server_main<net::io_context, server>(argc, argv, "echo_server", "SESSIONS");
}
