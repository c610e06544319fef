// Socket scenarios: connections and what a socket reports — async_accept
// into a socket and the move-accept form, the member async_connect and the
// free one over a resolver's results (127.0.0.1 and localhost), a refused
// connect, an acceptor closed with an accept pending; options set and read
// back, endpoints of both ends, available(), and shutdown(send) closing one
// direction while the other keeps working.
#pragma once

#include <cstddef>
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

// What connect_over_resolved must record.
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

TYPED_TEST_P(Socket, SocketOptionsRoundTrip) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using socket_base = typename B::socket_base;
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        auto p = connected_pair<B>(ctx);
        auto& s = p.client;
        typename B::error_code ec;
        // Sets a boolean option to each value and reads it back.
        auto flip = [&]<class Option>(auto& object, const std::string& name, Option) {
          for (const bool value : {true, false}) {
            object.set_option(Option(value));
            Option read_back;
            object.get_option(read_back);
            rec.record(name + " set " + yes_no(value) + ", reads " + yes_no(read_back.value()));
          }
        };
        flip(s, "no_delay", typename B::tcp::no_delay());
        flip(s, "keep_alive", typename socket_base::keep_alive());
        flip(s, "reuse_address", typename socket_base::reuse_address());
        typename socket_base::reuse_address acceptor_reuse;
        listener.get_option(acceptor_reuse);
        rec.record("acceptor reuse_address by default: " + yes_no(acceptor_reuse.value()));
        // Linux doubles a requested buffer size (for its bookkeeping): read
        // back at least what was asked. Receive: throwing overloads; send:
        // the error_code ones.
        for (const int size : {32768, 65536}) {
          s.set_option(typename socket_base::receive_buffer_size(size));
          typename socket_base::receive_buffer_size rcv;
          s.get_option(rcv);
          rec.record("receive_buffer_size >= requested: " + yes_no(rcv.value() >= size));
          s.set_option(typename socket_base::send_buffer_size(size), ec);
          rec.completion("set_option(send_buffer_size, ec)", ec);
          typename socket_base::send_buffer_size snd;
          s.get_option(snd, ec);
          rec.completion("send_buffer_size >= requested: " + yes_no(snd.value() >= size), ec);
        }
        s.set_option(typename socket_base::linger(true, 7));
        typename socket_base::linger linger;
        s.get_option(linger);
        rec.record("linger enabled: " + yes_no(linger.enabled()) +
                   ", timeout: " + std::to_string(linger.timeout()));
        rec.record("non_blocking by default: " + yes_no(s.non_blocking()));
        s.non_blocking(true);
        rec.record("non_blocking after set: " + yes_no(s.non_blocking()));
        char buf[8];
        s.read_some(B::buffer(buf), ec);
        rec.completion("non-blocking read_some with nothing to read", ec);
        s.non_blocking(false);
        rec.record("non_blocking after reset: " + yes_no(s.non_blocking()));
        s.close();
        typename B::tcp::no_delay no_delay;
        s.get_option(no_delay, ec);
        rec.completion("get_option on a closed socket", ec);
      },
      expect_outcomes(ElementsAre(
          "no_delay set yes, reads yes", "no_delay set no, reads no",
          "keep_alive set yes, reads yes", "keep_alive set no, reads no",
          "reuse_address set yes, reads yes", "reuse_address set no, reads no",
          "acceptor reuse_address by default: yes", "receive_buffer_size >= requested: yes",
          "set_option(send_buffer_size, ec)", "send_buffer_size >= requested: yes",
          "receive_buffer_size >= requested: yes", "set_option(send_buffer_size, ec)",
          "send_buffer_size >= requested: yes", "linger enabled: yes, timeout: 7",
          "non_blocking by default: no", "non_blocking after set: yes",
          "non-blocking read_some with nothing to read [EAGAIN]", "non_blocking after reset: no",
          "get_option on a closed socket [EBADF]")));
}

TYPED_TEST_P(Socket, EndpointsAgreeBetweenEnds) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> client(ctx), server(ctx), unconnected(ctx);
        client.connect(listener.local_endpoint());
        listener.accept(server);
        rec.record("server's peer is the client: " + yes_no(loopback::is_peer<B>(server, client)));
        rec.record("client's peer is the server: " + yes_no(loopback::is_peer<B>(client, server)));
        rec.record("server's port is the listener's: " +
                   yes_no(server.local_endpoint().port() == listener.local_endpoint().port()));
        rec.record("client's port differs: " +
                   yes_no(client.local_endpoint().port() != server.local_endpoint().port()));
        rec.record("client address: " + client.local_endpoint().address().to_string());
        rec.record("server address: " + server.local_endpoint().address().to_string());
        typename B::error_code ec;
        unconnected.open(B::tcp::v4());
        unconnected.remote_endpoint(ec);
        rec.completion("remote_endpoint of an unconnected socket", ec);
        unconnected.close();
        unconnected.local_endpoint(ec);
        rec.completion("local_endpoint of a closed socket", ec);
      },
      expect_outcomes(
          ElementsAre("server's peer is the client: yes", "client's peer is the server: yes",
                      "server's port is the listener's: yes", "client's port differs: yes",
                      "client address: 127.0.0.1", "server address: 127.0.0.1",
                      "remote_endpoint of an unconnected socket [ENOTCONN]",
                      "local_endpoint of a closed socket [EBADF]")));
}

// One 10-byte write is one segment: once 4 bytes have been read, the other 6
// are all in the receive queue.
TYPED_TEST_P(Socket, AvailableCountsUnreadBytes) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        rec.record("available before any write: " + std::to_string(p.client.available()));
        write(p.server, B::buffer(std::string("0123456789")));
        char buf[4];
        read(p.client, B::buffer(buf));
        rec.record("available after reading 4 of 10: " + std::to_string(p.client.available()));
        typename B::error_code ec;
        rec.completion("available(ec)", ec, p.client.available(ec));
        p.client.close();
        rec.completion("available(ec) on a closed socket", ec, p.client.available(ec));
      },
      expect_outcomes(ElementsAre("available before any write: 0",
                                  "available after reading 4 of 10: 6", "available(ec) 6B",
                                  "available(ec) on a closed socket [EBADF]")));
}

// shutdown(send) ends one direction: the peer reads eof, this end can no
// longer write (EPIPE, no SIGPIPE), and the other direction still works.
TYPED_TEST_P(Socket, HalfCloseWithShutdownSend) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        p.client.shutdown(B::socket_base::shutdown_send);
        typename B::error_code ec;
        const std::size_t n = p.client.write_some(B::buffer(std::string("late")), ec);
        rec.completion("write_some(ec) after shutdown(send)", ec, n);
        record_throwing<B>(rec, "write_some after shutdown(send)",
                           [&] { return p.client.write_some(B::buffer(std::string("late"))); });
        const std::string reply = "still here";
        char sbuf[16], cbuf[10];
        p.server.async_read_some(B::buffer(sbuf), [&](const auto& ec, std::size_t n) {
          rec.completion("server read_some", ec, n);
          async_write(p.server, B::buffer(reply), recording(rec, "server async_write"));
          async_read(p.client, B::buffer(cbuf), [&](const auto& ec, std::size_t n) {
            rec.completion("client async_read", ec, n);
            rec.record("client read: " + text(cbuf, n));
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("write_some(ec) after shutdown(send) [EPIPE]",
                                  "write_some after shutdown(send) threw [EPIPE]",
                                  "server read_some [eof]", "server async_write 10B",
                                  "client async_read 10B", "client read: still here")));
}

}  // namespace conformance::socket
