// reference::unavailable_reason<Backend>() — why this machine cannot run a
// backend (the kernel refuses io_uring, say), or nothing when it can. A
// backend's traits may define `static std::optional<std::string>
// unavailable_reason()`; one that does not is always available. The programs
// generated for a backend (perf/backends/program.cpp.in,
// perf/syscalls/program.cpp.in) ask before they run anything.
#pragma once

#include <optional>
#include <string>

namespace reference {

template <typename Backend>
std::optional<std::string> unavailable_reason() {
  if constexpr (requires { Backend::unavailable_reason(); })
    return Backend::unavailable_reason();
  else
    return std::nullopt;
}

}  // namespace reference
