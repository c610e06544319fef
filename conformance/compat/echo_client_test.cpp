// The client half of the compat check: starts an echo_server build (the
// path is in COMPAT_SERVER), connects with plain POSIX sockets — no Asio, no
// twin, so the client is neutral — and checks that several concurrent
// connections get back exactly what they sent, then that the server exits 0
// once they are closed.
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

constexpr int sessions = 3;

// Writes `message` and reads back as many bytes, in whatever pieces arrive.
std::string echo(int fd, const std::string& message) {
  std::size_t sent = 0;
  std::string received;
  while (received.size() < message.size()) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < message.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 20000) <= 0) break;
    if ((p.revents & POLLOUT) && sent < message.size()) {
      const ssize_t n = ::send(fd, message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    if (p.revents & (POLLIN | POLLHUP)) {
      char buf[4096];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      received.append(buf, static_cast<std::size_t>(n));
    }
  }
  return received;
}

TEST(Compat, EchoServerEchoesEveryConnection) {
  const char* server = std::getenv("COMPAT_SERVER");
  ASSERT_NE(server, nullptr) << "set COMPAT_SERVER to an echo_server binary";
  conformance::watchdog dog("Compat.EchoServerEchoesEveryConnection", std::chrono::seconds(60));

  compat::server_process process(server, "0 " + std::to_string(sessions));
  ASSERT_NE(process.port(), 0) << "the server printed no port";

  std::vector<int> fds;
  for (int i = 0; i < sessions; ++i) {
    fds.push_back(compat::connect_to(SOCK_STREAM, process.port()));
    ASSERT_GE(fds.back(), 0) << "connect " << i << " failed";
  }
  // Messages shorter than, equal to and far longer than the server's
  // 1024-byte buffer, interleaved over the connections.
  for (std::size_t size : {1u, 1024u, 100000u}) {
    for (int i = 0; i < sessions; ++i) {
      std::string message(size, static_cast<char>('a' + i));
      message[0] = static_cast<char>('0' + static_cast<int>(size % 10));
      EXPECT_EQ(echo(fds[i], message), message) << "connection " << i << ", " << size << " B";
    }
  }
  for (int fd : fds) ::close(fd);

  EXPECT_EQ(process.exit_status(), 0)
      << "the server did not exit cleanly after its sessions closed";
}

}  // namespace
