// perf::ensure_descriptors — makes room for a scenario that opens many
// descriptors (tcp_echo's 1000 connections are 2000 sockets in one
// process), before its setup.
//
// Raises RLIMIT_NOFILE's soft limit to the hard limit when the soft one is
// too low: an unprivileged process may do that, and many shells start with
// a soft limit of 1024. Call on the benchmark thread, outside the timed loop.
#pragma once

#include <sys/resource.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace perf {

// Nothing when `needed` descriptors can be open at once (after raising the
// soft limit if it had to), else why not, with what to do about it.
inline std::optional<std::string> ensure_descriptors(std::uint64_t needed) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    return std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur >= needed) return std::nullopt;
  if (limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed)
    return "needs " + std::to_string(needed) +
           " open descriptors but RLIMIT_NOFILE's hard limit is " + std::to_string(limit.rlim_max) +
           " (raise it: ulimit -Hn, or limits.conf)";
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
    return "needs " + std::to_string(needed) +
           " open descriptors; raising RLIMIT_NOFILE's soft limit to its hard limit failed: " +
           std::strerror(errno);
  return std::nullopt;
}

}  // namespace perf
