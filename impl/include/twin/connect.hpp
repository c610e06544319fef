// twin::connect / twin::async_connect — connect a socket to the first
// endpoint of a sequence that accepts (Asio's range overloads of connect and
// async_connect).
//
// The sequence is anything with begin()/end() over endpoints or entries that
// convert to the socket's endpoint_type (resolver results, a vector of
// endpoints). Each endpoint is tried in order: the socket is closed (a failed
// connect leaves it unusable), then connected, which opens it with the
// endpoint's protocol. The result is the endpoint that succeeded; when none
// did, the error of the last attempt, or error::not_found (misc) for an empty
// sequence, with a default endpoint.
//
// async_connect calls void(std::error_code, endpoint_type) exactly once,
// never inside the call (an empty sequence is reported through a post to the
// socket's executor), through the handler's associated executor: every
// intermediate step carries it, so a handler bound to a strand runs in the
// strand. Closing the socket while an attempt is pending stops the sequence
// with error::operation_aborted. The socket must outlive the operation and
// must not be used by two threads at once, as for any socket operation.
#pragma once

#include <concepts>
#include <cstddef>
#include <iterator>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/detail/bind_handler.hpp"
#include "twin/error.hpp"
#include "twin/post.hpp"

namespace twin {

namespace detail {

// A range of endpoints (or of things convertible to them) that can be
// walked more than once.
template <typename T, typename Endpoint>
concept endpoint_sequence = requires(const T& t) {
  { *t.begin() } -> std::convertible_to<Endpoint>;
  { t.begin() != t.end() } -> std::convertible_to<bool>;
};

// The state of one async_connect: which endpoint is being tried. Passed to
// the socket as its connect handler, and carried from attempt to attempt by
// value; the position is an index because the sequence moves with it.
template <typename Socket, typename EndpointSequence, typename Handler>
class range_connect_op : public handler_holder<Handler> {
public:
  using endpoint_type = typename Socket::endpoint_type;

  range_connect_op(Socket& socket, const EndpointSequence& endpoints, Handler&& handler)
      : handler_holder<Handler>(std::move(handler)), socket_(&socket), endpoints_(endpoints) {}

  // The first step: try the first endpoint, or report an empty sequence.
  void start() {
    if (endpoints_.begin() == endpoints_.end()) {
      // Never complete inside async_connect: go through the executor.
      twin::post(socket_->get_executor(),
                 bind_handler(std::move(*this), std::error_code(error::not_found)));
      return;
    }
    try_current();
  }

  // The socket's completion of the attempt on the current endpoint (or,
  // for an empty sequence, the posted error::not_found).
  void operator()(std::error_code ec) {
    if (endpoints_.begin() == endpoints_.end()) return finish(ec, endpoint_type());
    if (!socket_->is_open()) return finish(error::operation_aborted, endpoint_type());
    if (!ec) return finish(ec, current());
    ++index_;
    if (index_ == size()) return finish(ec, endpoint_type());
    try_current();
  }

private:
  std::size_t size() const {
    return static_cast<std::size_t>(std::distance(endpoints_.begin(), endpoints_.end()));
  }

  endpoint_type current() const {
    auto it = endpoints_.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(index_));
    return *it;
  }

  // Closes the socket (a failed connect leaves it unusable) and starts the
  // attempt; the socket hands this operation back when it completes.
  void try_current() {
    endpoint_type endpoint = current();
    std::error_code ignored;
    socket_->close(ignored);
    socket_->async_connect(endpoint, std::move(*this));
  }

  // Already on the handler's executor: the socket (or the post) delivered
  // this operation there.
  void finish(const std::error_code& ec, const endpoint_type& endpoint) {
    std::move(this->handler_)(ec, endpoint);
  }

  Socket* socket_;
  EndpointSequence endpoints_;
  std::size_t index_ = 0;
};

}  // namespace detail

// Connects `s` to the first endpoint of `endpoints` that accepts; returns
// it. On failure sets `ec` (the last attempt's error, or error::not_found
// for an empty sequence) and returns a default endpoint.
template <typename Socket,
          detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence>
typename Socket::endpoint_type connect(Socket& s, const EndpointSequence& endpoints,
                                       std::error_code& ec) {
  ec.clear();
  for (auto it = endpoints.begin(); it != endpoints.end(); ++it) {
    typename Socket::endpoint_type endpoint = *it;
    s.close(ec);
    s.connect(endpoint, ec);
    if (!ec) return endpoint;
  }
  if (!ec) ec = error::not_found;
  return typename Socket::endpoint_type();
}

// As above; throws std::system_error on failure.
template <typename Socket,
          detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence>
typename Socket::endpoint_type connect(Socket& s, const EndpointSequence& endpoints) {
  return detail::or_throw("connect",
                          [&](std::error_code& ec) { return twin::connect(s, endpoints, ec); });
}

// Starts connecting `s` to the endpoints in order; `handler` is
// void(std::error_code, endpoint_type) and receives the endpoint connected.
// `endpoints` is copied into the operation.
template <typename Socket,
          detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence,
          typename Handler>
  requires std::invocable<std::decay_t<Handler> &&, const std::error_code&,
                          const typename Socket::endpoint_type&> void
  async_connect(Socket& s, const EndpointSequence& endpoints, Handler&& handler) {
    using op = detail::range_connect_op<Socket, EndpointSequence, std::decay_t<Handler>>;
    op(s, endpoints, std::decay_t<Handler>(std::forward<Handler>(handler))).start();
  }

}  // namespace twin
