// Executor scenarios: accepting onto an executor — async_accept(ex, h)
// and async_accept(ctx, h) hand the new socket that executor (the type of
// its executor being ex's own, or the context's executor_type), the plain
// async_accept(h) the acceptor's; the accept handler runs on the acceptor's
// executor whatever the socket's; the accepted socket's own handlers then
// run on its strand.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/scenario.hpp"
#include "suites/executor/suite.hpp"

namespace conformance::executor {

// An acceptor on `ex` listening on 127.0.0.1 at a port the kernel chose,
// opened step by step as Asio's (executor, endpoint) constructor does
// (twin's acceptor takes an endpoint only with an io_context).
template <typename B, typename Executor>
loopback::acceptor<B> listening_on(const Executor& ex) {
  loopback::acceptor<B> listener(ex);
  listener.open(B::tcp::v4());
  listener.set_option(typename B::socket_base::reuse_address(true));
  listener.bind(loopback::local<B>(0));
  listener.listen();
  return listener;
}

// A client on `ctx` connected (blocking: the handshake completes into the
// backlog) to `listener`, before any run().
template <typename B, typename Acceptor>
loopback::socket<B> connected_client(typename B::io_context& ctx, Acceptor& listener) {
  loopback::socket<B> client(ctx);
  client.connect(listener.local_endpoint());
  return client;
}

// async_accept(strand, h) on an acceptor of the context: the new socket is
// on the strand (its executor_type is the strand's type), and the accept
// handler runs on the acceptor's executor, outside the strand.
TYPED_TEST_P(Executor, AcceptOntoAStrandGivesTheSocketThatStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        auto listener = loopback::listening<B>(ctx);
        auto client = connected_client<B>(ctx, listener);
        listener.async_accept(strand, [&](const auto& ec, auto socket) -> void {
          using socket_executor = typename decltype(socket)::executor_type;
          rec.record("accepted: in strand " + yes_no(strand.running_in_this_thread()) +
                         ", in context " + yes_no(ctx.get_executor().running_in_this_thread()),
                     error_name(ec));
          rec.record("socket on the strand: " + yes_no(any(socket.get_executor()) == any(strand)));
          rec.record("socket's executor_type is the strand's: " +
                     yes_no(std::is_same_v<socket_executor, strand_of_context<B>>));
          rec.record("peer: " + yes_no(socket.remote_endpoint() == client.local_endpoint()));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("accepted: in strand no, in context yes",
                                  "socket on the strand: yes",
                                  "socket's executor_type is the strand's: yes", "peer: yes")));
}

// An acceptor on strand A accepting onto strand B: the handler runs in A,
// the socket is on B.
TYPED_TEST_P(Executor, AcceptHandlerRunsOnTheAcceptorsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx;
        const auto acceptors = make_strand(ctx);
        const auto sockets = make_strand(ctx);
        auto listener = listening_on<B>(acceptors);
        auto client = connected_client<B>(ctx, listener);
        listener.async_accept(sockets, [&](const auto& ec, auto socket) -> void {
          rec.record("accepted: in acceptor's strand " +
                         yes_no(acceptors.running_in_this_thread()) + ", in socket's " +
                         yes_no(sockets.running_in_this_thread()),
                     error_name(ec));
          rec.record("socket on its strand: " + yes_no(any(socket.get_executor()) == any(sockets)));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("accepted: in acceptor's strand yes, in socket's no",
                                  "socket on its strand: yes")));
}

// The plain async_accept(h) on an acceptor made on a strand: the socket is
// on the acceptor's executor (that strand, as an any_io_executor).
TYPED_TEST_P(Executor, PlainAcceptGivesTheSocketTheAcceptorsExecutor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        auto listener = listening_on<B>(strand);
        auto client = connected_client<B>(ctx, listener);
        listener.async_accept([&](const auto& ec, auto socket) -> void {
          using socket_executor = typename decltype(socket)::executor_type;
          rec.record("accepted: in strand " + yes_no(strand.running_in_this_thread()),
                     error_name(ec));
          rec.record("socket on the acceptor's executor: " +
                     yes_no(socket.get_executor() == listener.get_executor()));
          rec.record("socket's executor_type is any_io_executor: " +
                     yes_no(std::is_same_v<socket_executor, any>));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("accepted: in strand yes",
                                  "socket on the acceptor's executor: yes",
                                  "socket's executor_type is any_io_executor: yes")));
}

// async_accept(other_ctx, h): the socket belongs to the other context (its
// executor that context's executor, of its type); the handler runs on the
// acceptor's context.
TYPED_TEST_P(Executor, AcceptOntoAnotherContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx, other;
        auto listener = loopback::listening<B>(ctx);
        auto client = connected_client<B>(ctx, listener);
        listener.async_accept(other, [&](const auto& ec, auto socket) -> void {
          using socket_executor = typename decltype(socket)::executor_type;
          rec.record("accepted: in acceptor's context " +
                         yes_no(ctx.get_executor().running_in_this_thread()),
                     error_name(ec));
          rec.record("socket on the other context: " +
                     yes_no(any(socket.get_executor()) == any(other.get_executor())));
          rec.record(
              "socket's executor_type is the context's: " +
              yes_no(std::is_same_v<socket_executor, typename B::io_context::executor_type>));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("accepted: in acceptor's context yes",
                                  "socket on the other context: yes",
                                  "socket's executor_type is the context's: yes")));
}

// A socket accepted onto a strand runs its own handlers (a read of what
// the client wrote) inside that strand.
TYPED_TEST_P(Executor, AcceptedSocketRunsItsHandlersOnItsStrand) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        auto listener = loopback::listening<B>(ctx);
        auto client = connected_client<B>(ctx, listener);
        client.write_some(B::buffer("ping", 4));
        char in[8] = {};
        listener.async_accept(strand, [&](const auto& ec, auto socket) -> void {
          rec.record("accepted", error_name(ec));
          auto held = std::make_shared<decltype(socket)>(std::move(socket));
          held->async_read_some(B::buffer(in), [&, held](const auto& ec2, std::size_t n) {
            rec.record(
                "read " + text(in, n) + ": in strand " + yes_no(strand.running_in_this_thread()),
                error_name(ec2), n);
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("accepted", "read ping: in strand yes 4B")));
}

}  // namespace conformance::executor
