// Socket scenarios: every synchronous operation — connect (member and free),
// accept, read_some/write_some, read/write and read_until — in its throwing
// and its error_code form, with the errors each reports.
#pragma once

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

TYPED_TEST_P(Socket, SyncConnectBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        const auto open = listener.local_endpoint();
        const loopback::unused_port<B> unused(ctx);
        const auto closed = loopback::local<B>(unused.port());
        typename B::tcp::resolver resolver(ctx);
        const auto to_open = resolver.resolve("127.0.0.1", std::to_string(open.port()));
        const auto to_closed = resolver.resolve("127.0.0.1", std::to_string(closed.port()));
        std::vector<loopback::socket<B>> s;
        for (int i = 0; i < 8; ++i) s.emplace_back(ctx);
        typename B::error_code ec;
        record_throwing<B>(rec, "connect", [&] { s[0].connect(open); });
        s[1].connect(open, ec);
        rec.completion("connect(ec)", ec);
        record_throwing<B>(rec, "connect to a closed port", [&] { s[2].connect(closed); });
        s[3].connect(closed, ec);
        rec.completion("connect(ec) to a closed port", ec);
        record_throwing<B>(rec, "free connect", [&] {
          rec.record("free connect chose the listener: " + yes_no(connect(s[4], to_open) == open));
        });
        connect(s[5], to_open, ec);
        rec.completion("free connect(ec)", ec);
        record_throwing<B>(rec, "free connect to a closed port", [&] { connect(s[6], to_closed); });
        connect(s[7], to_closed, ec);
        rec.completion("free connect(ec) to a closed port", ec);
      },
      expect_outcomes(ElementsAre(
          "connect", "connect(ec)", "connect to a closed port threw [ECONNREFUSED]",
          "connect(ec) to a closed port [ECONNREFUSED]", "free connect chose the listener: yes",
          "free connect", "free connect(ec)", "free connect to a closed port threw [ECONNREFUSED]",
          "free connect(ec) to a closed port [ECONNREFUSED]")));
}

// Also: a non-blocking acceptor with nothing pending reports would_block
// (EAGAIN), and accepting into an open socket is already_open.
TYPED_TEST_P(Socket, SyncAcceptBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        const auto ep = listener.local_endpoint();
        loopback::socket<B> c1(ctx), c2(ctx), c3(ctx), s1(ctx), s2(ctx), s4(ctx);
        typename B::error_code ec;
        c1.connect(ep);
        record_throwing<B>(rec, "accept(socket)", [&] { listener.accept(s1); });
        rec.record("accepted the first client: " + yes_no(loopback::is_peer<B>(s1, c1)));
        c2.connect(ep);
        listener.accept(s2, ec);
        rec.completion("accept(socket, ec)", ec);
        rec.record("accepted the second client: " + yes_no(loopback::is_peer<B>(s2, c2)));
        c3.connect(ep);
        auto s3 = listener.accept();
        rec.record("accept() returned the third client: " + yes_no(loopback::is_peer<B>(s3, c3)));
        listener.non_blocking(true);
        listener.accept(s4, ec);
        rec.completion("non-blocking accept(socket, ec) with nothing pending", ec);
        record_throwing<B>(rec, "non-blocking accept(socket) with nothing pending",
                           [&] { listener.accept(s4); });
        listener.accept(s1, ec);
        rec.completion("accept(ec) into an open socket", ec);
      },
      expect_outcomes(ElementsAre("accept(socket)", "accepted the first client: yes",
                                  "accept(socket, ec)", "accepted the second client: yes",
                                  "accept() returned the third client: yes",
                                  "non-blocking accept(socket, ec) with nothing pending [EAGAIN]",
                                  "non-blocking accept(socket) with nothing pending threw [EAGAIN]",
                                  "accept(ec) into an open socket [already_open]")));
}

TYPED_TEST_P(Socket, SyncReadSomeWriteSomeBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        typename B::error_code ec;
        char buf[64];
        std::size_t n = 0;
        record_throwing<B>(rec, "write_some",
                           [&] { return p.server.write_some(B::buffer(std::string("hello"))); });
        record_throwing<B>(rec, "read_some",
                           [&] { return n = p.client.read_some(B::buffer(buf)); });
        rec.record("read: " + text(buf, n));
        n = p.server.write_some(B::buffer(std::string("world")), ec);
        rec.completion("write_some(ec)", ec, n);
        n = p.client.read_some(B::buffer(buf), ec);
        rec.completion("read_some(ec)", ec, n);
        rec.record("read: " + text(buf, n));
        p.server.close();
        record_throwing<B>(rec, "read_some after peer close",
                           [&] { return p.client.read_some(B::buffer(buf)); });
        n = p.client.read_some(B::buffer(buf), ec);
        rec.completion("read_some(ec) after peer close", ec, n);
      },
      expect_outcomes(ElementsAre("write_some 5B", "read_some 5B", "read: hello",
                                  "write_some(ec) 5B", "read_some(ec) 5B", "read: world",
                                  "read_some after peer close threw [eof]",
                                  "read_some(ec) after peer close [eof]")));
}

// The composed read and write: 1 MiB written by another thread (more than
// the socket buffers hold at first) and read whole; then eof, reported with
// the count of the bytes that did come.
TYPED_TEST_P(Socket, SyncReadWriteBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t size = 1 << 20;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string data = loopback::pattern(size);
        std::string received(size, '\0');
        std::string writer_result = "writer did not finish";
        std::thread writer([&] {
          try {
            writer_result = "writer wrote " + std::to_string(write(p.server, B::buffer(data)));
          } catch (const typename B::system_error& e) {
            writer_result = "writer threw " + error_name(e.code());
          }
        });
        record_throwing<B>(rec, "read 1 MiB", [&] { return read(p.client, B::buffer(received)); });
        writer.join();
        rec.record(writer_result);
        rec.record("data intact: " + yes_no(received == data));
        typename B::error_code ec;
        char buf[8];
        std::size_t n = write(p.client, B::buffer(std::string("tail")), ec);
        rec.completion("write(ec)", ec, n);
        n = read(p.server, B::buffer(buf, 4), ec);
        rec.completion("read(ec)", ec, n);
        write(p.server, B::buffer(std::string("abc")));
        p.server.close();
        n = read(p.client, B::buffer(buf), ec);
        rec.completion("read(ec) of 8 when 3 came before eof", ec, n);
        record_throwing<B>(rec, "read after eof", [&] { return read(p.client, B::buffer(buf)); });
      },
      expect_outcomes(ElementsAre("read 1 MiB 1048576B", "writer wrote 1048576", "data intact: yes",
                                  "write(ec) 4B", "read(ec) 4B",
                                  "read(ec) of 8 when 3 came before eof [eof] 3B",
                                  "read after eof threw [eof]")));
}

TYPED_TEST_P(Socket, SyncReadUntilBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("line one\nline two\n")));
        std::string inbox;
        typename B::error_code ec;
        record_throwing<B>(rec, "read_until('\\n')",
                           [&] { return read_until(p.client, B::dynamic_buffer(inbox), '\n'); });
        inbox.erase(0, inbox.find('\n') + 1);
        std::size_t n = read_until(p.client, B::dynamic_buffer(inbox), "\n", ec);
        rec.completion("read_until(\"\\n\", ec)", ec, n);
        inbox.erase(0, n);
        write(p.server, B::buffer(std::string("partial")));
        p.server.close();
        n = read_until(p.client, B::dynamic_buffer(inbox), '\n', ec);
        rec.completion("read_until(ec) at eof", ec, n);
        record_throwing<B>(rec, "read_until at eof",
                           [&] { return read_until(p.client, B::dynamic_buffer(inbox), '\n'); });
        rec.record("left in the buffer: " + inbox);
      },
      expect_outcomes(ElementsAre("read_until('\\n') 9B", "read_until(\"\\n\", ec) 9B",
                                  "read_until(ec) at eof [eof]", "read_until at eof threw [eof]",
                                  "left in the buffer: partial")));
}

}  // namespace conformance::socket
