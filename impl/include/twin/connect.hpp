// twin::connect / twin::async_connect — connect a socket to the first
// endpoint of a sequence that accepts (Asio's composed connect, all of its
// overloads).
//
// The endpoints are a range (anything with begin()/end() over endpoints or
// entries that convert to the socket's endpoint_type: resolver results, a
// vector of endpoints), or an iterator pair, or (deprecated in Asio, still
// there) a begin iterator whose default-constructed value is the end, as a
// resolver iterator's is. Each endpoint is tried in order: the socket is
// closed (a failed connect leaves it unusable), then connected, which opens
// it with the endpoint's protocol.
//
// A connect condition chooses which endpoints are tried. Before each
// attempt it is told the previous attempt's error (none before the first)
// and either
//   bool(const std::error_code&, const endpoint_type&): may this endpoint
//     be tried? (a refused one is skipped, and the next asked about), or
//   Iterator(const std::error_code&, Iterator next): the legacy form —
//     which one to try next (end: stop).
//
// The result: the endpoint that accepted (range forms) or an iterator to it
// (iterator forms). When none did: the last attempt's error with a default
// endpoint / the end iterator; or error::not_found (misc) when no attempt
// was made (an empty sequence, or a condition that refused every endpoint).
//
// async_connect calls void(std::error_code, endpoint_type) — or
// void(std::error_code, Iterator) for the iterator forms — exactly once,
// never inside the call (no attempt is reported through a post to the
// socket's executor), through the handler's associated executor: every
// intermediate step carries it, so a handler bound to a strand runs in the
// strand. Closing the socket while an attempt is pending stops the sequence
// with error::operation_aborted. The socket (and, for the iterator forms,
// what the iterators refer to) must outlive the operation, and the socket
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

// An iterator over endpoints (not itself a sequence, which the range forms
// take: Asio tells the two apart the same way).
template <typename T, typename Endpoint>
concept endpoint_iterator = !endpoint_sequence<T, Endpoint> && requires(T it) {
  { *it } -> std::convertible_to<Endpoint>;
  ++it;
  { it != it } -> std::convertible_to<bool>;
};

template <typename Condition, typename Iterator>
concept legacy_connect_condition = requires(Condition& c, const std::error_code& ec,
                                            const Iterator& next) {
  { c(ec, next) } -> std::same_as<Iterator>;
};

// Either form of connect condition, for endpoints reached through Iterator.
template <typename Condition, typename Iterator>
concept connect_condition = legacy_connect_condition<Condition, Iterator> ||
    requires(Condition& c, const std::error_code& ec, const Iterator& next) {
  { c(ec, *next) } -> std::convertible_to<bool>;
};

// What the overloads without a condition use: every endpoint is tried.
struct always_connect {
  template <typename Endpoint>
  bool operator()(const std::error_code&, const Endpoint&) const noexcept {
    return true;
  }
};

// The endpoint to try from `next` on, as `condition` decides, told the
// previous attempt's error; `end` when it allows none.
template <typename Iterator, typename Condition>
Iterator next_allowed(Condition& condition, const std::error_code& ec, Iterator next,
                      Iterator end) {
  if constexpr (legacy_connect_condition<Condition, Iterator>) {
    return next != end ? condition(ec, next) : end;
  } else {
    for (; next != end; ++next)
      if (condition(ec, *next)) return next;
    return end;
  }
}

// An iterator pair as a range, so that one operation serves both forms.
template <typename Iterator>
struct iterator_span {
  Iterator first, last;
  Iterator begin() const { return first; }
  Iterator end() const { return last; }
};

// The state of one async_connect: the endpoints, the one being tried, the
// condition. Passed to the socket as its connect handler, and carried from
// attempt to attempt by value; the position is an index because a copied
// sequence moves with the operation. ReportsIterator: the handler receives
// an iterator (iterator forms) rather than an endpoint (range forms).
template <typename Socket, typename Sequence, typename Condition, typename Handler,
          bool ReportsIterator>
class connect_op : public handler_holder<Handler> {
public:
  using endpoint_type = typename Socket::endpoint_type;
  using iterator = decltype(std::declval<const Sequence&>().begin());

  connect_op(Socket& socket, Sequence endpoints, Condition condition, Handler&& handler)
      : handler_holder<Handler>(std::move(handler)),
        socket_(&socket),
        endpoints_(std::move(endpoints)),
        condition_(std::move(condition)) {}

  // The first step: try the first endpoint the condition allows, or report
  // that there is none.
  void start() { try_next(std::error_code(), true); }

  // The socket's completion of the attempt on the current endpoint (or the
  // posted error::not_found when no attempt was made).
  void operator()(std::error_code ec) {
    const iterator current = position();
    if (current == endpoints().end()) return finish(ec, current);
    if (!socket_->is_open()) return finish(error::operation_aborted, current);
    if (!ec) return finish(ec, current);
    ++index_;
    try_next(ec, false);
  }

private:
  // The sequence, const: its iterators are the ones the handler may get.
  const Sequence& endpoints() const { return endpoints_; }

  iterator position() const {
    iterator it = endpoints().begin();
    std::advance(it, static_cast<std::ptrdiff_t>(index_));
    return it;
  }

  // Asks the condition from the current position on, then closes the
  // socket and starts the attempt; the socket hands this operation back
  // when it completes.
  void try_next(const std::error_code& last_error, bool first) {
    const iterator next = next_allowed(condition_, last_error, position(), endpoints().end());
    index_ = static_cast<std::size_t>(std::distance(endpoints().begin(), next));
    if (next != endpoints().end()) {
      const endpoint_type endpoint = *next;
      std::error_code ignored;
      socket_->close(ignored);
      socket_->async_connect(endpoint, std::move(*this));
    } else if (first) {
      // Never complete inside async_connect: go through the executor.
      twin::post(socket_->get_executor(),
                 bind_handler(std::move(*this), std::error_code(error::not_found)));
    } else {
      finish(last_error, next);
    }
  }

  // Already on the handler's executor: the socket (or the post) delivered
  // this operation there.
  void finish(const std::error_code& ec, const iterator& where) {
    if constexpr (ReportsIterator) {
      const iterator result = where;
      std::move(this->handler_)(ec, result);
    } else {
      const endpoint_type result =
          ec || where == endpoints().end() ? endpoint_type() : endpoint_type(*where);
      std::move(this->handler_)(ec, result);
    }
  }

  Socket* socket_;
  Sequence endpoints_;
  Condition condition_;
  std::size_t index_ = 0;
};

template <typename Socket, typename Sequence, typename Condition, typename Handler,
          bool ReportsIterator>
void start_connect(Socket& s, Sequence endpoints, Condition condition, Handler&& handler) {
  using handler_type = std::decay_t<Handler>;
  connect_op<Socket, Sequence, Condition, handler_type, ReportsIterator>(
      s, std::move(endpoints), std::move(condition), handler_type(std::forward<Handler>(handler)))
      .start();
}

template <typename Handler, typename Socket>
concept range_connect_handler = std::invocable<std::decay_t<Handler> &&, const std::error_code&,
                                               const typename Socket::endpoint_type&>;

template <typename Handler, typename Iterator>
concept iterator_connect_handler =
    std::invocable<std::decay_t<Handler> &&, const std::error_code&, const Iterator&>;

}  // namespace detail

// ---- Iterator forms: the result is an iterator (`end` on failure). ----

// Connects `s` to the first endpoint in [begin, end) that `condition`
// allows and that accepts.
template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::connect_condition<Iterator> Condition>
Iterator connect(Socket& s, Iterator begin, Iterator end, Condition condition,
                 std::error_code& ec) {
  ec.clear();
  for (Iterator it = begin; it != end; ++it) {
    it = detail::next_allowed(condition, ec, it, end);
    if (it == end) break;
    s.close(ec);
    s.connect(*it, ec);
    if (!ec) return it;
  }
  if (!ec) ec = error::not_found;
  return end;
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::connect_condition<Iterator> Condition>
Iterator connect(Socket& s, Iterator begin, Iterator end, Condition condition) {
  return detail::or_throw("connect", [&](std::error_code& ec) {
    return twin::connect(s, begin, end, std::move(condition), ec);
  });
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator>
Iterator connect(Socket& s, Iterator begin, Iterator end, std::error_code& ec) {
  return twin::connect(s, begin, end, detail::always_connect(), ec);
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator>
Iterator connect(Socket& s, Iterator begin, Iterator end) {
  return twin::connect(s, begin, end, detail::always_connect());
}

// Deprecated in Asio: the end is a default-constructed Iterator.
template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::connect_condition<Iterator> Condition>
Iterator connect(Socket& s, Iterator begin, Condition condition, std::error_code& ec) {
  return twin::connect(s, begin, Iterator(), std::move(condition), ec);
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::connect_condition<Iterator> Condition>
Iterator connect(Socket& s, Iterator begin, Condition condition) {
  return twin::connect(s, begin, Iterator(), std::move(condition));
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator>
Iterator connect(Socket& s, Iterator begin, std::error_code& ec) {
  return twin::connect(s, begin, Iterator(), detail::always_connect(), ec);
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator>
Iterator connect(Socket& s, Iterator begin) {
  return twin::connect(s, begin, Iterator(), detail::always_connect());
}

// ---- Range forms: the result is the endpoint (a default one on failure). ----

template <
    typename Socket, detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence,
    detail::connect_condition<decltype(std::declval<const EndpointSequence&>().begin())> Condition>
typename Socket::endpoint_type connect(Socket& s, const EndpointSequence& endpoints,
                                       Condition condition, std::error_code& ec) {
  const auto it = twin::connect(s, endpoints.begin(), endpoints.end(), std::move(condition), ec);
  return ec ? typename Socket::endpoint_type() : typename Socket::endpoint_type(*it);
}

template <
    typename Socket, detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence,
    detail::connect_condition<decltype(std::declval<const EndpointSequence&>().begin())> Condition>
typename Socket::endpoint_type connect(Socket& s, const EndpointSequence& endpoints,
                                       Condition condition) {
  return detail::or_throw("connect", [&](std::error_code& ec) {
    return twin::connect(s, endpoints, std::move(condition), ec);
  });
}

template <typename Socket,
          detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence>
typename Socket::endpoint_type connect(Socket& s, const EndpointSequence& endpoints,
                                       std::error_code& ec) {
  return twin::connect(s, endpoints, detail::always_connect(), ec);
}

template <typename Socket,
          detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence>
typename Socket::endpoint_type connect(Socket& s, const EndpointSequence& endpoints) {
  return twin::connect(s, endpoints, detail::always_connect());
}

// ---- async_connect: `endpoints` (or the iterators) are copied into the
// operation. ----

template <
    typename Socket, detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence,
    detail::connect_condition<decltype(std::declval<const EndpointSequence&>().begin())> Condition,
    detail::range_connect_handler<Socket> Handler>
void async_connect(Socket& s, const EndpointSequence& endpoints, Condition condition,
                   Handler&& handler) {
  detail::start_connect<Socket, EndpointSequence, Condition, Handler, false>(
      s, endpoints, std::move(condition), std::forward<Handler>(handler));
}

template <typename Socket,
          detail::endpoint_sequence<typename Socket::endpoint_type> EndpointSequence,
          detail::range_connect_handler<Socket> Handler>
void async_connect(Socket& s, const EndpointSequence& endpoints, Handler&& handler) {
  twin::async_connect(s, endpoints, detail::always_connect(), std::forward<Handler>(handler));
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::connect_condition<Iterator> Condition,
          detail::iterator_connect_handler<Iterator> Handler>
void async_connect(Socket& s, Iterator begin, Iterator end, Condition condition,
                   Handler&& handler) {
  detail::start_connect<Socket, detail::iterator_span<Iterator>, Condition, Handler, true>(
      s, detail::iterator_span<Iterator>{begin, end}, std::move(condition),
      std::forward<Handler>(handler));
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::iterator_connect_handler<Iterator> Handler>
void async_connect(Socket& s, Iterator begin, Iterator end, Handler&& handler) {
  twin::async_connect(s, begin, end, detail::always_connect(), std::forward<Handler>(handler));
}

// Deprecated in Asio: the end is a default-constructed Iterator.
template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::connect_condition<Iterator> Condition,
          detail::iterator_connect_handler<Iterator> Handler>
void async_connect(Socket& s, Iterator begin, Condition condition, Handler&& handler) {
  twin::async_connect(s, begin, Iterator(), std::move(condition), std::forward<Handler>(handler));
}

template <typename Socket, detail::endpoint_iterator<typename Socket::endpoint_type> Iterator,
          detail::iterator_connect_handler<Iterator> Handler>
void async_connect(Socket& s, Iterator begin, Handler&& handler) {
  twin::async_connect(s, begin, Iterator(), detail::always_connect(),
                      std::forward<Handler>(handler));
}

}  // namespace twin
