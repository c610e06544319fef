// Descriptor scenarios: local stream sockets — an echo through an acceptor
// on a filesystem path, what each end's endpoints report (bound, unbound,
// abstract), connecting where nobody listens, binding a path in use, end of
// stream and a broken pipe when the peer closes, and connect_pair.
#pragma once

#include <cstddef>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/fault_injection.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/descriptor/suite.hpp"

namespace conformance::descriptor {

// async_accept and async_connect on a path, then a message there and back.
// The two ends run side by side, so what each operation reported is kept
// until run() returns.
TYPED_TEST_P(Descriptor, LocalEchoThroughAPath) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        socket_path path("echo");
        typename B::io_context ctx;
        local_acceptor<B> acceptor(ctx, local_endpoint<B>(path.str()));
        local_socket<B> server(ctx), client(ctx);
        char at_server[16], at_client[16];
        const std::string ping = "ping";
        outcome accepted, connected, server_read, echoed, sent, client_read;
        acceptor.async_accept(server, [&](const auto& ec) {
          into(accepted)(ec);
          server.async_read_some(B::buffer(at_server), [&](const auto& ec, std::size_t n) {
            into(server_read)(ec, n);
            async_write(server, B::buffer(at_server, n), into(echoed));
          });
        });
        client.async_connect(local_endpoint<B>(path.str()), [&](const auto& ec) {
          into(connected)(ec);
          async_write(client, B::buffer(ping), into(sent));
          async_read(client, B::buffer(at_client, 4), into(client_read));
        });
        ctx.run();
        record(rec, "accept", accepted);
        record(rec, "connect", connected);
        record(rec, "client write", sent);
        record(rec, "server read_some", server_read);
        record(rec, "server echo", echoed);
        record(rec, "client read", client_read);
        rec.record("echoed: " + text(at_client, client_read.bytes));
      },
      expect_outcomes(ElementsAre("accept", "connect", "client write 4B", "server read_some 4B",
                                  "server echo 4B", "client read 4B", "echoed: ping")));
}

// The acceptor and the accepted end report the path; the client, never
// bound, reports an empty path, and so does the server's remote end.
TYPED_TEST_P(Descriptor, EndpointsOfBothEndsOfAPathConnection) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        socket_path path("endpoints");
        typename B::io_context ctx;
        auto p = connected_local_pair<B>(ctx, path.str());
        rec.record("acceptor local: " + path_as(p.acceptor.local_endpoint().path(), path.str()));
        rec.record("server local: " + path_as(p.server.local_endpoint().path(), path.str()));
        rec.record("server remote: " + path_as(p.server.remote_endpoint().path(), path.str()));
        rec.record("client local: " + path_as(p.client.local_endpoint().path(), path.str()));
        rec.record("client remote: " + path_as(p.client.remote_endpoint().path(), path.str()));
        rec.record("endpoint round trip: " +
                   path_as(local_endpoint<B>(path.str()).path(), path.str()));
      },
      expect_outcomes(ElementsAre("acceptor local: the path", "server local: the path",
                                  "server remote: empty", "client local: empty",
                                  "client remote: the path", "endpoint round trip: the path")));
}

// A name in the abstract namespace (a leading NUL) works as a path does,
// and endpoints report it with its NUL; no file is made.
TYPED_TEST_P(Descriptor, AbstractNamespaceEndpoint) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        const std::string name = abstract_name("abstract");
        typename B::io_context ctx;
        auto p = connected_local_pair<B>(ctx, name);
        rec.record("server local: " + path_as(p.server.local_endpoint().path(), name));
        rec.record("client remote: " + path_as(p.client.remote_endpoint().path(), name));
        write(p.client, B::buffer(std::string("hi")));
        rec.record("server read: " + read_once<B>(p.server));
        rec.record("file made: " + yes_no(::access(name.c_str() + 1, F_OK) == 0));
      },
      expect_outcomes(ElementsAre("server local: the path", "client remote: the path",
                                  "server read: hi", "file made: no")));
}

// A connect to a path with no file fails at once; to a path bound by a
// socket that does not listen, it is refused.
TYPED_TEST_P(Descriptor, ConnectWhereNobodyListens) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        socket_path missing("missing"), bound("not-listening");
        typename B::io_context ctx;
        local_socket<B> holder(ctx, local_endpoint<B>(bound.str()));
        local_socket<B> first(ctx), second(ctx);
        first.async_connect(local_endpoint<B>(missing.str()), [&](const auto& ec) {
          rec.completion("connect to a missing path", ec);
          second.async_connect(local_endpoint<B>(bound.str()),
                               recording(rec, "connect to a bound, not listening path"));
        });
        ctx.run();
        local_socket<B> third(ctx);
        typename B::error_code ec;
        third.connect(local_endpoint<B>(missing.str()), ec);
        rec.completion("sync connect to a missing path", ec);
      },
      expect_outcomes(ElementsAre("connect to a missing path [ENOENT]",
                                  "connect to a bound, not listening path [ECONNREFUSED]",
                                  "sync connect to a missing path [ENOENT]")));
}

// Binding a path that already exists (a listening socket's, or a leftover
// file) fails with address_in_use.
TYPED_TEST_P(Descriptor, BindToAnExistingPathIsAddressInUse) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        socket_path path("in-use");
        typename B::io_context ctx;
        typename B::error_code ec;
        {
          local_acceptor<B> first(ctx, local_endpoint<B>(path.str()));
          local_acceptor<B> second(ctx);
          second.open(typename B::local_stream());
          second.bind(local_endpoint<B>(path.str()), ec);
          rec.completion("bind while the first listens", ec);
        }
        local_acceptor<B> third(ctx);
        third.open(typename B::local_stream());
        third.bind(local_endpoint<B>(path.str()), ec);
        rec.completion("bind after the first closed, file left", ec);
      },
      expect_outcomes(ElementsAre("bind while the first listens [EADDRINUSE]",
                                  "bind after the first closed, file left [EADDRINUSE]")));
}

// The peer wrote and closed: a read gets the bytes, then eof; a write then
// fails with a broken pipe, and no SIGPIPE is raised.
TYPED_TEST_P(Descriptor, PeerCloseGivesEofThenBrokenPipe) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        fault::sigpipe_counter sigpipes;
        typename B::io_context ctx;
        auto [a, b] = connected_by_pair<B>(ctx);
        write(b, B::buffer(std::string("bye")));
        b.close();
        char buf[16];
        const std::string more = "x";
        a.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          a.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
            rec.completion("read_some", ec, n);
            a.async_write_some(B::buffer(more), recording(rec, "write_some"));
          });
        });
        ctx.run();
        rec.record("SIGPIPE raised: " + std::to_string(sigpipes.count()));
      },
      expect_outcomes(ElementsAre("read_some 3B", "read_some [eof]", "write_some [EPIPE]",
                                  "SIGPIPE raised: 0")));
}

// connect_pair connects two sockets to each other: bytes go both ways,
// available() counts what is unread, and shutdown(send) on one end is eof
// at the other, which can still send.
TYPED_TEST_P(Descriptor, ConnectPairConnectsBothWays) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_by_pair<B>(ctx);
        rec.record("both open: " + yes_no(a.is_open() && b.is_open()));
        write(a, B::buffer(std::string("hello")));
        rec.record("b available: " + std::to_string(b.available()));
        char buf[16];
        rec.record("b read: " + read_once<B>(b));
        a.shutdown(B::socket_base::shutdown_send);
        const std::string back = "back";
        b.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("b read after a's shutdown(send)", ec, n);
          async_write(b, B::buffer(back), [&](const auto& ec, std::size_t n) {
            rec.completion("b write", ec, n);
            async_read(a, B::buffer(buf, 4), [&](const auto& ec, std::size_t n) {
              rec.completion("a read", ec, n);
              rec.record("a got: " + text(buf, n));
            });
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("both open: yes", "b available: 5", "b read: hello",
                                  "b read after a's shutdown(send) [eof]", "b write 4B",
                                  "a read 4B", "a got: back")));
}

// connect_pair with an end already open fails with already_open and leaves
// the sockets as they were.
TYPED_TEST_P(Descriptor, ConnectPairOnAnOpenSocketFails) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        local_socket<B> a(ctx), b(ctx), c(ctx);
        a.open(typename B::local_stream());
        typename B::error_code ec;
        connect_pair(a, b, ec);
        rec.completion("connect_pair(open, closed)", ec);
        rec.record("a open: " + yes_no(a.is_open()) + ", b open: " + yes_no(b.is_open()));
        connect_pair(c, a, ec);
        rec.completion("connect_pair(closed, open)", ec);
        rec.record("c open: " + yes_no(c.is_open()) + ", a open: " + yes_no(a.is_open()));
      },
      expect_outcomes(
          ElementsAre("connect_pair(open, closed) [already_open]", "a open: yes, b open: no",
                      "connect_pair(closed, open) [already_open]", "c open: no, a open: yes")));
}

}  // namespace conformance::descriptor
