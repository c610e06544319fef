// twin::detail addrinfo — getaddrinfo and getnameinfo, with their errors
// turned into the error codes Asio reports (twin::error's netdb and addrinfo
// errors): the one place the resolver calls the C library.
//
// Both block the calling thread for as long as the lookup takes (DNS
// included); they are safe to call from any thread.
#pragma once

#include <netdb.h>
#include <sys/socket.h>

#include <cstddef>
#include <memory>
#include <string>
#include <system_error>

namespace twin::detail {

struct addrinfo_deleter {
  void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};
// A getaddrinfo list, freed with freeaddrinfo.
using addrinfo_ptr = std::unique_ptr<addrinfo, addrinfo_deleter>;

// What to ask getaddrinfo for: `family` AF_INET, AF_INET6 or AF_UNSPEC; the
// protocol's socket type and number; AI_* `flags`.
struct addrinfo_query {
  std::string host;
  std::string service;
  int family = AF_UNSPEC;
  int socktype = 0;
  int protocol = 0;
  int flags = 0;
};

// The error code Asio reports for getaddrinfo/getnameinfo's `error` (EAI_*):
// EAI_NONAME -> host_not_found, EAI_AGAIN -> host_not_found_try_again,
// EAI_SERVICE -> service_not_found, EAI_SYSTEM -> errno, ...
std::error_code translate_addrinfo_error(int error) noexcept;

// Resolves `query`; an empty host or service is passed as null, as Asio does.
// On failure sets `ec` and returns null.
addrinfo_ptr getaddrinfo(const addrinfo_query& query, std::error_code& ec);

// The host and service names of `addr`; the service as a number when it has
// no name. `socktype` SOCK_DGRAM asks for UDP service names.
void getnameinfo(const sockaddr* addr, std::size_t addrlen, int socktype, std::string& host,
                 std::string& service, std::error_code& ec);

}  // namespace twin::detail
