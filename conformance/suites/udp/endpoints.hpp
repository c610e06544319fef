// Udp scenarios: endpoints, addresses and options — a socket that sends to
// itself, an IPv6 socket hearing IPv4 senders as v4-mapped addresses,
// destinations of the wrong family, async_connect of a datagram socket,
// socket options read back, and local sockets with names the kernel
// chose (autobind) or abstract names.
#pragma once

#include <string>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/local.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

// A socket sending to its own endpoint receives the datagram, from itself;
// the send (complete at once) is reported before the receive pending in
// the reactor.
TYPED_TEST_P(Udp, ASocketCanTalkToItself) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s = bound<B>(ctx);
        char buffer[16];
        endpoint<B> from;
        s.async_receive_from(B::buffer(buffer), from, recording_text(rec, "receive", buffer));
        s.async_send_to(B::buffer(std::string("me")), s.local_endpoint(), recording(rec, "send"));
        ctx.run();
        rec.record("from itself: " + yes_no(from == s.local_endpoint()));
      },
      expect_outcomes(ElementsAre("send 2B", "receive: \"me\" 2B", "from itself: yes")));
}

// An IPv6 socket bound to the IPv6 "any" address also hears IPv4: a
// datagram from 127.0.0.1 comes from the v4-mapped ::ffff:127.0.0.1.
TYPED_TEST_P(Udp, AnIPv6SocketHearsIPv4AsMapped) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        socket<B> receiver(ctx, endpoint<B>(B::udp::v6(), 0));
        auto sender = bound<B>(ctx);
        sender.send_to(B::buffer(std::string("four")), local<B>(receiver.local_endpoint().port()));
        char buffer[16];
        endpoint<B> from;
        const std::size_t n = receiver.receive_from(B::buffer(buffer), from);
        rec.record(
            "received \"" + text(buffer, n) + "\" from " + from.address().to_string() +
                ", the sender's port: " + yes_no(from.port() == sender.local_endpoint().port()),
            "", n);
        rec.record("v4-mapped: " +
                   yes_no(from.address().is_v6() && from.address().to_v6().is_v4_mapped()));
        rec.record("protocol is v6: " + yes_no(from.protocol() == B::udp::v6()));
      },
      expect_outcomes(
          ElementsAre("received \"four\" from ::ffff:127.0.0.1, the sender's port: yes 4B",
                      "v4-mapped: yes", "protocol is v6: yes")));
}

// An IPv4 socket cannot send to an IPv6 address (address_family_not_
// supported); an IPv6 socket can send to an IPv4 one.
TYPED_TEST_P(Udp, DestinationsOfTheOtherFamily) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto v4 = bound<B>(ctx);
        socket<B> v6(ctx, endpoint<B>(B::udp::v6(), 0));
        const std::string data = "cross";
        typename B::error_code ec;
        std::size_t n =
            v4.send_to(B::buffer(data),
                       endpoint<B>(B::make_address("::1"), v6.local_endpoint().port()), 0, ec);
        rec.completion("IPv4 socket send_to ::1", ec, n);
        n = v6.send_to(B::buffer(data), v4.local_endpoint(), 0, ec);
        rec.completion("IPv6 socket send_to 127.0.0.1", ec, n);
        char buffer[16];
        receive_text<B>(rec, v4, "IPv4 socket received", buffer);
      },
      expect_outcomes(ElementsAre("IPv4 socket send_to ::1 [EAFNOSUPPORT]",
                                  "IPv6 socket send_to 127.0.0.1 5B",
                                  "IPv4 socket received: \"cross\" 5B")));
}

// async_connect opens a socket that is not open, and connecting a datagram
// socket needs no answer: it completes with success even to a port with no
// socket, and the refusal comes with the next receive.
TYPED_TEST_P(Udp, AsyncConnectOpensAndNeedsNoPeer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const unused_port<B> unused(ctx);
        socket<B> s(ctx);
        char buffer[16];
        s.async_connect(local<B>(unused.port()), [&](const auto& ec) {
          rec.completion("async_connect", ec);
          rec.record("open: " + yes_no(s.is_open()) +
                     ", remote_endpoint: " + yes_no(s.remote_endpoint().port() == unused.port()));
          s.send(B::buffer(std::string("hello?")));
          s.async_receive(B::buffer(buffer), recording(rec, "async_receive"));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("async_connect", "open: yes, remote_endpoint: yes",
                                  "async_receive [ECONNREFUSED]")));
}

// Socket options set on a UDP socket read back as set — a buffer size too:
// Linux doubles the size asked for (its bookkeeping), and Asio halves what
// getsockopt reports, for buffer sizes only, so 8192 reads back as 8192.
TYPED_TEST_P(Udp, OptionsReadBackAsSet) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s = bound<B>(ctx);
        using base = typename B::socket_base;
        typename base::broadcast broadcast;
        s.get_option(broadcast);
        rec.record("broadcast: " + yes_no(broadcast.value()));
        s.set_option(typename base::broadcast(true));
        s.get_option(broadcast);
        rec.record("broadcast after set: " + yes_no(broadcast.value()));
        typename base::reuse_address reuse;
        s.get_option(reuse);
        rec.record("reuse_address: " + yes_no(reuse.value()));
        s.set_option(typename base::receive_buffer_size(8192));
        typename base::receive_buffer_size size;
        s.get_option(size);
        rec.record("receive_buffer_size after asking 8192: " + std::to_string(size.value()));
      },
      expect_outcomes(ElementsAre("broadcast: no", "broadcast after set: yes", "reuse_address: no",
                                  "receive_buffer_size after asking 8192: 8192")));
}

// A local datagram socket bound to the empty endpoint gets a name from the
// kernel (autobind): an abstract one, a NUL and five hex digits; a
// receiver names the sender by it.
TYPED_TEST_P(Udp, LocalAutobindNamesTheSocket) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const socket_path receiver_path("autobind_receiver");
        local_socket<B> receiver(ctx, local_endpoint<B>(receiver_path.str()));
        local_socket<B> s(ctx, typename B::local_datagram());
        s.bind(local_endpoint<B>());
        const std::string name = s.local_endpoint().path();
        rec.record("name: " + std::to_string(name.size()) +
                   " bytes, abstract: " + yes_no(!name.empty() && name[0] == '\0'));
        s.send_to(B::buffer(std::string("auto")), receiver.local_endpoint());
        char buffer[16];
        local_endpoint<B> from;
        const std::size_t n = receiver.receive_from(B::buffer(buffer), from);
        rec.record("\"" + text(buffer, n) + "\" from that name: " + yes_no(from.path() == name), "",
                   n);
      },
      expect_outcomes(
          ElementsAre("name: 6 bytes, abstract: yes", "\"auto\" from that name: yes 4B")));
}

// A local datagram socket bound to an abstract name (a path whose first
// byte is NUL) is reached by it, leaves no file, and receive_from names an
// abstract sender by its full name.
TYPED_TEST_P(Udp, LocalAbstractNames) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const std::string tag = "asio_twin_udp_" + std::to_string(::getpid());
        const std::string receiver_name = std::string(1, '\0') + tag + "_receiver";
        const std::string sender_name = std::string(1, '\0') + tag + "_sender";
        local_socket<B> receiver(ctx, local_endpoint<B>(receiver_name));
        local_socket<B> sender(ctx, local_endpoint<B>(sender_name));
        rec.record("receiver's name kept: " +
                   yes_no(receiver.local_endpoint().path() == receiver_name));
        sender.send_to(B::buffer(std::string("abstract")), local_endpoint<B>(receiver_name));
        char buffer[16];
        local_endpoint<B> from;
        const std::size_t n = receiver.receive_from(B::buffer(buffer), from);
        rec.record("\"" + text(buffer, n) +
                       "\" from the sender's name: " + yes_no(from.path() == sender_name),
                   "", n);
      },
      expect_outcomes(
          ElementsAre("receiver's name kept: yes", "\"abstract\" from the sender's name: yes 8B")));
}

}  // namespace conformance::udp
