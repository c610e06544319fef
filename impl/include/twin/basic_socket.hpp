// twin::basic_socket — what every socket and acceptor has beyond its
// descriptor (detail::reactive_descriptor: closing, cancelling, blocking
// modes, waits): opening, options, binding, connecting, endpoints,
// shutdown, available and at_mark (Asio's basic_socket).
//
// Each call has a throwing form and an error_code& form (as in Asio). A
// socket object is not thread-safe: do not call it from two threads at
// once (post to it, or use a strand).
#pragma once

#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/detail/reactive_descriptor.hpp"
#include "twin/detail/socket_ops.hpp"
#include "twin/error.hpp"
#include "twin/io_context.hpp"
#include "twin/socket_base.hpp"

namespace twin {

template <typename Protocol, typename Executor = any_io_executor>
class basic_socket : public socket_base, public detail::reactive_descriptor<Executor> {
  using descriptor = detail::reactive_descriptor<Executor>;

public:
  using typename descriptor::executor_type;
  using typename descriptor::native_handle_type;
  using protocol_type = Protocol;
  using endpoint_type = typename Protocol::endpoint;
  using lowest_layer_type = basic_socket;

  // A socket is its own lowest layer (as in Asio; a stream wrapping one
  // would return the socket beneath).
  lowest_layer_type& lowest_layer() noexcept { return *this; }
  const lowest_layer_type& lowest_layer() const noexcept { return *this; }

  void open(const protocol_type& protocol = initial_protocol()) {
    return detail::or_throw("open", [&](std::error_code& ec) { return open(protocol, ec); });
  }
  void open(const protocol_type& protocol, std::error_code& ec) {
    if (this->is_open()) {
      ec = error::already_open;
      return;
    }
    const int fd =
        detail::socket_ops::socket(protocol.family(), protocol.type(), protocol.protocol(), ec);
    if (fd >= 0) adopt_new(protocol, fd, ec);
  }

  // Takes ownership of an open descriptor; on failure the caller keeps it.
  void assign(const protocol_type& protocol, native_handle_type fd) {
    return detail::or_throw("assign",
                            [&](std::error_code& ec) { return assign(protocol, fd, ec); });
  }
  void assign(const protocol_type& protocol, native_handle_type fd, std::error_code& ec) {
    if (this->is_open()) {
      ec = error::already_open;
      return;
    }
    adopt(protocol, fd, detail::socket_ops::possible_dup, ec);
  }

  void bind(const endpoint_type& endpoint) {
    return detail::or_throw("bind", [&](std::error_code& ec) { return bind(endpoint, ec); });
  }
  void bind(const endpoint_type& endpoint, std::error_code& ec) {
    detail::socket_ops::bind(this->native_handle(), endpoint.data(), endpoint.size(), ec);
  }

  template <typename Option>
  void set_option(const Option& option) {
    return detail::or_throw("set_option",
                            [&](std::error_code& ec) { return set_option(option, ec); });
  }
  template <typename Option>
  void set_option(const Option& option, std::error_code& ec) {
    detail::socket_ops::setsockopt(this->native_handle(), option.level(protocol_),
                                   option.name(protocol_), option.data(protocol_),
                                   option.size(protocol_), ec);
  }

  template <typename Option>
  void get_option(Option& option) const {
    return detail::or_throw("get_option",
                            [&](std::error_code& ec) { return get_option(option, ec); });
  }
  template <typename Option>
  void get_option(Option& option, std::error_code& ec) const {
    std::size_t size = option.size(protocol_);
    detail::socket_ops::getsockopt(this->native_handle(), option.level(protocol_),
                                   option.name(protocol_), option.data(protocol_), &size, ec);
    if (!ec) option.resize(protocol_, size);
  }

  endpoint_type local_endpoint() const {
    return detail::or_throw("local_endpoint",
                            [&](std::error_code& ec) { return local_endpoint(ec); });
  }
  endpoint_type local_endpoint(std::error_code& ec) const {
    return query_endpoint(&detail::socket_ops::getsockname, ec);
  }

  void connect(const endpoint_type& peer) {
    return detail::or_throw("connect", [&](std::error_code& ec) { return connect(peer, ec); });
  }
  void connect(const endpoint_type& peer, std::error_code& ec) {
    if (!this->is_open()) {
      this->open(peer.protocol(), ec);
      if (ec) return;
    }
    detail::socket_ops::sync_connect(this->native_handle(), peer.data(), peer.size(), ec);
  }

  // Calls handler(std::error_code) once connected to `peer` (opening the
  // socket first if needed).
  template <typename ConnectHandler>
  void async_connect(const endpoint_type& peer, ConnectHandler&& handler) {
    using op = detail::socket_connect_op<detail::on_io_executor_t<Executor, ConnectHandler>>;
    const bool is_continuation = detail::handler_is_continuation(handler);
    std::error_code open_ec;
    if (!this->is_open()) this->open(peer.protocol(), open_ec);
    auto* o = detail::make_op<op>(this->native_handle(),
                                  this->wrap(std::forward<ConnectHandler>(handler)));
    if (open_ec) {
      o->ec_ = open_ec;
      this->post_immediate(o, is_continuation);
      return;
    }
    if (this->ensure_non_blocking(o->ec_)) {
      detail::socket_ops::start_connect(this->native_handle(), peer.data(), peer.size(), o->ec_);
      if (o->ec_.value() == EWOULDBLOCK) {
        // In progress: writable means finished (either way).
        o->ec_.clear();
        this->start_op(detail::descriptor_state::connect_op, o, is_continuation, false, false);
        return;
      }
    }
    this->post_immediate(o, is_continuation);
  }

  endpoint_type remote_endpoint() const {
    return detail::or_throw("remote_endpoint",
                            [&](std::error_code& ec) { return remote_endpoint(ec); });
  }
  endpoint_type remote_endpoint(std::error_code& ec) const {
    return this->query_endpoint(&detail::socket_ops::getpeername, ec);
  }

  // Bytes that can be read without blocking.
  std::size_t available() const {
    return detail::or_throw("available", [&](std::error_code& ec) { return available(ec); });
  }
  std::size_t available(std::error_code& ec) const {
    return detail::socket_ops::available(this->native_handle(), ec);
  }

  // Whether the next byte to read is where out-of-band data was sent
  // (socket_base::message_out_of_band); bad_descriptor when not open.
  bool at_mark() const {
    return detail::or_throw("at_mark", [&](std::error_code& ec) { return at_mark(ec); });
  }
  bool at_mark(std::error_code& ec) const {
    return detail::socket_ops::sockatmark(this->native_handle(), ec);
  }

  void shutdown(socket_base::shutdown_type what) {
    return detail::or_throw("shutdown", [&](std::error_code& ec) { return shutdown(what, ec); });
  }
  void shutdown(socket_base::shutdown_type what, std::error_code& ec) {
    detail::socket_ops::shutdown(this->native_handle(), what, ec);
  }

protected:
  // The endpoint `query` (socket_ops::getsockname or getpeername) reports
  // for the socket; a default-constructed one when it fails.
  template <typename Query>
  endpoint_type query_endpoint(Query query, std::error_code& ec) const {
    endpoint_type ep;
    std::size_t size = ep.capacity();
    query(this->native_handle(), ep.data(), &size, ec);
    if (ec) return endpoint_type();
    ep.resize(size);
    return ep;
  }

  explicit basic_socket(io_context& ctx) : descriptor(ctx) {}
  explicit basic_socket(const executor_type& ex) : descriptor(ex) {}
  // `place`: an execution context or an executor (detail::io_object_place).
  template <typename Place>
  basic_socket(Place& place, const protocol_type& protocol) : descriptor(place) {
    open(protocol);
  }
  // Opens the socket and binds it to `endpoint`.
  template <typename Place>
  basic_socket(Place& place, const endpoint_type& endpoint) : descriptor(place) {
    open(endpoint.protocol());
    bind(endpoint);
  }
  template <typename Place>
  basic_socket(Place& place, const protocol_type& protocol, native_handle_type native)
      : descriptor(place) {
    assign(protocol, native);
  }
  // From a socket on another executor (see reactive_descriptor).
  template <typename Executor1>
    requires(!std::is_same_v<Executor1, Executor>)
  basic_socket(basic_socket<Protocol, Executor1>&& other)
  noexcept
      : descriptor(static_cast<detail::reactive_descriptor<Executor1>&&>(other)),
        protocol_(other.protocol_) {}
  basic_socket(basic_socket&&) noexcept = default;
  basic_socket& operator=(basic_socket&&) noexcept = default;
  ~basic_socket() = default;

  // Before a stream socket's first asynchronous read: have the kernel say,
  // with each read, whether it drained the socket (TCP_INQ), so that a read
  // which filled its buffer exactly need not be followed by a failing one.
  // One setsockopt per socket; Asio does not do this.
  void request_unread_counts() {
    if (this->is_open() && (this->state() & (detail::socket_ops::stream_oriented |
                                             detail::socket_ops::unread_requested)) ==
                               detail::socket_ops::stream_oriented)
      detail::socket_ops::request_unread_counts(this->native_handle(), this->mutable_state());
  }

  const protocol_type& protocol() const noexcept { return protocol_; }

private:
  // The protocol before the socket is opened, and open()'s default: IPv4
  // for the IP protocols (which cannot be default-constructed), else the
  // protocol's one value (a UNIX domain protocol).
  static protocol_type initial_protocol() {
    if constexpr (std::is_default_constructible_v<protocol_type>)
      return protocol_type();
    else
      return protocol_type::v4();
  }

  // The acceptor hands its new descriptors to adopt_new.
  template <typename, typename>
  friend class basic_socket_acceptor;
  template <typename, typename>
  friend class basic_socket;

  // Owns a descriptor twin just made (no dup of anyone's: closing it takes
  // it out of epoll), closing it if the reactor refuses it.
  void adopt_new(const protocol_type& protocol, int fd, std::error_code& ec) {
    adopt(protocol, fd, 0, ec);
    if (ec) {
      std::error_code ignored;
      detail::socket_ops::close(fd, ignored);
    }
  }

  void adopt(const protocol_type& protocol, int fd, unsigned char state, std::error_code& ec) {
    if (protocol.type() == SOCK_STREAM) state |= detail::socket_ops::stream_oriented;
    descriptor::adopt(fd, state, ec);
    if (!ec) protocol_ = protocol;
  }

  protocol_type protocol_ = initial_protocol();
};

}  // namespace twin
