// The client half of the UDP compat check: starts a udp_echo_server build
// (the path is in COMPAT_SERVER) and talks to it with plain POSIX sockets —
// no Asio, no twin, so the client is neutral — from several sockets at
// once: each datagram comes back whole to the socket that sent it (an
// empty one too; one longer than the server's 1024-byte buffer cut to
// it), and the server exits 0 once it has echoed them all. One datagram is
// in flight at a time, so loopback never drops one.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "compat/client.hpp"
#include "conformance/watchdog.hpp"

namespace {

constexpr int clients = 3;
constexpr std::size_t sizes[] = {0, 1, 1024, 2000};
constexpr std::size_t server_buffer = 1024;

// Sends `message` as one datagram and returns the datagram that comes back
// ("no reply" if none does within 20 s).
std::string echo(int fd, const std::string& message) {
  if (::send(fd, message.data(), message.size(), 0) != static_cast<ssize_t>(message.size()))
    return "send failed";
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 20000) <= 0) return "no reply";
  char buf[4096];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  if (n < 0) return "recv failed";
  return std::string(buf, static_cast<std::size_t>(n));
}

TEST(Compat, UdpEchoServerEchoesEveryDatagram) {
  const char* server = std::getenv("COMPAT_SERVER");
  ASSERT_NE(server, nullptr) << "set COMPAT_SERVER to a udp_echo_server binary";
  conformance::watchdog dog("Compat.UdpEchoServerEchoesEveryDatagram", std::chrono::seconds(60));

  const int datagrams = clients * static_cast<int>(std::size(sizes));
  compat::server_process process(server, "0 " + std::to_string(datagrams));
  ASSERT_NE(process.port(), 0) << "the server printed no port";

  std::vector<int> fds;
  for (int i = 0; i < clients; ++i) {
    fds.push_back(compat::connect_to(SOCK_DGRAM, process.port()));
    ASSERT_GE(fds.back(), 0) << "socket " << i << " failed";
  }
  // Datagrams empty, shorter than, equal to and longer than the server's
  // buffer, interleaved over the sockets.
  for (std::size_t size : sizes) {
    for (int i = 0; i < clients; ++i) {
      std::string message(size, static_cast<char>('a' + i));
      if (size) message[0] = static_cast<char>('0' + static_cast<int>(size % 10));
      EXPECT_EQ(echo(fds[i], message), message.substr(0, server_buffer))
          << "socket " << i << ", " << size << " B";
    }
  }
  for (int fd : fds) ::close(fd);

  EXPECT_EQ(process.exit_status(), 0) << "the server did not exit cleanly after its datagrams";
}

}  // namespace
