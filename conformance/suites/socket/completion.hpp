// Socket scenarios: when pending operations complete — close() and
// cancel() with a read and a write pending abort both (after cancel() the
// socket still works); zero-length reads and writes complete within one
// poll(); no completion handler ever runs inside the call that initiated
// it.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
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

// Both directions pending on the client — a read with nothing to read, and
// a 1 MiB write behind a full send buffer — started by one handler, which
// then calls `interrupt(rec, pair)`; the context runs to the end. The
// completions record themselves ("read_some", "async_write"). The premise
// is that the write made no progress before `interrupt`: a loopback ACK can
// still free send space right after fill_send_buffer saw would_block, and
// Asio's composed write would then go on, and fail with EBADF after a
// close. Such an attempt (it reports bytes written) is retried, not judged.
template <typename B, typename Interrupt>
void interrupt_pending_read_and_write(recorder& rec, Interrupt interrupt) {
  until_premise_holds(rec, [&](recorder& rec) {
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
      interrupt(rec, p);
    });
    ctx.run();
    return written == 0;
  });
}

// close() with both directions pending: both complete with
// operation_aborted, read first.
TYPED_TEST_P(Socket, CloseCancelsPendingReadAndWrite) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        interrupt_pending_read_and_write<B>(rec, [](recorder& rec, auto& p) {
          rec.record("closing");
          p.client.close();
        });
      },
      expect_outcomes(ElementsAre("closing", "read_some [ECANCELED]", "async_write [ECANCELED]")));
}

// cancel() aborts the same two operations but leaves the socket open and
// usable: a read started afterwards gets the peer's next message.
TYPED_TEST_P(Socket, CancelCancelsPendingOpsAndSocketStillWorks) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        std::string again(64, '\0');
        interrupt_pending_read_and_write<B>(rec, [&](recorder& rec, auto& p) {
          rec.record("cancelling");
          p.client.cancel();
          rec.record("still open: " + yes_no(p.client.is_open()));
          write(p.server, B::buffer(std::string("ping")));
          p.client.async_read_some(B::buffer(again), [&](const auto& ec, std::size_t n) {
            rec.completion("read_some after cancel", ec, n);
            rec.record("read: " + again.substr(0, n));
            p.client.close();
          });
        });
      },
      expect_outcomes(ElementsAre("cancelling", "still open: yes", "read_some [ECANCELED]",
                                  "async_write [ECANCELED]", "read_some after cancel 4B",
                                  "read: ping")));
}

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

// The zero-length shortcut is for open stream sockets only: on a closed
// socket, or one never opened, a zero-length read or write (also composed)
// fails with bad_descriptor, as every other operation there does.
TYPED_TEST_P(Socket, ZeroLengthOperationsOnAClosedSocketFail) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        loopback::socket<B> never_opened(ctx);
        p.client.close();
        char buf[1];
        p.client.async_read_some(B::buffer(buf, 0), recording(rec, "closed read_some"));
        p.client.async_write_some(B::buffer(buf, 0), recording(rec, "closed write_some"));
        async_read(p.client, B::buffer(buf, 0), recording(rec, "closed async_read"));
        async_write(p.client, B::buffer(buf, 0), recording(rec, "closed async_write"));
        never_opened.async_read_some(B::buffer(buf, 0), recording(rec, "unopened read_some"));
        ctx.run();
      },
      expect_outcomes(ElementsAre("closed read_some [EBADF]", "closed write_some [EBADF]",
                                  "closed async_read [EBADF]", "closed async_write [EBADF]",
                                  "unopened read_some [EBADF]")));
}

// A read and a write wait on one socket (the write because the send buffer
// is full) when both become possible before the reactor next looks: the
// peer drains the buffer and sends a byte, and the scenario waits (poll(2),
// which leaves epoll's edges alone) until the socket is readable and
// writable. One reactor run then finds both ready, and Asio's epoll reactor
// performs a descriptor's operations in the order except, write, read, so
// the write completes first. On io_uring the two are separate submissions
// and their order is that backend's own.
TYPED_TEST_P(Socket, ReadyWriteCompletesBeforeReadyRead) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::size_t filled = loopback::fill_send_buffer<B>(p.client, settle_time);
        char in[16];
        const std::string out = "w";
        p.client.async_read_some(B::buffer(in), recording(rec, "read"));
        p.client.async_write_some(B::buffer(out), recording(rec, "write"));
        std::string sink(filled, '\0');
        read(p.server, B::buffer(sink));
        write(p.server, B::buffer(std::string("x")));
        pollfd both{};
        both.fd = p.client.native_handle();
        both.events = POLLIN | POLLOUT;
        const bool ready = wait_until([&] {
          return ::poll(&both, 1, 0) == 1 &&
                 (both.revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT);
        });
        rec.record("readable and writable before run: " + yes_no(ready));
        ctx.run();
      },
      [](const trace& t, std::string_view backend) {
        if (backend == "asio_uring")
          EXPECT_THAT(outcomes(t), UnorderedElementsAre("readable and writable before run: yes",
                                                        "write 1B", "read 1B"));
        else
          EXPECT_THAT(outcomes(t),
                      ElementsAre("readable and writable before run: yes", "write 1B", "read 1B"));
      });
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
