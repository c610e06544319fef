// Udp scenarios: buffers and sizes — a buffer sequence gathered into one
// datagram and one datagram scattered over a sequence; an empty buffer
// that still takes a whole datagram; a datagram too long for UDP; the
// older buffer names (const_buffers_1, mutable_buffers_1, buffer_cast).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

// send_to with a sequence of buffers sends one datagram holding them all;
// a receive into a sequence of buffers fills them in order from one
// datagram, and stops at its end.
TYPED_TEST_P(Udp, BufferSequencesMakeAndTakeOneDatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        const std::string head = "head-", tail = "tail";
        const std::array gathered{B::buffer(head), B::buffer(tail)};
        rec.record("send_to two buffers", "", sender.send_to(gathered, receiver.local_endpoint()));
        sender.send_to(B::buffer(std::string("next")), receiver.local_endpoint());
        char first[3], second[16];
        const std::array scattered{B::buffer(first), B::buffer(second)};
        const std::size_t n = receiver.receive(scattered);
        rec.record("receive into two buffers: \"" + text(first, n) + "\" + \"" +
                       text(second, n > 3 ? n - 3 : 0) + "\"",
                   "", n);
        receiver.async_receive(scattered, [&](const auto& ec, std::size_t bytes) {
          rec.completion("async_receive into two buffers: \"" + text(first, bytes) + "\" + \"" +
                             text(second, bytes > 3 ? bytes - 3 : 0) + "\"",
                         ec, bytes);
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("send_to two buffers 9B",
                                  "receive into two buffers: \"hea\" + \"d-tail\" 9B",
                                  "async_receive into two buffers: \"nex\" + \"t\" 4B")));
}

// Asio passes the kernel at most the first 64 buffers of a sequence
// (buffer_sequence_adapter's max_buffers), empty ones included: a send of
// 100 one-byte buffers sends 64 bytes; a send of 64 empty buffers and then
// "tail" sends an empty datagram, and a receive into 64 empty buffers and
// then a real one takes a datagram whole and reports 0 bytes.
TYPED_TEST_P(Udp, OnlyTheFirst64BuffersCount) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        const auto to = receiver.local_endpoint();
        const std::string bytes(100, 'b'), tail = "tail";
        std::vector<decltype(B::buffer(bytes))> hundred, empties_then_tail;
        for (std::size_t i = 0; i < 100; ++i) hundred.push_back(B::buffer(bytes.data() + i, 1));
        for (int i = 0; i < 64; ++i) empties_then_tail.push_back(B::buffer(tail.data(), 0));
        empties_then_tail.push_back(B::buffer(tail));
        rec.record("send_to 100 one-byte buffers", "", sender.send_to(hundred, to));
        rec.record("send_to 64 empty buffers and \"tail\"", "",
                   sender.send_to(empties_then_tail, to));
        sender.send_to(B::buffer(std::string("taken")), to);
        sender.send_to(B::buffer(std::string("next")), to);
        char in[128];
        for (int i = 0; i < 2; ++i) {
          const std::size_t n = receiver.receive(B::buffer(in));
          rec.record("receive", "", n);
        }
        std::vector<decltype(B::buffer(in))> empties_then_in;
        for (int i = 0; i < 64; ++i) empties_then_in.push_back(B::buffer(in, 0));
        empties_then_in.push_back(B::buffer(in));
        rec.record("receive into 64 empty buffers and one of 128 bytes", "",
                   receiver.receive(empties_then_in));
        receive_text<B>(rec, receiver, "receive", in);
      },
      expect_outcomes(ElementsAre("send_to 100 one-byte buffers 64B",
                                  "send_to 64 empty buffers and \"tail\"", "receive 64B", "receive",
                                  "receive into 64 empty buffers and one of 128 bytes",
                                  "receive: \"next\" 4B")));
}

// A receive into an empty buffer is not a no-op, as it is on a stream: it
// waits for a datagram and takes it whole, reporting 0 bytes — the next
// receive gets the next datagram. Synchronously and asynchronously.
TYPED_TEST_P(Udp, AnEmptyBufferStillTakesADatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        char buffer[16];
        receiver.async_receive(B::buffer(buffer, 0), [&](const auto& ec, std::size_t bytes) {
          rec.completion("async_receive into an empty buffer", ec, bytes);
          const std::size_t empty = receiver.receive(B::buffer(buffer, 0));
          rec.record("receive into an empty buffer", "", empty);
          receive_text<B>(rec, receiver, "receive", buffer);
        });
        post(ctx, [&] {
          rec.record("sending");
          for (const char* message : {"taken", "also taken", "kept"})
            sender.send_to(B::buffer(std::string(message)), receiver.local_endpoint());
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("sending", "async_receive into an empty buffer",
                                  "receive into an empty buffer", "receive: \"kept\" 4B")));
}

// A datagram longer than UDP over IPv4 can carry (65507 bytes of payload)
// is refused by the send with message_size (EMSGSIZE), synchronously and
// asynchronously; the longest one goes through whole.
TYPED_TEST_P(Udp, ADatagramTooLongForUdpIsRefused) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        receiver.set_option(typename B::socket_base::receive_buffer_size(256 * 1024));
        const auto to = receiver.local_endpoint();
        const std::string too_long(65508, 'x'), longest(65507, 'y');
        typename B::error_code ec;
        const std::size_t n = sender.send_to(B::buffer(too_long), to, 0, ec);
        rec.completion("send_to 65508 bytes", ec, n);
        sender.async_send_to(B::buffer(too_long), to, recording(rec, "async_send_to 65508 bytes"));
        ctx.run();
        rec.record("send_to 65507 bytes", "", sender.send_to(B::buffer(longest), to));
        std::string in(70000, '\0');
        const std::size_t m = receiver.receive(B::buffer(in));
        rec.record("received it whole: " + yes_no(in.substr(0, m) == longest), "", m);
      },
      expect_outcomes(ElementsAre("send_to 65508 bytes [EMSGSIZE]",
                                  "async_send_to 65508 bytes [EMSGSIZE]",
                                  "send_to 65507 bytes 65507B", "received it whole: yes 65507B")));
}

// The older names: a const_buffers_1 is sent as one datagram, a
// mutable_buffers_1 takes one (each is a buffer and a sequence of one), and
// buffer_cast reads the memory back through the buffer.
TYPED_TEST_P(Udp, OldBufferNamesCarryADatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        const std::string hello = "hello, old names";
        const typename B::const_buffers_1 out(hello.data(), 5);
        rec.record("const_buffers_1 of " + std::to_string(buffer_size(out)) +
                   " bytes, one element: " + yes_no(out.end() - out.begin() == 1));
        rec.record("send_to", "", sender.send_to(out, receiver.local_endpoint()));
        char storage[16] = {};
        const typename B::mutable_buffers_1 in(storage, sizeof storage);
        const std::size_t n = receiver.receive(in);
        const char* received = B::template buffer_cast<const char*>(in);
        rec.record("receive: \"" + std::string(received, n) +
                       "\" at the storage: " + yes_no(received == storage),
                   "", n);
        // Sent again, from the buffer at an offset (operator+ keeps a plain buffer).
        const typename B::const_buffers_1 tail(out + 3);
        sender.send_to(tail, receiver.local_endpoint());
        const std::size_t m = receiver.receive(typename B::mutable_buffers_1(in + 8));
        rec.record("tail received at offset 8: \"" +
                       std::string(B::template buffer_cast<char*>(in) + 8, m) + "\"",
                   "", m);
      },
      expect_outcomes(ElementsAre("const_buffers_1 of 5 bytes, one element: yes", "send_to 5B",
                                  "receive: \"hello\" at the storage: yes 5B",
                                  "tail received at offset 8: \"lo\" 2B")));
}

}  // namespace conformance::udp
