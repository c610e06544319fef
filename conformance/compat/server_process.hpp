// compat::server_process — an echo server build run by a client test: the
// binary started with its arguments, the port it prints ("listening on N")
// read back, and how it exited. One per test, on the test's thread.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace compat {

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
