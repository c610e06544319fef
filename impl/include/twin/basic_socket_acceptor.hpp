// twin::basic_socket_acceptor — a listening socket that accepts
// connections (Asio's basic_socket_acceptor).
//
// async_accept has two forms: into an existing, closed socket
// (handler(std::error_code)), and the move-accept form that hands the
// handler a new socket (handler(std::error_code, socket)). A connection
// that was reset before it could be accepted is skipped, not reported.
// Not thread-safe, like every socket.
#pragma once

#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/basic_socket.hpp"
#include "twin/basic_stream_socket.hpp"
#include "twin/detail/handler_work.hpp"
#include "twin/detail/reactive_socket_ops.hpp"

namespace twin {

template <typename Protocol, typename Executor = any_io_executor>
class basic_socket_acceptor : public basic_socket<Protocol, Executor> {
  using base = basic_socket<Protocol, Executor>;

public:
  using typename base::endpoint_type;
  using typename base::executor_type;
  using typename base::protocol_type;
  using socket_type = basic_stream_socket<Protocol, Executor>;

  explicit basic_socket_acceptor(io_context& ctx) : base(ctx) {}
  explicit basic_socket_acceptor(const executor_type& ex) : base(ex) {}
  // `place`: an execution context or an executor (an io_context, a strand).
  template <detail::io_object_place<Executor> Place>
  basic_socket_acceptor(Place& place, const protocol_type& protocol) : base(place, protocol) {}
  // Opens, optionally sets reuse_address, binds to `endpoint` and listens.
  template <detail::io_object_place<Executor> Place>
  basic_socket_acceptor(Place& place, const endpoint_type& endpoint, bool reuse_address = true)
      : base(place) {
    this->open(endpoint.protocol());
    if (reuse_address) this->set_option(socket_base::reuse_address(true));
    this->bind(endpoint);
    listen();
  }
  basic_socket_acceptor(basic_socket_acceptor&&) noexcept = default;

  // The same acceptor type on another executor.
  template <typename Executor1>
  struct rebind_executor {
    using other = basic_socket_acceptor<Protocol, Executor1>;
  };
  basic_socket_acceptor& operator=(basic_socket_acceptor&&) noexcept = default;

  void listen(int backlog = socket_base::max_listen_connections) {
    return detail::or_throw("listen", [&](std::error_code& ec) { return listen(backlog, ec); });
  }
  void listen(int backlog, std::error_code& ec) {
    detail::socket_ops::listen(this->native_handle(), backlog, ec);
  }

  // Accepts one connection into `peer`, which must be closed.
  template <typename Socket>
  void accept(Socket& peer) {
    return detail::or_throw("accept", [&](std::error_code& ec) { return accept(peer, ec); });
  }
  template <typename Socket>
  void accept(Socket& peer, std::error_code& ec) {
    if (peer.is_open()) {
      ec = error::already_open;
      return;
    }
    const int fd =
        detail::socket_ops::sync_accept(this->native_handle(), this->state(), nullptr, nullptr, ec);
    if (fd >= 0) peer.adopt_new(this->protocol(), fd, ec);
  }

  // Accepts one connection as a new socket.
  socket_type accept() {
    return detail::or_throw("accept", [&](std::error_code& ec) { return accept(ec); });
  }
  socket_type accept(std::error_code& ec) {
    socket_type peer(this->get_executor());
    accept(peer, ec);
    return peer;
  }

  // Calls handler(std::error_code) once a connection is accepted into `peer`.
  template <typename Socket, typename AcceptHandler>
  void async_accept(Socket& peer, AcceptHandler&& handler) {
    using handler_type = detail::on_io_executor_t<Executor, AcceptHandler>;
    auto completion = [&peer, protocol = this->protocol(),
                       h = detail::tracked<handler_type>(
                           handler_type(this->wrap(std::forward<AcceptHandler>(handler))))](
                          std::error_code ec, int fd) mutable {
      if (!ec) peer.adopt_new(protocol, fd, ec);
      detail::complete_handler(h, ec);
    };
    using op = detail::socket_accept_op<decltype(completion)>;
    auto* o = detail::make_op<op>(this->native_handle(), std::move(completion));
    if (peer.is_open()) {
      o->ec_ = error::already_open;
      this->post_immediate(o);
      return;
    }
    this->start_op(detail::descriptor_state::read_op, o, false, true, false);
  }

  // Calls handler(std::error_code, socket_type) with each new connection.
  // clang-format 14 reads the requires-clause's < as less-than.
  // clang-format off
  template <typename MoveAcceptHandler>
    requires std::is_invocable_v<std::decay_t<MoveAcceptHandler>&, std::error_code, socket_type>
  void async_accept(MoveAcceptHandler&& handler) {
    // clang-format on
    accept_onto<socket_type>(this->get_executor(), std::forward<MoveAcceptHandler>(handler));
  }

  // As above, the new socket on `ex` (a strand per connection, say) or on
  // `ctx`, its type rebound to that executor as in Asio (a handler taking
  // the protocol's socket converts it); the handler itself runs on the
  // acceptor's executor unless it has its own.
  template <detail::executor Executor1, typename MoveAcceptHandler>
  void async_accept(const Executor1& ex, MoveAcceptHandler&& handler) {
    using peer_type = typename socket_type::template rebind_executor<Executor1>::other;
    accept_onto<peer_type>(ex, std::forward<MoveAcceptHandler>(handler));
  }
  template <typename Context, typename MoveAcceptHandler>
    requires std::is_base_of_v<execution_context, Context>
  void async_accept(Context& ctx, MoveAcceptHandler&& handler) {
    using peer_type =
        typename socket_type::template rebind_executor<typename Context::executor_type>::other;
    accept_onto<peer_type>(ctx.get_executor(), std::forward<MoveAcceptHandler>(handler));
  }

private:
  template <typename Peer, typename MoveAcceptHandler>
  void accept_onto(const typename Peer::executor_type& ex, MoveAcceptHandler&& handler) {
    using handler_type = detail::on_io_executor_t<Executor, MoveAcceptHandler>;
    auto completion = [ex, protocol = this->protocol(),
                       h = detail::tracked<handler_type>(
                           handler_type(this->wrap(std::forward<MoveAcceptHandler>(handler))))](
                          std::error_code ec, int fd) mutable {
      Peer peer(ex);
      if (!ec) peer.adopt_new(protocol, fd, ec);
      detail::complete_handler(h, ec, std::move(peer));
    };
    using op = detail::socket_accept_op<decltype(completion)>;
    this->start_op(detail::descriptor_state::read_op,
                   detail::make_op<op>(this->native_handle(), std::move(completion)), false, true,
                   false);
  }
};

}  // namespace twin
