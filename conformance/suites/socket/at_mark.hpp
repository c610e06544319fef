// Socket scenarios: at_mark — where out-of-band data
// (socket_base::message_out_of_band) was sent, seen from the receiving end
// of a connected TCP pair; and on a socket that is closed.
#pragma once

#include <string>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// Records `label: yes/no` for s.at_mark(ec), with the error.
template <typename B, typename Socket>
void record_at_mark(recorder& rec, const Socket& s, const std::string& label) {
  typename B::error_code ec;
  const bool mark = s.at_mark(ec);
  rec.completion(label + ": " + yes_no(mark), ec);
}

// "ab" and then "!" out of band: once the urgent byte is there (a wait for
// an error condition sees it) the reader is not at the mark until it has
// read "ab" — a receive stops there — and is after; the urgent byte is
// read apart, with message_out_of_band, and the reader stays at the mark
// (nothing after it was read). Bytes sent after it and read move the
// reader past the mark; the writer is never at one.
TYPED_TEST_P(Socket, AtMarkFindsTheOutOfBandByte) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pair = connected_pair<B>(ctx);
        auto& reader = pair.server;
        record_at_mark<B>(rec, reader, "at_mark before any data");
        pair.client.send(B::buffer(std::string("ab")));
        pair.client.send(B::buffer(std::string("!")), B::socket_base::message_out_of_band);
        reader.wait(B::socket_base::wait_error);
        record_at_mark<B>(rec, reader, "at_mark with \"ab\" unread");
        char buffer[16];
        std::size_t n = reader.receive(B::buffer(buffer));
        rec.record("receive: \"" + text(buffer, n) + "\"", "", n);
        record_at_mark<B>(rec, reader, "at_mark after \"ab\"");
        n = reader.receive(B::buffer(buffer), B::socket_base::message_out_of_band);
        rec.record("receive out of band: \"" + text(buffer, n) + "\"", "", n);
        record_at_mark<B>(rec, reader, "at_mark after the urgent byte");
        pair.client.send(B::buffer(std::string("cd")));
        n = reader.receive(B::buffer(buffer));
        rec.record("receive: \"" + text(buffer, n) + "\"", "", n);
        record_at_mark<B>(rec, reader, "at_mark after \"cd\"");
        record_at_mark<B>(rec, pair.client, "writer at_mark");
      },
      expect_outcomes(ElementsAre("at_mark before any data: no", "at_mark with \"ab\" unread: no",
                                  "receive: \"ab\" 2B", "at_mark after \"ab\": yes",
                                  "receive out of band: \"!\" 1B",
                                  "at_mark after the urgent byte: yes", "receive: \"cd\" 2B",
                                  "at_mark after \"cd\": no", "writer at_mark: no")));
}

// A closed socket: bad_descriptor, from both forms.
TYPED_TEST_P(Socket, AtMarkOfAClosedSocket) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pair = connected_pair<B>(ctx);
        pair.server.close();
        record_at_mark<B>(rec, pair.server, "at_mark after close");
        typename B::tcp::socket never_opened(ctx);
        record_at_mark<B>(rec, never_opened, "at_mark never opened");
        try {
          rec.record("throwing at_mark: " + yes_no(never_opened.at_mark()));
        } catch (const typename B::system_error& e) {
          rec.completion("throwing at_mark threw", e.code());
        }
      },
      expect_outcomes(ElementsAre("at_mark after close: no [EBADF]",
                                  "at_mark never opened: no [EBADF]",
                                  "throwing at_mark threw [EBADF]")));
}

}  // namespace conformance::socket
