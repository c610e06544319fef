// Socket scenarios: the composed connect over a sequence of endpoints in
// every form Asio has — a range or an iterator pair (or, deprecated, a
// resolver iterator alone), with or without a connect condition of either
// kind, synchronous and asynchronous — and what each reports: which
// endpoint it reached, the error of the last attempt, or not_found when no
// attempt was made.
//
// Every scenario connects to the same three endpoints in this order: two
// ports where nothing listens (refused at once on loopback), then a
// listener. Connections wait in the listener's backlog; none is accepted.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// Two refused endpoints, then a listening one; `endpoints` in that order.
template <typename B>
struct connect_targets {
  explicit connect_targets(typename B::io_context& ctx)
      : listener(loopback::listening<B>(ctx)),
        refused_a(ctx),
        refused_b(ctx),
        endpoints{loopback::local<B>(refused_a.port()), loopback::local<B>(refused_b.port()),
                  listener.local_endpoint()} {}

  // "endpoint <index>" of an endpoint of the list, "endpoint none" for a
  // default one (what a failed connect reports).
  std::string name(const loopback::endpoint<B>& e) const {
    const auto it = std::find(endpoints.begin(), endpoints.end(), e);
    if (it == endpoints.end()) return "endpoint none";
    return "endpoint " + std::to_string(it - endpoints.begin());
  }
  // The same for a position in the list; the end is "endpoint end".
  template <typename Iterator>
  std::string at(Iterator it) const {
    const auto index = it - endpoints.cbegin();
    return index == std::ssize(endpoints) ? "endpoint end" : "endpoint " + std::to_string(index);
  }

  loopback::acceptor<B> listener;
  loopback::unused_port<B> refused_a, refused_b;
  std::vector<loopback::endpoint<B>> endpoints;
};

// A connect condition that records what it is asked (the endpoint and the
// previous attempt's error) and refuses the endpoint at index `refuse`.
template <typename B>
auto recording_condition(recorder& rec, const connect_targets<B>& targets, std::size_t refuse) {
  return [&rec, &targets, refuse](const auto& ec, const loopback::endpoint<B>& next) {
    rec.record("asked about " + targets.name(next), error_name(ec));
    return targets.name(next) != "endpoint " + std::to_string(refuse);
  };
}

// Without a condition every endpoint is tried; refused ones are skipped.
// When all are refused the last refusal is reported with the end iterator;
// an empty range reports not_found.
TYPED_TEST_P(Socket, ConnectOverIteratorsSkipsRefusedEndpoints) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const connect_targets<B> targets(ctx);
        const auto& all = targets.endpoints;
        loopback::socket<B> client(ctx);
        rec.record("all three: " + targets.at(connect(client, all.begin(), all.end())));
        typename B::error_code ec;
        const auto refused = connect(client, all.begin(), all.begin() + 2, ec);
        rec.record("two refused: " + targets.at(refused), error_name(ec));
        record_throwing<B>(rec, "two refused", [&] {
          connect(client, all.begin(), all.begin() + 2);
          return std::size_t{0};
        });
        const auto none = connect(client, all.begin(), all.begin(), ec);
        rec.record("empty range returns its end: " + yes_no(none == all.begin()), error_name(ec));
      },
      expect_outcomes(ElementsAre("all three: endpoint 2", "two refused: endpoint 2 [ECONNREFUSED]",
                                  "two refused threw [ECONNREFUSED]",
                                  "empty range returns its end: yes [not_found]")));
}

// The condition is asked before each attempt, told the previous attempt's
// error; an endpoint it refuses is skipped and the next one asked about at
// once. The same sequence synchronously and asynchronously.
TYPED_TEST_P(Socket, ConnectConditionIsAskedBeforeEachAttempt) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const connect_targets<B> targets(ctx);
        loopback::socket<B> sync_client(ctx), async_client(ctx);
        typename B::error_code ec;
        const auto reached =
            connect(sync_client, targets.endpoints, recording_condition<B>(rec, targets, 1), ec);
        rec.record("connect reached " + targets.name(reached), error_name(ec));
        async_connect(async_client, targets.endpoints, recording_condition<B>(rec, targets, 1),
                      [&](const auto& ec, const loopback::endpoint<B>& e) {
                        rec.record("async_connect reached " + targets.name(e), error_name(ec));
                      });
        ctx.run();
      },
      expect_outcomes(ElementsAreArray([] {
        std::vector<std::string> one_run{"asked about endpoint 0",
                                         "asked about endpoint 1 [ECONNREFUSED]",
                                         "asked about endpoint 2 [ECONNREFUSED]"};
        std::vector<std::string> out = one_run;
        out.push_back("connect reached endpoint 2");
        out.insert(out.end(), one_run.begin(), one_run.end());
        out.push_back("async_connect reached endpoint 2");
        return out;
      }())));
}

// The legacy condition returns the iterator to try next: here it jumps
// from the first endpoint to the second. The iterator forms report an
// iterator, synchronously and asynchronously.
TYPED_TEST_P(Socket, LegacyConnectConditionChoosesTheNextIterator) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const connect_targets<B> targets(ctx);
        const auto& all = targets.endpoints;
        using iterator = typename std::vector<loopback::endpoint<B>>::const_iterator;
        const auto skip_first = [&](const auto& ec, iterator next) -> iterator {
          rec.record("asked at " + targets.at(next), error_name(ec));
          return next == all.begin() ? next + 1 : next;
        };
        loopback::socket<B> sync_client(ctx), async_client(ctx);
        typename B::error_code ec;
        const iterator reached = connect(sync_client, all.begin(), all.end(), skip_first, ec);
        rec.record("connect reached " + targets.at(reached), error_name(ec));
        async_connect(async_client, all.begin(), all.end(), skip_first,
                      [&](const auto& ec, iterator it) {
                        rec.record("async_connect reached " + targets.at(it), error_name(ec));
                      });
        ctx.run();
      },
      expect_outcomes(ElementsAre("asked at endpoint 0", "asked at endpoint 2 [ECONNREFUSED]",
                                  "connect reached endpoint 2", "asked at endpoint 0",
                                  "asked at endpoint 2 [ECONNREFUSED]",
                                  "async_connect reached endpoint 2")));
}

// A condition that refuses every endpoint: no attempt, not_found (posted,
// never inside async_connect). One that refuses all after a failed attempt:
// that attempt's error, with a default endpoint or the end iterator.
TYPED_TEST_P(Socket, ConnectConditionRefusingTheRest) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const connect_targets<B> targets(ctx);
        const auto& all = targets.endpoints;
        const auto never = [](const auto&, const loopback::endpoint<B>&) { return false; };
        const auto first_only = [&](const auto&, const loopback::endpoint<B>& e) {
          return e == all.front();
        };
        loopback::socket<B> client(ctx);
        typename B::error_code ec;
        const auto none = connect(client, all, never, ec);
        rec.record("refuse all: " + targets.name(none), error_name(ec));
        const auto after = connect(client, all, first_only, ec);
        rec.record("after a refusal: " + targets.name(after), error_name(ec));
        async_connect(client, all, never, [&](const auto& ec, const loopback::endpoint<B>& e) {
          rec.record("async refuse all: " + targets.name(e), error_name(ec));
          async_connect(client, all.begin(), all.end(), first_only,
                        [&](const auto& ec, decltype(all.begin()) it) {
                          rec.record("async after a refusal: " + targets.at(it), error_name(ec));
                        });
        });
        rec.record("initiated");
        ctx.run();
      },
      expect_outcomes(ElementsAre("refuse all: endpoint none [not_found]",
                                  "after a refusal: endpoint none [ECONNREFUSED]", "initiated",
                                  "async refuse all: endpoint none [not_found]",
                                  "async after a refusal: endpoint end [ECONNREFUSED]")));
}

// The deprecated forms that take a resolver iterator alone: its default
// value is the end. They reach the listener the results name.
TYPED_TEST_P(Socket, ConnectFromAResolverIteratorAlone) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const connect_targets<B> targets(ctx);
        typename B::tcp::resolver resolver(ctx);
        const auto results =
            resolver.resolve("127.0.0.1", std::to_string(targets.listener.local_endpoint().port()));
        loopback::socket<B> sync_client(ctx), async_client(ctx);
        const auto it = connect(sync_client, results.begin());
        rec.record("connect reached " + targets.name(it->endpoint()));
        // Typed, so that Asio's check of which form this is fails quietly.
        using iterator = decltype(results.begin());
        async_connect(async_client, results.begin(), [&](const auto& ec, iterator reached) {
          rec.record("async_connect reached " + targets.name(reached->endpoint()), error_name(ec));
          ++reached;
          rec.record("then the end: " + yes_no(reached == iterator()));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("connect reached endpoint 2", "async_connect reached endpoint 2",
                                  "then the end: yes")));
}

}  // namespace conformance::socket
