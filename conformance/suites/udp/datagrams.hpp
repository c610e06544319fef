// Udp scenarios: what a datagram is — whole, in order, from its sender;
// cut to a short buffer with the rest lost; zero bytes long; left queued by
// message_peek and counted by available(); heard by a connected socket only
// from its peer; and the same over IPv6 loopback.
#pragma once

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

// Datagrams arrive one per receive, whole and in the order they were sent,
// and receive_from names the socket that sent each one.
TYPED_TEST_P(Udp, DatagramsArriveWholeInOrderFromTheirSender) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto receiver = bound<B>(ctx);
        auto first = bound<B>(ctx);
        auto second = bound<B>(ctx);
        const auto to = receiver.local_endpoint();
        rec.record("send_to", "", first.send_to(B::buffer(std::string("one")), to));
        rec.record("send_to", "", second.send_to(B::buffer(std::string("two, longer")), to));
        rec.record("send_to", "", first.send_to(B::buffer(std::string("three")), to));
        for (int i = 0; i < 3; ++i) {
          char buffer[64];
          endpoint<B> sender;
          const std::size_t n = receiver.receive_from(B::buffer(buffer), sender);
          const char* who = sender == first.local_endpoint()    ? "first"
                            : sender == second.local_endpoint() ? "second"
                                                                : "someone else";
          rec.record("receive_from " + std::string(who) + ": \"" + text(buffer, n) + "\"", "", n);
        }
      },
      expect_outcomes(ElementsAre(
          "send_to 3B", "send_to 11B", "send_to 5B", "receive_from first: \"one\" 3B",
          "receive_from second: \"two, longer\" 11B", "receive_from first: \"three\" 5B")));
}

// A datagram longer than the buffer fills it and reports no error; the
// rest of it is lost: the next receive gets the next datagram. The same
// for the asynchronous receive.
TYPED_TEST_P(Udp, ALongDatagramIsCutToTheBuffer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        const auto to = receiver.local_endpoint();
        for (const char* message : {"0123456789", "next", "abcdefghij", "after"})
          sender.send_to(B::buffer(std::string(message)), to);
        char small[4];
        receive_text<B>(rec, receiver, "receive", small);
        char buffer[64];
        receive_text<B>(rec, receiver, "receive", buffer);
        async_receive_two<B>(rec, receiver, "async_receive", small, buffer);
        ctx.run();
      },
      expect_outcomes(ElementsAre("receive: \"0123\" 4B", "receive: \"next\" 4B",
                                  "async_receive: \"abcd\" 4B", "async_receive: \"after\" 5B")));
}

// A zero-length datagram is sent and received as one: 0 bytes and no
// error (no end of file, as a stream would report), synchronously and
// asynchronously; it is not merged into the next.
TYPED_TEST_P(Udp, AZeroLengthDatagramIsADatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        const auto to = receiver.local_endpoint();
        const std::string nothing;
        rec.record("send_to empty", "", sender.send_to(B::buffer(nothing), to));
        sender.async_send_to(B::buffer(nothing), to, recording(rec, "async_send_to empty"));
        ctx.run();
        sender.send_to(B::buffer(std::string("data")), to);
        char buffer[16];
        typename B::error_code ec;
        const std::size_t n = receiver.receive(B::buffer(buffer), 0, ec);
        rec.completion("receive", ec, n);
        async_receive_two<B>(rec, receiver, "async_receive", buffer, buffer);
        ctx.restart();
        ctx.run();
      },
      expect_outcomes(ElementsAre("send_to empty", "async_send_to empty", "receive",
                                  "async_receive: \"\"", "async_receive: \"data\" 4B")));
}

// message_peek copies the next datagram and leaves it queued: the next
// receive gets it again; available() counts the bytes of the next datagram
// only, not of all that are queued.
TYPED_TEST_P(Udp, PeekAndAvailableSeeTheNextDatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        rec.record("available before", "", receiver.available());
        sender.send_to(B::buffer(std::string("first")), receiver.local_endpoint());
        sender.send_to(B::buffer(std::string("second one")), receiver.local_endpoint());
        char buffer[64];
        const std::size_t peeked =
            receiver.receive(B::buffer(buffer), B::socket_base::message_peek);
        rec.record("peek: \"" + text(buffer, peeked) + "\"", "", peeked);
        rec.record("available", "", receiver.available());
        for (int i = 0; i < 2; ++i) receive_text<B>(rec, receiver, "receive", buffer);
      },
      expect_outcomes(ElementsAre("available before", "peek: \"first\" 5B", "available 5B",
                                  "receive: \"first\" 5B", "receive: \"second one\" 10B")));
}

// An asynchronous receive with message_peek completes with the datagram
// and leaves it queued, as the synchronous one does: the receive started
// from its handler gets the same datagram.
TYPED_TEST_P(Udp, AnAsyncPeekLeavesTheDatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        char peeked[16], taken[16];
        receiver.async_receive(B::buffer(peeked), B::socket_base::message_peek,
                               [&](const auto& ec, std::size_t bytes) {
                                 recording_text(rec, "async peek", peeked)(ec, bytes);
                                 receive_text<B>(rec, receiver, "receive", taken);
                               });
        post(ctx, [&] {
          rec.record("sending");
          sender.send_to(B::buffer(std::string("seen twice")), receiver.local_endpoint());
        });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("sending", "async peek: \"seen twice\" 10B", "receive: \"seen twice\" 10B")));
}

// connect() gives a UDP socket a default destination for send() and makes
// it hear only that peer: a datagram from another socket is dropped.
// remote_endpoint() names the peer, and fails with not_connected before.
TYPED_TEST_P(Udp, AConnectedSocketHearsOnlyItsPeer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto connected = bound<B>(ctx);
        auto peer = bound<B>(ctx);
        auto stranger = bound<B>(ctx);
        typename B::error_code ec;
        connected.remote_endpoint(ec);
        rec.completion("remote_endpoint before connect", ec);
        connected.connect(peer.local_endpoint());
        rec.record("remote_endpoint is the peer: " +
                   yes_no(connected.remote_endpoint() == peer.local_endpoint()));
        rec.record("send", "", connected.send(B::buffer(std::string("hello"))));
        char buffer[64];
        endpoint<B> sender;
        const std::size_t n = peer.receive_from(B::buffer(buffer), sender);
        rec.record("peer received \"" + text(buffer, n) + "\" from the connected socket: " +
                       yes_no(sender == connected.local_endpoint()),
                   "", n);
        stranger.send_to(B::buffer(std::string("stranger")), connected.local_endpoint());
        peer.send_to(B::buffer(std::string("peer")), connected.local_endpoint());
        receive_text<B>(rec, connected, "connected received", buffer);
      },
      expect_outcomes(ElementsAre("remote_endpoint before connect [ENOTCONN]",
                                  "remote_endpoint is the peer: yes", "send 5B",
                                  "peer received \"hello\" from the connected socket: yes 5B",
                                  "connected received: \"peer\" 4B")));
}

// Over IPv6 loopback (::1) the same: receive_from names the sender, an
// IPv6 endpoint.
TYPED_TEST_P(Udp, IPv6LoopbackCarriesDatagrams) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const endpoint<B> any_port(B::make_address("::1"), 0);
        socket<B> receiver(ctx, any_port), sender(ctx, any_port);
        rec.record("sender is IPv6: " + yes_no(sender.local_endpoint().address().is_v6()));
        sender.send_to(B::buffer(std::string("six")), receiver.local_endpoint());
        char buffer[16];
        endpoint<B> from;
        const std::size_t n = receiver.receive_from(B::buffer(buffer), from);
        rec.record("receive_from the sender: " + yes_no(from == sender.local_endpoint()) + " \"" +
                       text(buffer, n) + "\"",
                   "", n);
      },
      expect_outcomes(
          ElementsAre("sender is IPv6: yes", "receive_from the sender: yes \"six\" 3B")));
}

}  // namespace conformance::udp
