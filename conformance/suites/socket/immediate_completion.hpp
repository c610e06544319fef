// Socket scenarios: operations that could complete at once — zero-length
// reads and writes complete within one poll(), and no completion handler
// ever runs inside the call that initiated it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// Nothing is ever sent, yet zero-length reads and writes (also composed)
// complete within one poll(): no error, 0 bytes.
TYPED_TEST_P(Socket, ZeroLengthOperationsCompleteAtOnce) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        char buf[1];
        p.client.async_read_some(B::buffer(buf, 0), recording(rec, "read_some"));
        p.client.async_write_some(B::buffer(buf, 0), recording(rec, "write_some"));
        async_read(p.server, B::buffer(buf, 0), recording(rec, "async_read"));
        async_write(p.server, B::buffer(buf, 0), recording(rec, "async_write"));
        rec.record("initiated");
        ctx.poll();
        rec.record("polled");
      },
      expect_outcomes(ElementsAre("initiated", "read_some", "write_some", "async_read",
                                  "async_write", "polled")));
}

// Operations that can complete at once (data already there, a pending
// connection, a delimiter already buffered, zero length), each started by
// the previous one's handler: the event right after the initiating call is
// always recorded before the completion.
TYPED_TEST_P(Socket, CompletionNeverRunsInsideInitiatingCall) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        auto p = connected_pair<B>(ctx);
        loopback::socket<B> waiting(ctx), accepted(ctx);
        waiting.connect(listener.local_endpoint());
        const std::string x = "x", yz = "yz";
        char buf[8];
        std::string lines = "line\nnext";
        using next_fn = std::function<void()>;
        const auto then = [&rec](std::string label, next_fn next) {
          return [&rec, label, next](const auto& ec, byte_count auto... bytes) {
            recording(rec, label + " completed")(ec, bytes...);
            next();
          };
        };
        std::vector<std::function<void(next_fn)>> steps = {
            [&](next_fn next) {
              p.client.async_write_some(B::buffer(x), then("write_some", next));
              rec.record("write_some initiated");
            },
            [&](next_fn next) {
              p.server.async_read_some(B::buffer(buf), then("read_some", next));
              rec.record("read_some initiated");
            },
            [&](next_fn next) {
              async_write(p.client, B::buffer(yz), then("async_write", next));
              rec.record("async_write initiated");
            },
            [&](next_fn next) {
              async_read(p.server, B::buffer(buf, 2), then("async_read", next));
              rec.record("async_read initiated");
            },
            [&](next_fn next) {
              p.server.async_read_some(B::buffer(buf, 0), then("empty read_some", next));
              rec.record("empty read_some initiated");
            },
            [&](next_fn next) {
              async_read_until(p.server, B::dynamic_buffer(lines), '\n', then("read_until", next));
              rec.record("read_until initiated");
            },
            [&](next_fn next) {
              listener.async_accept(accepted, then("async_accept", next));
              rec.record("async_accept initiated");
            },
        };
        std::size_t step = 0;
        next_fn next = [&] {
          if (step < steps.size()) steps[step++](next);
        };
        next();  // the first from outside run(), the rest from handlers
        ctx.run();
      },
      expect_outcomes(ElementsAre(
          "write_some initiated", "write_some completed 1B", "read_some initiated",
          "read_some completed 1B", "async_write initiated", "async_write completed 2B",
          "async_read initiated", "async_read completed 2B", "empty read_some initiated",
          "empty read_some completed", "read_until initiated", "read_until completed 5B",
          "async_accept initiated", "async_accept completed")));
}

}  // namespace conformance::socket
