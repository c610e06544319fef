// compat server main — what the echo servers (echo_server.cpp,
// udp_echo_server.cpp) share outside their Asio-style classes: reading
// PORT and a count from the command line, printing the port, running the
// io_context. Plain C++ over the server's types: the servers include it
// whichever library they are compiled against.
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>

// A decimal number in [min, max], digits only; nothing when `text` is not one.
inline std::optional<long> number(const char* text, long min, long max) {
  if (!*text || std::strspn(text, "0123456789") != std::strlen(text)) return std::nullopt;
  errno = 0;
  const long n = std::strtol(text, nullptr, 10);
  if (errno == ERANGE || n < min || n > max) return std::nullopt;
  return n;
}

// The main of server program `name` taking `name PORT COUNT` (`count`
// says what COUNT counts, in capitals): a Server(io_context, port, count)
// is made, its port() printed as "listening on N", and the io_context run
// until it runs out of work: exit status 0. Bad arguments: one usage line
// on stderr, exit status 2; an exception: its message, exit status 1.
template <typename IoContext, typename Server>
int server_main(int argc, char* argv[], const char* name, const char* count) {
  const auto port = argc == 3 ? number(argv[1], 0, 65535) : std::nullopt;
  const auto n = argc == 3 ? number(argv[2], 1, 1000000) : std::nullopt;
  if (!port || !n) {
    std::fprintf(stderr, "usage: %s PORT %s (PORT 0-65535, 0: any; %s 1 or more)\n", name, count,
                 count);
    return 2;
  }
  try {
    IoContext io_context;
    Server s(io_context, static_cast<unsigned short>(*port), *n);
    std::printf("listening on %u\n", static_cast<unsigned>(s.port()));
    std::fflush(stdout);
    io_context.run();
  } catch (std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
  return 0;
}
