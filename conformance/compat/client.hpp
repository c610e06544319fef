// compat client — what the compat client tests (echo_client_test.cpp,
// udp_echo_client_test.cpp) share: the server build they run, and plain
// POSIX sockets connected to it. Used from the test's thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace compat {

// A socket of `type` (SOCK_STREAM, SOCK_DGRAM) connected to
// 127.0.0.1:port; -1 when that fails.
inline int connect_to(int type, unsigned short port) {
  const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  return fd;
}

// An echo server build run by a client test: the binary started with its
// arguments, the port it prints ("listening on N") read back, and how it
// exited.
class server_process {
public:
  // Starts `binary arguments`; port() is 0 when it did not start or printed
  // no port.
  server_process(const std::string& binary, const std::string& arguments)
      : out_(::popen((binary + " " + arguments).c_str(), "r")) {
    if (out_ && std::fscanf(out_, "listening on %u", &port_) != 1) port_ = 0;
  }
  ~server_process() {
    if (out_) ::pclose(out_);
  }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  unsigned short port() const { return static_cast<unsigned short>(port_); }

  // The server's next line of output that is not empty, without its
  // newline; "" once the output has ended.
  std::string next_line() {
    char line[256];
    while (out_ && std::fgets(line, sizeof line, out_)) {
      std::string text(line);
      while (!text.empty() && text.back() == '\n') text.pop_back();
      if (!text.empty()) return text;
    }
    return "";
  }

  // Waits for the server to exit: its exit status, or -1 when it did not
  // exit normally (killed by a signal, or already waited for).
  int exit_status() {
    if (!out_) return -1;
    const int status = ::pclose(out_);
    out_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

private:
  FILE* out_;
  unsigned port_ = 0;
};

}  // namespace compat
