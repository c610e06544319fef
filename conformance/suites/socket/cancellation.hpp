// Socket scenarios: close() and cancel() with a read and a write pending —
// both complete with operation_aborted; after cancel() the socket is still
// open and works.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// How long fill_send_buffer waits for late acknowledgements where a
// scenario needs its write to stay pending.
inline constexpr std::chrono::milliseconds settle_time{50};

// Runs `attempt` with a recorder of its own until it returns true (the
// premise it needs held), at most 5 times, and copies that attempt's events
// to `rec`. For scenarios whose premise the kernel may, rarely, break (see
// fill_send_buffer), never for their property.
template <typename Attempt>
void until_premise_holds(recorder& rec, Attempt attempt) {
  for (int i = 0; i < 5; ++i) {
    recorder mine;
    if (attempt(mine)) {
      for (const event& e : mine.events()) rec.record(e.what, e.error, e.bytes);
      return;
    }
  }
  rec.record("premise never held in 5 attempts");
}

// Both directions pending — nothing to read, and a write behind a full send
// buffer — when one handler starts them and then closes the socket: both
// complete with operation_aborted, read first. The premise is that the
// write made no progress before close(): a loopback ACK can still free send
// space right after fill_send_buffer saw would_block, and Asio's composed
// write would then go on, after the close, and fail with EBADF instead. Such
// an attempt (it reports bytes written) is retried, not judged.
TYPED_TEST_P(Socket, CloseCancelsPendingReadAndWrite) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        until_premise_holds(rec, [](recorder& rec) {
          typename B::io_context ctx;
          auto p = connected_pair<B>(ctx);
          loopback::fill_send_buffer<B>(p.client, settle_time);
          const std::string more(1 << 20, 'm');
          char buf[64];
          std::size_t written = 0;
          post(ctx, [&] {
            p.client.async_read_some(B::buffer(buf), recording(rec, "read_some"));
            async_write(p.client, B::buffer(more), [&](const auto& ec, std::size_t n) {
              rec.completion("async_write", ec, n);
              written = n;
            });
            rec.record("closing");
            p.client.close();
          });
          ctx.run();
          return written == 0;
        });
      },
      expect_outcomes(ElementsAre("closing", "read_some [ECANCELED]", "async_write [ECANCELED]")));
}

// cancel() aborts the same two operations but leaves the socket open and
// usable: a read started afterwards gets the peer's next message. (Same
// premise as above.)
TYPED_TEST_P(Socket, CancelCancelsPendingOpsAndSocketStillWorks) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        until_premise_holds(rec, [](recorder& rec) {
          typename B::io_context ctx;
          auto p = connected_pair<B>(ctx);
          loopback::fill_send_buffer<B>(p.client, settle_time);
          const std::string more(1 << 20, 'm');
          char buf[64], again[64];
          std::size_t written = 0;
          post(ctx, [&] {
            p.client.async_read_some(B::buffer(buf), recording(rec, "read_some"));
            async_write(p.client, B::buffer(more), [&](const auto& ec, std::size_t n) {
              rec.completion("async_write", ec, n);
              written = n;
            });
            rec.record("cancelling");
            p.client.cancel();
            rec.record("still open: " + yes_no(p.client.is_open()));
            write(p.server, B::buffer(std::string("ping")));
            p.client.async_read_some(B::buffer(again), [&](const auto& ec, std::size_t n) {
              rec.completion("read_some after cancel", ec, n);
              rec.record("read: " + text(again, n));
              p.client.close();
            });
          });
          ctx.run();
          return written == 0;
        });
      },
      expect_outcomes(ElementsAre("cancelling", "still open: yes", "read_some [ECANCELED]",
                                  "async_write [ECANCELED]", "read_some after cancel 4B",
                                  "read: ping")));
}

}  // namespace conformance::socket
