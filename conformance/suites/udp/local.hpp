// Udp scenarios: local::datagram_protocol — a connected pair made by
// connect_pair, sockets bound to filesystem paths, the sender's endpoint
// of a socket with no name, and the errors of sending to or binding paths.
#pragma once

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

template <typename B>
using local_socket = typename B::local_datagram::socket;
template <typename B>
using local_endpoint = typename B::local_datagram::endpoint;

// Two local datagram sockets connected to each other by connect_pair.
template <typename B>
two_sockets<local_socket<B>> connected_local_pair(typename B::io_context& ctx) {
  two_sockets<local_socket<B>> pair{local_socket<B>(ctx), local_socket<B>(ctx)};
  connect_pair(pair.first, pair.second);
  return pair;
}

// connect_pair makes two connected local datagram sockets: datagrams go
// both ways, whole and in order, and one longer than the buffer is cut.
TYPED_TEST_P(Udp, LocalPairCarriesDatagramsBothWays) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_local_pair<B>(ctx);
        char buffer[16], small[4];
        a.send(B::buffer(std::string("ping")));
        b.send(B::buffer(std::string("pong and more")));
        b.send(B::buffer(std::string("end")));
        receive_text<B>(rec, b, "b received", buffer);
        async_receive_two<B>(rec, a, "a received", small, buffer);
        ctx.run();
      },
      expect_outcomes(ElementsAre("b received: \"ping\" 4B", "a received: \"pong\" 4B",
                                  "a received: \"end\" 3B")));
}

// receive_from names a sender bound to a path by that path, and a sender
// with no name by an empty path; the receiver's local_endpoint is its own
// path.
TYPED_TEST_P(Udp, LocalReceiveFromNamesTheSendersPath) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const socket_path receiver_path("receiver"), sender_path("sender");
        local_socket<B> receiver(ctx, local_endpoint<B>(receiver_path.str()));
        local_socket<B> named(ctx, local_endpoint<B>(sender_path.str()));
        local_socket<B> unnamed(ctx, typename B::local_datagram());
        rec.record("receiver's local_endpoint is its path: " +
                   yes_no(receiver.local_endpoint().path() == receiver_path.str()));
        named.send_to(B::buffer(std::string("named")), receiver.local_endpoint());
        unnamed.send_to(B::buffer(std::string("unnamed")), receiver.local_endpoint());
        char buffer[16];
        for (int i = 0; i < 2; ++i) {
          local_endpoint<B> from;
          const std::size_t n = receiver.receive_from(B::buffer(buffer), from);
          const std::string who = from.path() == sender_path.str() ? "the sender's path"
                                  : from.path().empty()            ? "an empty path"
                                                                   : "\"" + from.path() + "\"";
          rec.record("\"" + text(buffer, n) + "\" from " + who, "", n);
        }
      },
      expect_outcomes(ElementsAre("receiver's local_endpoint is its path: yes",
                                  "\"named\" from the sender's path 5B",
                                  "\"unnamed\" from an empty path 7B")));
}

// Sending to a path that does not exist fails with no_such_file_or_directory
// (ENOENT); to a path whose socket is closed (its file left behind) with
// connection_refused; binding a path whose file exists, even with nobody
// bound to it, fails with address_in_use.
TYPED_TEST_P(Udp, LocalPathsWithNobodyThere) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const socket_path missing("missing"), left_behind("left_behind");
        local_socket<B> s(ctx, typename B::local_datagram());
        local_socket<B>(ctx, local_endpoint<B>(left_behind.str())).close();
        const std::string data = "hello?";
        typename B::error_code ec;
        std::size_t n = s.send_to(B::buffer(data), local_endpoint<B>(missing.str()), 0, ec);
        rec.completion("send_to a missing path", ec, n);
        n = s.send_to(B::buffer(data), local_endpoint<B>(left_behind.str()), 0, ec);
        rec.completion("send_to a closed socket's path", ec, n);
        s.async_send_to(B::buffer(data), local_endpoint<B>(missing.str()),
                        recording(rec, "async_send_to a missing path"));
        ctx.run();
        local_socket<B> t(ctx, typename B::local_datagram());
        t.bind(local_endpoint<B>(left_behind.str()), ec);
        rec.completion("bind a closed socket's path", ec);
      },
      expect_outcomes(ElementsAre(
          "send_to a missing path [ENOENT]", "send_to a closed socket's path [ECONNREFUSED]",
          "async_send_to a missing path [ENOENT]", "bind a closed socket's path [EADDRINUSE]")));
}

// When one of a connect_pair's sockets closes, the datagrams it sent are
// still received by the other; after them a non-blocking receive reports
// would_block (no end of file: a datagram socket has none). The first
// send to the closed peer fails with connection_refused, and the kernel
// forgets the peer with it: the next send fails with not_connected.
TYPED_TEST_P(Udp, LocalPairAfterOneSideCloses) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_local_pair<B>(ctx);
        a.send(B::buffer(std::string("last words")));
        a.close();
        char buffer[16];
        receive_text<B>(rec, b, "receive", buffer);
        b.non_blocking(true);
        typename B::error_code ec;
        std::size_t n = b.receive(B::buffer(buffer), 0, ec);
        rec.completion("receive", ec, n);
        n = b.send(B::buffer(std::string("hello?")), 0, ec);
        rec.completion("send", ec, n);
        b.async_send(B::buffer(std::string("hello?")), recording(rec, "async_send"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("receive: \"last words\" 10B", "receive [EAGAIN]",
                                  "send [ECONNREFUSED]", "async_send [ENOTCONN]")));
}

// The sockets of a connect_pair have no names: their local and remote
// endpoints are empty paths. A path longer than sun_path holds (107 bytes
// and a terminator) is refused when the endpoint is made, with
// name_too_long; 107 bytes are accepted.
TYPED_TEST_P(Udp, LocalNamesOfPairsAndLongPaths) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_local_pair<B>(ctx);
        rec.record("local_endpoint: \"" + a.local_endpoint().path() + "\", remote_endpoint: \"" +
                   a.remote_endpoint().path() + "\"");
        record_throwing<B>(rec, "107-byte path",
                           [] { return local_endpoint<B>(std::string(107, 'p')).path().size(); });
        record_throwing<B>(rec, "108-byte path",
                           [] { return local_endpoint<B>(std::string(108, 'p')).path().size(); });
      },
      expect_outcomes(ElementsAre("local_endpoint: \"\", remote_endpoint: \"\"",
                                  "107-byte path 107B", "108-byte path threw [ENAMETOOLONG]")));
}

}  // namespace conformance::udp
