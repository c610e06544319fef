// An asynchronous UDP echo server written the way Asio's own examples are
// (async_udp_echo_server.cpp style). Like echo_server.cpp it is compiled
// twice from this one source: against Boost.Asio, and against twin with
// COMPAT_TWIN defined — only net.hpp's include, namespace and error_code
// type differ. The same client test (udp_echo_client_test.cpp) drives
// both builds.
//
// Usage: udp_echo_server PORT DATAGRAMS — binds 127.0.0.1:PORT (0: any;
// the port is printed as "listening on N"), sends each datagram it
// receives back to its sender (cut to its 1024-byte buffer, an empty one
// too), and exits 0 once it has echoed DATAGRAMS of them. Bad arguments:
// one line on stderr, exit status 2.
#include <cstddef>

#include "net.hpp"
#include "server_main.hpp"

using net::ip::udp;

class server {
public:
  server(net::io_context& io_context, unsigned short port, long datagrams)
      : socket_(io_context, udp::endpoint(net::ip::make_address("127.0.0.1"), port)),
        remaining_(datagrams) {
    do_receive();
  }

  unsigned short port() const { return socket_.local_endpoint().port(); }

private:
  void do_receive() {
    socket_.async_receive_from(net::buffer(data_, max_length), sender_endpoint_,
                               [this](error_code ec, std::size_t bytes_recvd) {
                                 if (!ec)
                                   do_send(bytes_recvd);
                                 else
                                   do_receive();
                               });
  }

  void do_send(std::size_t length) {
    socket_.async_send_to(net::buffer(data_, length), sender_endpoint_,
                          [this](error_code /*ec*/, std::size_t /*bytes_sent*/) {
                            if (--remaining_ > 0) do_receive();
                          });
  }

  udp::socket socket_;
  udp::endpoint sender_endpoint_;
  enum { max_length = 1024 };
  char data_[max_length];
  long remaining_;
};

int main(int argc, char* argv[]) {
  return server_main<net::io_context, server>(argc, argv, "udp_echo_server", "DATAGRAMS");
}
