// Socket scenarios: the asynchronous read/write family — read_some and
// write_some, exact reads through many small writes, completion conditions,
// end of stream, a reset, 64 MiB written to a slow reader, and
// async_read_until with a delimiter split across reads, a string delimiter
// keeping what follows the line, and a limited buffer that fills.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// The read is started first and waits in the reactor; the write completes
// at once (speculatively), so its handler runs first.
TYPED_TEST_P(Socket, ReadSomeWriteSomeSmallMessage) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string message = "hello";
        char buf[64];
        p.server.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          rec.record("read: " + text(buf, n));
        });
        p.client.async_write_some(B::buffer(message), recording(rec, "write_some"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("write_some 5B", "read_some 5B", "read: hello")));
}

// 64 writes of 16 bytes (each started by the previous one's handler) make
// one async_read of 1024 bytes: it completes once, with every byte in order.
TYPED_TEST_P(Socket, ReadExactlyThroughManySmallWrites) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t chunks = 64, chunk = 16, total = chunks * chunk;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string data = loopback::pattern(total);
        std::string received(total, '\0');
        outcome read;
        std::size_t writes = 0;
        std::function<void()> write_next = [&] {
          async_write(p.server, B::buffer(data.data() + writes * chunk, chunk),
                      [&](const auto& ec, std::size_t) {
                        if (!ec && ++writes < chunks) write_next();
                      });
        };
        async_read(p.client, B::buffer(received.data(), received.size()), into(read));
        write_next();
        ctx.run();
        record(rec, "read", read);
        rec.record("writes completed: " + std::to_string(writes));
        rec.record("data intact: " + yes_no(received == data));
      },
      expect_outcomes(ElementsAre("read 1024B", "writes completed: 64", "data intact: yes")));
}

// 100 bytes in one segment: transfer_exactly(60) takes 60 although the
// buffer holds 4096, then transfer_at_least(10) takes all 40 that are there.
TYPED_TEST_P(Socket, TransferExactlyAndAtLeast) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(loopback::pattern(100)));
        std::string buf(4096, '\0');
        async_read(p.client, B::buffer(buf), B::transfer_exactly(60),
                   [&](const auto& ec, std::size_t n) {
                     rec.completion("transfer_exactly(60)", ec, n);
                     async_read(p.client, B::buffer(buf), B::transfer_at_least(10),
                                recording(rec, "transfer_at_least(10)"));
                   });
        ctx.run();
      },
      expect_outcomes(ElementsAre("transfer_exactly(60) 60B", "transfer_at_least(10) 40B")));
}

// The peer wrote 3 bytes and closed: read_some gets them, then eof; a
// composed async_read reports eof with the bytes it did get.
TYPED_TEST_P(Socket, EofWhenPeerCloses) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        auto q = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("bye")));
        p.server.close();
        write(q.server, B::buffer(std::string("bye")));
        q.server.close();
        char buf[64];
        p.client.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          p.client.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
            rec.completion("read_some", ec, n);
            async_read(q.client, B::buffer(buf), recording(rec, "async_read of 64"));
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("read_some 3B", "read_some [eof]", "async_read of 64 [eof] 3B")));
}

// Two reads wait in the reactor, one behind the other, when the peer
// writes 3 bytes and closes: the first gets the bytes (fewer than it asked
// for), the second eof. Readiness and the FIN arrive together, so a reactor
// that took the short read as "buffer drained, wait for the next edge"
// would leave the second read waiting for an edge that never comes.
TYPED_TEST_P(Socket, QueuedReadsGetTheBytesThenEofWhenPeerCloses) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        char first[64], second[64];
        outcome a, b;
        p.client.async_read_some(B::buffer(first), into(a));
        p.client.async_read_some(B::buffer(second), into(b));
        write(p.server, B::buffer(std::string("bye")));
        p.server.close();
        ctx.run();
        record(rec, "first read_some", a);
        rec.record("first got: " + text(first, a.bytes));
        record(rec, "second read_some", b);
      },
      expect_outcomes(
          ElementsAre("first read_some 3B", "first got: bye", "second read_some [eof]")));
}

// linger(true, 0) makes close() send a reset instead of a FIN.
TYPED_TEST_P(Socket, ResetOnAbortiveClose) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        p.server.set_option(typename B::socket_base::linger(true, 0));
        p.server.close();
        char buf[64];
        p.client.async_read_some(B::buffer(buf), recording(rec, "read_some"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("read_some [ECONNRESET]")));
}

// 64 MiB in one async_write, read 4 KiB at a time by a chain that posts each
// next read: the writer must wait for buffer space (EAGAIN, then EPOLLOUT)
// many times, and every byte must arrive once, in order.
TYPED_TEST_P(Socket, LargeWriteToSlowReaderDeliversEveryByte) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t size = std::size_t{64} << 20;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string data = loopback::pattern(size);
        std::vector<char> chunk(4096);
        std::size_t received = 0, mismatched = 0;
        outcome wrote, read_error;
        std::function<void()> read_next = [&] {
          p.client.async_read_some(B::buffer(chunk), [&](const auto& ec, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i)
              mismatched += chunk[i] != loopback::pattern_byte(received + i);
            received += n;
            if (ec)
              into(read_error)(ec, n);
            else if (received < size)
              post(ctx, read_next);
          });
        };
        async_write(p.server, B::buffer(data), into(wrote));
        read_next();
        ctx.run();
        record(rec, "async_write", wrote);
        rec.record("bytes received: " + std::to_string(received));
        rec.record("bytes out of place: " + std::to_string(mismatched));
        rec.record("read error: " + (read_error.done ? read_error.error : "none"));
      },
      expect_outcomes(ElementsAre("async_write 67108864B", "bytes received: 67108864",
                                  "bytes out of place: 0", "read error: none")));
}

// "hello\r" is taken off the socket before "\nworld" is sent, so the "\r\n"
// delimiter is split across two reads; the match still ends after "\n".
TYPED_TEST_P(Socket, ReadUntilDelimiterSplitAcrossWrites) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        std::string inbox;
        outcome until;
        write(p.server, B::buffer(std::string("hello\r")));
        wait_until([&] { return p.client.available() >= 6; });
        async_read_until(p.client, B::dynamic_buffer(inbox), "\r\n", into(until));
        // Polls until the read has taken "hello\r" off the socket.
        wait_until([&] {
          if (p.client.available() == 0) return true;
          ctx.poll();
          return false;
        });
        rec.record("first part consumed before the second was sent: " +
                   yes_no(p.client.available() == 0 && !until.done));
        write(p.server, B::buffer(std::string("\nworld")));
        ctx.run();
        record(rec, "read_until", until);
        rec.record("line: " + yes_no(inbox.substr(0, until.bytes) == "hello\r\n"));
        rec.record("after the line: " + inbox.substr(std::min(until.bytes, inbox.size())));
      },
      expect_outcomes(ElementsAre("first part consumed before the second was sent: yes",
                                  "read_until 7B", "line: yes", "after the line: world")));
}

// A string delimiter with a streambuf: the first read takes the whole
// segment; the second line is found in the buffer without more input, and
// what follows it stays there.
TYPED_TEST_P(Socket, ReadUntilStringDelimiterKeepsExtraData) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("first\r\nsecond\r\nthi")));
        typename B::streambuf sb;
        std::istream in(&sb);
        auto take = [&](std::size_t n) {
          std::string line(n, '\0');
          in.read(line.data(), static_cast<std::streamsize>(n));
          return line.substr(0, line.find("\r\n"));
        };
        async_read_until(p.client, sb, "\r\n", [&](const auto& ec, std::size_t n) {
          rec.completion("read_until", ec, n);
          rec.record("line: " + take(n));
          async_read_until(p.client, sb, "\r\n", [&](const auto& ec, std::size_t n) {
            rec.completion("read_until", ec, n);
            rec.record("line: " + take(n));
            rec.record("left in the streambuf: " + std::to_string(sb.size()));
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("read_until 7B", "line: first", "read_until 8B", "line: second",
                                  "left in the streambuf: 3")));
}

// A dynamic buffer limited to 8 bytes fills up without a delimiter:
// not_found, 0 bytes, and the 8 bytes stay in the buffer.
TYPED_TEST_P(Socket, ReadUntilNotFoundWhenBufferFull) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("0123456789abcdef")));
        std::string inbox;
        async_read_until(p.client, B::dynamic_buffer(inbox, 8), '\n', recording(rec, "read_until"));
        ctx.run();
        rec.record("buffer: " + inbox);
      },
      expect_outcomes(ElementsAre("read_until [not_found]", "buffer: 01234567")));
}

}  // namespace conformance::socket
