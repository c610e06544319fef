// Socket scenarios: async_read_until — a "\r\n" delimiter split across two
// reads, a string delimiter with a streambuf keeping what follows the line,
// and not_found when a limited dynamic buffer fills without a delimiter.
#pragma once

#include <algorithm>
#include <cstddef>
#include <istream>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

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
