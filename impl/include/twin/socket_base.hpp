// twin::socket_base — the options, flags and constants every socket and
// acceptor shares (Asio's socket_base).
#pragma once

#include <sys/socket.h>

#include "twin/detail/io_control.hpp"
#include "twin/detail/socket_option.hpp"

namespace twin {

class socket_base {
public:
  enum shutdown_type {
    shutdown_receive = SHUT_RD,
    shutdown_send = SHUT_WR,
    shutdown_both = SHUT_RDWR,
  };

  using message_flags = int;
  static constexpr int message_peek = MSG_PEEK;
  static constexpr int message_out_of_band = MSG_OOB;
  static constexpr int message_do_not_route = MSG_DONTROUTE;
  static constexpr int message_end_of_record = MSG_EOR;

  enum wait_type { wait_read, wait_write, wait_error };

  // The io_control() command that asks how many bytes can be read.
  using bytes_readable = detail::io_control::bytes_readable;

  using broadcast = detail::socket_option::boolean<SOL_SOCKET, SO_BROADCAST>;
  using debug = detail::socket_option::boolean<SOL_SOCKET, SO_DEBUG>;
  using do_not_route = detail::socket_option::boolean<SOL_SOCKET, SO_DONTROUTE>;
  using keep_alive = detail::socket_option::boolean<SOL_SOCKET, SO_KEEPALIVE>;
  using send_buffer_size = detail::socket_option::integer<SOL_SOCKET, SO_SNDBUF>;
  using send_low_watermark = detail::socket_option::integer<SOL_SOCKET, SO_SNDLOWAT>;
  using receive_buffer_size = detail::socket_option::integer<SOL_SOCKET, SO_RCVBUF>;
  using receive_low_watermark = detail::socket_option::integer<SOL_SOCKET, SO_RCVLOWAT>;
  using reuse_address = detail::socket_option::boolean<SOL_SOCKET, SO_REUSEADDR>;
  using linger = detail::socket_option::linger<SOL_SOCKET, SO_LINGER>;
  using out_of_band_inline = detail::socket_option::boolean<SOL_SOCKET, SO_OOBINLINE>;

  static constexpr int max_listen_connections = SOMAXCONN;

protected:
  ~socket_base() = default;
};

}  // namespace twin
