// Socket scenarios: establishing connections — async_accept into a socket
// and the move-accept form, the member async_connect and the free one over
// a resolver's results (127.0.0.1 and localhost), a refused connect, and an
// acceptor closed with an accept pending.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

TYPED_TEST_P(Socket, AcceptIntoSocketAndMemberConnect) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> server(ctx), client(ctx);
        outcome accepted, connected;
        listener.async_accept(server, into(accepted));
        client.async_connect(listener.local_endpoint(), into(connected));
        ctx.run();
        record(rec, "accept", accepted);
        record(rec, "connect", connected);
        rec.record("server's peer is the client: " + yes_no(loopback::is_peer<B>(server, client)));
        rec.record("client's peer is the server: " + yes_no(loopback::is_peer<B>(client, server)));
      },
      expect_outcomes(ElementsAre("accept", "connect", "server's peer is the client: yes",
                                  "client's peer is the server: yes")));
}

// The move-accept form hands the handler a new connected socket.
TYPED_TEST_P(Socket, MoveAcceptHandsOverConnectedSocket) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> client(ctx);
        std::optional<loopback::socket<B>> accepted;
        outcome accept, connect;
        listener.async_accept([&](const auto& ec, auto peer) {
          into(accept)(ec);
          accepted.emplace(std::move(peer));
        });
        client.async_connect(listener.local_endpoint(), into(connect));
        ctx.run();
        record(rec, "accept", accept);
        record(rec, "connect", connect);
        if (!accepted) return;
        rec.record("accepted socket open: " + yes_no(accepted->is_open()));
        rec.record("accepted socket's peer is the client: " +
                   yes_no(loopback::is_peer<B>(*accepted, client)));
        write(*accepted, B::buffer(std::string("hi")));
        char buf[8];
        rec.record("client read: " + text(buf, client.read_some(B::buffer(buf))));
      },
      expect_outcomes(ElementsAre("accept", "connect", "accepted socket open: yes",
                                  "accepted socket's peer is the client: yes", "client read: hi")));
}

// Connects with the free async_connect over resolve(host, port) and checks
// which endpoint it chose.
template <typename B>
void connect_over_resolved(recorder& rec, const std::string& host) {
  typename B::io_context ctx;
  auto listener = loopback::listening<B>(ctx);
  const auto target = listener.local_endpoint();
  typename B::tcp::resolver resolver(ctx);
  const auto results = resolver.resolve(host, std::to_string(target.port()));
  loopback::socket<B> server(ctx), client(ctx);
  outcome accept, connect;
  std::optional<loopback::endpoint<B>> chosen;
  listener.async_accept(server, into(accept));
  async_connect(client, results, [&](const auto& ec, const loopback::endpoint<B>& endpoint) {
    into(connect)(ec);
    chosen = endpoint;
  });
  ctx.run();
  record(rec, "accept", accept);
  record(rec, "connect", connect);
  rec.record("connected to the listener: " + yes_no(chosen && *chosen == target));
  rec.record("client's peer is the server: " + yes_no(loopback::is_peer<B>(client, server)));
}

inline void expect_connected_over_resolved(const trace& t) {
  EXPECT_THAT(outcomes(t), ElementsAre("accept", "connect", "connected to the listener: yes",
                                       "client's peer is the server: yes"));
}

TYPED_TEST_P(Socket, FreeAsyncConnectOverResolvedAddress) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) { connect_over_resolved<B>(rec, "127.0.0.1"); },
      expect_connected_over_resolved);
}

// "localhost" may also resolve to ::1, where nothing listens: the composed
// connect then moves on to the next endpoint.
TYPED_TEST_P(Socket, FreeAsyncConnectOverResolvedLocalhost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) { connect_over_resolved<B>(rec, "localhost"); },
      expect_connected_over_resolved);
}

TYPED_TEST_P(Socket, ConnectToClosedPortIsRefused) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const loopback::unused_port<B> unused(ctx);
        const unsigned short port = unused.port();
        typename B::tcp::resolver resolver(ctx);
        const auto results = resolver.resolve("127.0.0.1", std::to_string(port));
        loopback::socket<B> member(ctx), other(ctx);
        outcome by_member, by_free;
        member.async_connect(loopback::local<B>(port), into(by_member));
        async_connect(other, results,
                      [&](const auto& ec, const loopback::endpoint<B>&) { into(by_free)(ec); });
        ctx.run();
        record(rec, "member async_connect", by_member);
        record(rec, "free async_connect", by_free);
      },
      expect_outcomes(
          ElementsAre("member async_connect [ECONNREFUSED]", "free async_connect [ECONNREFUSED]")));
}

TYPED_TEST_P(Socket, AcceptorCloseCancelsPendingAccept) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> server(ctx);
        listener.async_accept(server, recording(rec, "accept"));
        post(ctx, [&] {
          rec.record("closing the acceptor");
          listener.close();
        });
        ctx.run();
        rec.record("socket left closed: " + yes_no(!server.is_open()));
      },
      expect_outcomes(
          ElementsAre("closing the acceptor", "accept [ECANCELED]", "socket left closed: yes")));
}

}  // namespace conformance::socket
