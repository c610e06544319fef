// The client half of the strand-server compat check: starts a
// strand_server build (the path is in COMPAT_SERVER) on three threads and
// talks to it with plain POSIX sockets — no Asio, no twin — eight TCP
// connections at once, each echoing two messages, and one UDP datagram;
// then sends it SIGTERM: the server must close everything, report the eight
// sessions it accepted and exit 0 (its signal_set, local socket pair and
// stream descriptor at work).
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "compat/client.hpp"
#include "conformance/watchdog.hpp"

namespace {

constexpr int connections = 8;

// Sends `message` and reads back as many bytes (20 s at most for each
// part); what came back.
std::string echo(int fd, const std::string& message) {
  if (::send(fd, message.data(), message.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(message.size()))
    return "send failed";
  std::string back;
  while (back.size() < message.size()) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) return back + " (no more within 20 s)";
    char buf[1024];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return back + " (closed)";
    back.append(buf, static_cast<std::size_t>(n));
  }
  return back;
}

TEST(Compat, StrandServerEchoesThenStopsOnSigterm) {
  const char* server = std::getenv("COMPAT_SERVER");
  ASSERT_NE(server, nullptr) << "set COMPAT_SERVER to a strand_server binary";
  conformance::watchdog dog("Compat.StrandServerEchoesThenStopsOnSigterm",
                            std::chrono::seconds(60));

  compat::server_process process(server, "0 3");
  ASSERT_NE(process.port(), 0) << "the server printed no port";
  const std::string pid_line = process.next_line();
  ASSERT_EQ(pid_line.rfind("pid ", 0), 0u) << "the server printed no pid: " << pid_line;
  const pid_t pid = static_cast<pid_t>(std::stol(pid_line.substr(4)));

  std::vector<int> fds;
  for (int i = 0; i < connections; ++i) {
    fds.push_back(compat::connect_to(SOCK_STREAM, process.port()));
    ASSERT_GE(fds.back(), 0) << "connection " << i << " failed";
  }
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < connections; ++i) {
      const std::string message = "message " + std::to_string(round) + " on " + std::to_string(i);
      EXPECT_EQ(echo(fds[i], message), message);
    }
  const int udp = compat::connect_to(SOCK_DGRAM, process.port());
  ASSERT_GE(udp, 0);
  EXPECT_EQ(echo(udp, "one datagram"), "one datagram");

  // The connections stay open: the stop must close them itself.
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  EXPECT_EQ(process.next_line(), "sessions: " + std::to_string(connections));
  EXPECT_EQ(process.exit_status(), 0) << "the server did not exit cleanly after SIGTERM";
  for (int fd : fds) {
    char byte;
    EXPECT_EQ(::recv(fd, &byte, 1, 0), 0) << "the server left a connection open";
    ::close(fd);
  }
  ::close(udp);
}

}  // namespace
