// compat command lines — what the echo servers (echo_server.cpp,
// udp_echo_server.cpp) share in reading their arguments. Plain C++: the
// servers include it whichever library they are compiled against.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

// A decimal number in [min, max], digits only; nothing when `text` is not one.
inline std::optional<long> number(const char* text, long min, long max) {
  if (!*text || std::strspn(text, "0123456789") != std::strlen(text)) return std::nullopt;
  errno = 0;
  const long n = std::strtol(text, nullptr, 10);
  if (errno == ERANGE || n < min || n > max) return std::nullopt;
  return n;
}
