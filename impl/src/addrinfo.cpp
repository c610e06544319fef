#include "twin/detail/addrinfo.hpp"

#include <cerrno>

#include "twin/detail/syscall.hpp"
#include "twin/error.hpp"

namespace twin::detail {

std::error_code translate_addrinfo_error(int error) noexcept {
  switch (error) {
    case 0: return {};
    case EAI_AGAIN: return error::host_not_found_try_again;
    case EAI_BADFLAGS: return error::invalid_argument;
    case EAI_FAIL: return error::no_recovery;
    case EAI_FAMILY: return error::address_family_not_supported;
    case EAI_MEMORY: return error::no_memory;
    // glibc's "no address of that family" and "no address at all" are, to
    // the caller, the same as "no such host".
    case EAI_NONAME:
    case EAI_ADDRFAMILY:
    case EAI_NODATA: return error::host_not_found;
    case EAI_SERVICE: return error::service_not_found;
    case EAI_SOCKTYPE: return error::socket_type_not_supported;
    // EAI_SYSTEM and anything unknown: the cause is in errno.
    default: return last_error();
  }
}

addrinfo_ptr getaddrinfo(const addrinfo_query& query, std::error_code& ec) {
  addrinfo hints{};
  hints.ai_flags = query.flags;
  hints.ai_family = query.family;
  hints.ai_socktype = query.socktype;
  hints.ai_protocol = query.protocol;
  const char* host = query.host.empty() ? nullptr : query.host.c_str();
  const char* service = query.service.empty() ? nullptr : query.service.c_str();
  addrinfo* list = nullptr;
  errno = 0;
  ec = translate_addrinfo_error(::getaddrinfo(host, service, &hints, &list));
  addrinfo_ptr result(list);
  if (ec) result.reset();
  return result;
}

void getnameinfo(const sockaddr* addr, std::size_t addrlen, int socktype, std::string& host,
                 std::string& service, std::error_code& ec) {
  char host_buf[NI_MAXHOST];
  char service_buf[NI_MAXSERV];
  int flags = socktype == SOCK_DGRAM ? NI_DGRAM : 0;
  auto lookup = [&](int extra_flags) {
    errno = 0;
    return translate_addrinfo_error(::getnameinfo(addr, static_cast<socklen_t>(addrlen), host_buf,
                                                  sizeof host_buf, service_buf, sizeof service_buf,
                                                  flags | extra_flags));
  };
  // A port with no service name fails the first call; Asio then asks again
  // for the number.
  ec = lookup(0);
  if (ec) ec = lookup(NI_NUMERICSERV);
  if (ec) return;
  host = host_buf;
  service = service_buf;
}

}  // namespace twin::detail
