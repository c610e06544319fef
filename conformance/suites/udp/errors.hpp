// Udp scenarios: the errors — a connected socket learning that its peer's
// port is closed, a send with no destination, operations on a closed
// socket, binding a port already bound.
#pragma once

#include <string_view>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

// A connected socket's send to a port with no socket succeeds; the ICMP
// port-unreachable that comes back fails the next receive with
// connection_refused, once — the one after it waits for a datagram again.
TYPED_TEST_P(Udp, AClosedPortRefusesTheNextReceive) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const unused_port<B> unused(ctx);
        auto [s, peer] = bound_pair<B>(ctx);
        s.connect(local<B>(unused.port()));
        rec.record("send", "", s.send(B::buffer(std::string("anyone?"))));
        char buffer[16];
        typename B::error_code ec;
        const std::size_t n = s.receive(B::buffer(buffer), 0, ec);
        rec.completion("receive", ec, n);
        // Now connected to a live peer: the error was taken, the next
        // receive gets the peer's datagram.
        s.connect(peer.local_endpoint());
        peer.send_to(B::buffer(std::string("here")), s.local_endpoint());
        receive_text<B>(rec, s, "receive after", buffer);
      },
      expect_outcomes(
          ElementsAre("send 7B", "receive [ECONNREFUSED]", "receive after: \"here\" 4B")));
}

// The same refusal completes an async_receive pending when it arrives.
TYPED_TEST_P(Udp, AClosedPortRefusesAPendingReceive) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const unused_port<B> unused(ctx);
        auto s = connected_to<B>(ctx, unused.port());
        char buffer[16];
        s.async_receive(B::buffer(buffer), recording(rec, "async_receive"));
        s.async_send(B::buffer(std::string("anyone?")), recording(rec, "async_send"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("async_send 7B", "async_receive [ECONNREFUSED]")));
}

// The refusal (a pending socket error) completes waits for reading and
// for an error condition, with success — the error goes to the operation
// that reads it: a receive after the waits fails with connection_refused.
// Asio's epoll reactor runs a descriptor's operations on an error in the
// order except (wait_error), write, read. On asio_uring each wait is a
// poll of its own, completed in the order the kernel wakes them (the same
// order, on every run seen; not required).
TYPED_TEST_P(Udp, ARefusalCompletesReadAndErrorWaits) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const unused_port<B> unused(ctx);
        auto s = connected_to<B>(ctx, unused.port());
        s.async_wait(B::socket_base::wait_read, recording(rec, "wait_read"));
        s.async_wait(B::socket_base::wait_error, recording(rec, "wait_error"));
        post(ctx, [&] {
          rec.record("sending");
          s.send(B::buffer(std::string("anyone?")));
        });
        ctx.run();
        char buffer[16];
        receive_text<B>(rec, s, "receive", buffer);
      },
      [](const trace& t, std::string_view backend) {
        if (backend == "asio_uring")
          EXPECT_THAT(outcomes(t), UnorderedElementsAre("sending", "wait_read", "wait_error",
                                                        "receive: \"\" [ECONNREFUSED]"));
        else
          EXPECT_THAT(outcomes(t), ElementsAre("sending", "wait_error", "wait_read",
                                               "receive: \"\" [ECONNREFUSED]"));
      });
}

// send() on a socket that is neither connected nor given a destination
// fails with destination_address_required (EDESTADDRREQ), synchronously
// and asynchronously.
TYPED_TEST_P(Udp, SendWithoutADestinationFails) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s = bound<B>(ctx);
        const std::string data = "lost";
        typename B::error_code ec;
        const std::size_t n = s.send(B::buffer(data), 0, ec);
        rec.completion("send", ec, n);
        record_throwing<B>(rec, "send", [&] { return s.send(B::buffer(data)); });
        s.async_send(B::buffer(data), recording(rec, "async_send"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("send [EDESTADDRREQ]", "send threw [EDESTADDRREQ]",
                                  "async_send [EDESTADDRREQ]")));
}

// Every operation of a closed socket fails with bad_descriptor; the
// asynchronous ones through their handlers.
TYPED_TEST_P(Udp, AClosedSocketIsABadDescriptor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s = bound<B>(ctx);
        const auto to = s.local_endpoint();
        s.close();
        record_failing_receives<B>(rec, s);
        char buffer[16];
        endpoint<B> from;
        typename B::error_code ec;
        const std::size_t n = s.send_to(B::buffer(std::string("x")), to, 0, ec);
        rec.completion("send_to", ec, n);
        s.available(ec);
        rec.completion("available", ec);
        s.async_receive(B::buffer(buffer), recording(rec, "async_receive"));
        s.async_receive_from(B::buffer(buffer), from, recording(rec, "async_receive_from"));
        s.async_send_to(B::buffer(std::string("x")), to, recording(rec, "async_send_to"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("receive [EBADF]", "receive_from [EBADF]", "send_to [EBADF]",
                                  "available [EBADF]", "async_receive [EBADF]",
                                  "async_receive_from [EBADF]", "async_send_to [EBADF]")));
}

// Binding a port another socket holds fails with address_in_use; with
// reuse_address on both sockets it is allowed (both then hold it).
TYPED_TEST_P(Udp, BindingAPortInUse) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto holder = bound<B>(ctx);
        const auto taken = holder.local_endpoint();
        socket<B> s(ctx, B::udp::v4());
        typename B::error_code ec;
        s.bind(taken, ec);
        rec.completion("bind", ec);
        record_throwing<B>(rec, "bind", [&] { s.bind(taken); });
        record_throwing<B>(rec, "construct bound", [&] { socket<B> t(ctx, taken); });
        socket<B> a(ctx, B::udp::v4()), b(ctx, B::udp::v4());
        a.set_option(typename B::socket_base::reuse_address(true));
        b.set_option(typename B::socket_base::reuse_address(true));
        a.bind(local<B>(0));
        b.bind(a.local_endpoint(), ec);
        rec.completion("bind with reuse_address", ec);
      },
      expect_outcomes(ElementsAre("bind [EADDRINUSE]", "bind threw [EADDRINUSE]",
                                  "construct bound threw [EADDRINUSE]",
                                  "bind with reuse_address")));
}

// An unconnected socket is not told that a port it sent to is closed: the
// ICMP error is dropped, and its next receive waits for a datagram.
TYPED_TEST_P(Udp, AnUnconnectedSocketIsNotToldOfAClosedPort) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const unused_port<B> unused(ctx);
        auto [s, peer] = bound_pair<B>(ctx);
        rec.record("send_to", "",
                   s.send_to(B::buffer(std::string("anyone?")), local<B>(unused.port())));
        // Sent after the refusal came back (loopback answers in order).
        s.send_to(B::buffer(std::string("ping")), peer.local_endpoint());
        char buffer[16];
        peer.receive(B::buffer(buffer));
        peer.send_to(B::buffer(std::string("pong")), s.local_endpoint());
        receive_text<B>(rec, s, "receive", buffer);
      },
      expect_outcomes(ElementsAre("send_to 7B", "receive: \"pong\" 4B")));
}

// A non-blocking socket with nothing queued reports would_block (EAGAIN)
// to a synchronous receive; an asynchronous one still waits for a
// datagram.
TYPED_TEST_P(Udp, ANonBlockingReceiveWouldBlock) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        receiver.non_blocking(true);
        record_failing_receives<B>(rec, receiver);
        char buffer[16];
        record_throwing<B>(rec, "receive", [&] { return receiver.receive(B::buffer(buffer)); });
        receiver.async_receive(B::buffer(buffer), recording_text(rec, "async_receive", buffer));
        post(ctx, [&] {
          rec.record("sending");
          sender.send_to(B::buffer(std::string("late")), receiver.local_endpoint());
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("receive [EAGAIN]", "receive_from [EAGAIN]",
                                  "receive threw [EAGAIN]", "sending",
                                  "async_receive: \"late\" 4B")));
}

// A socket that was never opened fails every operation with
// bad_descriptor, as a closed one does.
TYPED_TEST_P(Udp, ANeverOpenedSocketIsABadDescriptor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto peer = bound<B>(ctx);
        socket<B> s(ctx);
        rec.record("open: " + yes_no(s.is_open()));
        char buffer[16];
        typename B::error_code ec;
        std::size_t n = s.send_to(B::buffer(std::string("x")), peer.local_endpoint(), 0, ec);
        rec.completion("send_to", ec, n);
        n = s.receive(B::buffer(buffer), 0, ec);
        rec.completion("receive", ec, n);
        s.local_endpoint(ec);
        rec.completion("local_endpoint", ec);
        s.connect(peer.local_endpoint(), ec);
        rec.completion("connect", ec);
        rec.record("open after connect: " + yes_no(s.is_open()));
      },
      expect_outcomes(ElementsAre("open: no", "send_to [EBADF]", "receive [EBADF]",
                                  "local_endpoint [EBADF]", "connect", "open after connect: yes")));
}

// shutdown() of an unconnected UDP socket fails with not_connected; of a
// connected one it succeeds, and a send after shutdown_send fails with
// broken_pipe (EPIPE).
TYPED_TEST_P(Udp, ShutdownOfADatagramSocket) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [s, peer] = bound_pair<B>(ctx);
        typename B::error_code ec;
        s.shutdown(B::socket_base::shutdown_send, ec);
        rec.completion("shutdown unconnected", ec);
        s.connect(peer.local_endpoint());
        s.shutdown(B::socket_base::shutdown_send, ec);
        rec.completion("shutdown connected", ec);
        const std::size_t n = s.send(B::buffer(std::string("x")), 0, ec);
        rec.completion("send after shutdown", ec, n);
        s.async_send(B::buffer(std::string("x")), recording(rec, "async_send after shutdown"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("shutdown unconnected [ENOTCONN]", "shutdown connected",
                                  "send after shutdown [EPIPE]",
                                  "async_send after shutdown [EPIPE]")));
}

// Out-of-band data is TCP's: a UDP send with message_out_of_band fails
// with operation_not_supported (EOPNOTSUPP), synchronously and
// asynchronously. A receive with it is not refused: on a non-blocking
// socket with nothing queued it reports would_block, as any receive.
TYPED_TEST_P(Udp, OutOfBandIsNotForDatagrams) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [s, peer] = bound_pair<B>(ctx);
        const auto oob = B::socket_base::message_out_of_band;
        const std::string data = "urgent";
        typename B::error_code ec;
        std::size_t n = s.send_to(B::buffer(data), peer.local_endpoint(), oob, ec);
        rec.completion("send_to out of band", ec, n);
        s.async_send_to(B::buffer(data), peer.local_endpoint(), oob,
                        recording(rec, "async_send_to out of band"));
        ctx.run();
        peer.non_blocking(true);
        char buffer[16];
        n = peer.receive(B::buffer(buffer), oob, ec);
        rec.completion("receive out of band", ec, n);
      },
      expect_outcomes(ElementsAre("send_to out of band [EOPNOTSUPP]",
                                  "async_send_to out of band [EOPNOTSUPP]",
                                  "receive out of band [EAGAIN]")));
}

}  // namespace conformance::udp
