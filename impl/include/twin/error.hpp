// twin::error — the error values twin's operations report, with Asio's
// names, as std::error_code.
//
// basic_errors are errno values in std::system_category(), so they compare
// equal to the matching std::errc conditions (operation_aborted ==
// std::errc::operation_canceled). misc_errors (eof, not_found, ...) and the
// resolver's netdb/addrinfo errors have categories of their own, named as
// Asio names them ("asio.misc", "asio.netdb", "asio.addrinfo").
#pragma once

#include <netdb.h>

#include <cerrno>
#include <string>
#include <system_error>
#include <type_traits>

namespace twin::error {

enum basic_errors {
  access_denied = EACCES,
  address_family_not_supported = EAFNOSUPPORT,
  address_in_use = EADDRINUSE,
  already_connected = EISCONN,
  already_started = EALREADY,
  broken_pipe = EPIPE,
  connection_aborted = ECONNABORTED,
  connection_refused = ECONNREFUSED,
  connection_reset = ECONNRESET,
  bad_descriptor = EBADF,
  fault = EFAULT,
  host_unreachable = EHOSTUNREACH,
  in_progress = EINPROGRESS,
  interrupted = EINTR,
  invalid_argument = EINVAL,
  message_size = EMSGSIZE,
  name_too_long = ENAMETOOLONG,
  network_down = ENETDOWN,
  network_reset = ENETRESET,
  network_unreachable = ENETUNREACH,
  no_descriptors = EMFILE,
  no_buffer_space = ENOBUFS,
  no_memory = ENOMEM,
  no_permission = EPERM,
  no_protocol_option = ENOPROTOOPT,
  no_such_device = ENODEV,
  not_connected = ENOTCONN,
  not_socket = ENOTSOCK,
  operation_aborted = ECANCELED,
  operation_not_supported = EOPNOTSUPP,
  shut_down = ESHUTDOWN,
  timed_out = ETIMEDOUT,
  try_again = EAGAIN,
  would_block = EWOULDBLOCK,
};

enum netdb_errors {
  host_not_found = HOST_NOT_FOUND,
  host_not_found_try_again = TRY_AGAIN,
  no_data = NO_DATA,
  no_recovery = NO_RECOVERY,
};

enum addrinfo_errors {
  service_not_found = EAI_SERVICE,
  socket_type_not_supported = EAI_SOCKTYPE,
};

enum misc_errors {
  already_open = 1,  // the object is already open
  eof,               // the peer closed the connection
  not_found,         // read_until: the delimiter was not found
  fd_set_failure,    // (Asio's select reactor only; kept for the name)
};

const std::error_category& get_misc_category() noexcept;
const std::error_category& get_netdb_category() noexcept;
const std::error_category& get_addrinfo_category() noexcept;

inline std::error_code make_error_code(basic_errors e) noexcept {
  return {static_cast<int>(e), std::system_category()};
}
inline std::error_code make_error_code(netdb_errors e) noexcept {
  return {static_cast<int>(e), get_netdb_category()};
}
inline std::error_code make_error_code(addrinfo_errors e) noexcept {
  return {static_cast<int>(e), get_addrinfo_category()};
}
inline std::error_code make_error_code(misc_errors e) noexcept {
  return {static_cast<int>(e), get_misc_category()};
}

}  // namespace twin::error

template <>
struct std::is_error_code_enum<twin::error::basic_errors> : std::true_type {};
template <>
struct std::is_error_code_enum<twin::error::netdb_errors> : std::true_type {};
template <>
struct std::is_error_code_enum<twin::error::addrinfo_errors> : std::true_type {};
template <>
struct std::is_error_code_enum<twin::error::misc_errors> : std::true_type {};

namespace twin::detail {

// Throws std::system_error(ec, what) when `ec` is set: the policy of every
// throwing overload (it wraps the error_code form, as in Asio).
void throw_error(const std::error_code& ec, const char* what);

// The throwing form of an error_code& call: returns `call(ec)`'s result, or
// throws std::system_error(ec, what) when it set `ec`.
template <typename Call>
auto or_throw(const char* what, Call&& call) {
  std::error_code ec;
  if constexpr (std::is_void_v<decltype(call(ec))>) {
    call(ec);
    throw_error(ec, what);
  } else {
    auto result = call(ec);
    throw_error(ec, what);
    return result;
  }
}

}  // namespace twin::detail
