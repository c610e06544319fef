// Udp scenarios: operations left pending — receives completed by the
// datagrams that arrive later, in the order they were started; cancel(),
// close() and the socket's destruction aborting them; async_wait telling
// readiness without taking a datagram.
#pragma once

#include <optional>
#include <string_view>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

// A receive started before any datagram is sent waits for one; pending
// receives take the datagrams in the order they were started, and
// receive_from fills each one's sender.
TYPED_TEST_P(Udp, PendingReceivesTakeDatagramsInOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        char first[16], second[16];
        endpoint<B> from_first, from_second;
        receiver.async_receive_from(B::buffer(first), from_first,
                                    recording_text(rec, "first receive", first));
        receiver.async_receive_from(B::buffer(second), from_second,
                                    recording_text(rec, "second receive", second));
        post(ctx, [&] {
          rec.record("sending");
          sender.send_to(B::buffer(std::string("alpha")), receiver.local_endpoint());
          sender.send_to(B::buffer(std::string("beta")), receiver.local_endpoint());
        });
        ctx.run();
        rec.record("senders named: " + yes_no(from_first == sender.local_endpoint() &&
                                              from_second == sender.local_endpoint()));
      },
      expect_outcomes(ElementsAre("sending", "first receive: \"alpha\" 5B",
                                  "second receive: \"beta\" 4B", "senders named: yes")));
}

// cancel() completes every pending receive with operation_aborted, in the
// order they were started; a datagram sent later waits for the next
// receive. On asio_uring only the first operation of a socket is in the
// kernel (the others queue behind it in Asio): the queued ones are aborted
// at once, the first when the kernel reports its cancellation, so it comes
// last — every time.
TYPED_TEST_P(Udp, CancelAbortsPendingReceives) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        char buffer[16];
        endpoint<B> from;
        receiver.async_receive(B::buffer(buffer), recording(rec, "async_receive"));
        receiver.async_receive_from(B::buffer(buffer), from, recording(rec, "async_receive_from"));
        receiver.async_wait(B::socket_base::wait_read, recording(rec, "async_wait"));
        post(ctx, [&] {
          receiver.cancel();
          sender.send_to(B::buffer(std::string("later")), receiver.local_endpoint());
          receiver.async_receive(B::buffer(buffer), recording_text(rec, "next receive", buffer));
        });
        ctx.run();
      },
      [](const trace& t, std::string_view backend) {
        if (backend == "asio_uring")
          EXPECT_THAT(outcomes(t),
                      ElementsAre("async_receive_from [ECANCELED]", "async_wait [ECANCELED]",
                                  "async_receive [ECANCELED]", "next receive: \"later\" 5B"));
        else
          EXPECT_THAT(outcomes(t),
                      ElementsAre("async_receive [ECANCELED]", "async_receive_from [ECANCELED]",
                                  "async_wait [ECANCELED]", "next receive: \"later\" 5B"));
      });
}

// close() aborts the pending receives with operation_aborted too, and so
// does destroying the socket.
TYPED_TEST_P(Udp, CloseAndDestructionAbortPendingReceives) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto closed = bound<B>(ctx);
        std::optional<socket<B>> destroyed(bound<B>(ctx));
        char buffer[16];
        closed.async_receive(B::buffer(buffer), recording(rec, "receive of the closed socket"));
        destroyed->async_receive(B::buffer(buffer),
                                 recording(rec, "receive of the destroyed socket"));
        post(ctx, [&] {
          closed.close();
          destroyed.reset();
        });
        ctx.run();
        rec.record("closed socket open: " + yes_no(closed.is_open()));
      },
      expect_outcomes(ElementsAre("receive of the closed socket [ECANCELED]",
                                  "receive of the destroyed socket [ECANCELED]",
                                  "closed socket open: no")));
}

// async_wait(wait_read) completes when a datagram arrives and leaves it
// for the receive; wait(wait_read) returns at once while one is queued.
// async_wait(wait_write) on an idle socket is not completed at once, as a
// send would be: it goes to the reactor, and completes after the handler
// posted before run(). wait(wait_write) returns at once.
TYPED_TEST_P(Udp, WaitingForReadinessLeavesTheDatagram) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        char buffer[16];
        receiver.async_wait(B::socket_base::wait_write, recording(rec, "async_wait write"));
        receiver.async_wait(B::socket_base::wait_read, [&](const auto& ec) {
          rec.completion("async_wait read", ec);
          receiver.wait(B::socket_base::wait_read);
          rec.record("wait read returned");
          receive_text<B>(rec, receiver, "receive", buffer);
        });
        post(ctx, [&] {
          rec.record("sending");
          sender.send_to(B::buffer(std::string("ready")), receiver.local_endpoint());
        });
        ctx.run();
        receiver.wait(B::socket_base::wait_write);
        rec.record("wait write returned");
      },
      expect_outcomes(ElementsAre("sending", "async_wait write", "async_wait read",
                                  "wait read returned", "receive: \"ready\" 5B",
                                  "wait write returned")));
}

// An async_send_to on an idle socket completes with every byte, and the
// datagram waits for a receive started after it.
TYPED_TEST_P(Udp, AsyncSendThenReceive) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [receiver, sender] = bound_pair<B>(ctx);
        char buffer[16];
        const std::string data = "async";
        sender.async_send_to(B::buffer(data), receiver.local_endpoint(),
                             [&](const auto& ec, std::size_t bytes) {
                               rec.completion("async_send_to", ec, bytes);
                               receiver.async_receive(B::buffer(buffer),
                                                      recording_text(rec, "async_receive", buffer));
                             });
        ctx.run();
      },
      expect_outcomes(ElementsAre("async_send_to 5B", "async_receive: \"async\" 5B")));
}

}  // namespace conformance::udp
