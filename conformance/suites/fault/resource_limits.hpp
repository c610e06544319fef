// Fault scenarios: resources run short — the process out of descriptors
// (accept fails with EMFILE in all three forms while a connection waits in
// the backlog, and the acceptor works again once descriptors are freed and
// the limit restored), and socket buffers so small that every write is
// partial, with 4 MiB crossing each way at once.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "conformance/bounded_runner.hpp"
#include "conformance/error_name.hpp"
#include "conformance/expectations.hpp"
#include "conformance/fault_injection.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/fault/suite.hpp"

namespace conformance::fault {

// One connection waits in the backlog while the process has no descriptor
// left: the synchronous accept, the async_accept into a socket and the
// move-accept all fail with EMFILE (no_descriptors) — Asio reports the
// error rather than retrying — and the connection stays queued. Once the
// spare descriptors are closed, the next async_accept gets it; after the
// limit is restored a new connection is accepted as well.
TYPED_TEST_P(Fault, AcceptFailsWithEmfileThenAcceptorRecovers) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        bounded_runner runner(ctx);
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> early(ctx), late(ctx), first(ctx), second(ctx), refused(ctx);
        early.connect(listener.local_endpoint());
        std::size_t held = 0;
        rlimit before{}, after_restore{};
        ::getrlimit(RLIMIT_NOFILE, &before);
        {
          descriptor_exhaustion exhaustion;
          // A rehearsal, just before the descriptors run out, on a second
          // acceptor with nothing to accept: the same three calls, failing
          // (would_block, operation_aborted), so that the types the
          // exhausted phase touches have all just been seen. Under UBSan
          // that matters: its vptr check looks up a type pair it has not
          // seen recently through a pipe, which it cannot open with no
          // descriptor left, and then reports a false error.
          {
            auto idle = loopback::listening<B>(ctx);
            loopback::socket<B> unused(ctx);
            typename B::error_code ec;
            idle.non_blocking(true);
            idle.accept(unused, ec);
            idle.non_blocking(false);
            (void)error_name(ec);
            outcome into_socket, moved;
            idle.async_accept(unused, into(into_socket));
            idle.async_accept([&](const auto& ec, auto peer) {
              into(moved)(ec);
              (void)peer.is_open();
            });
            idle.cancel();
            runner.run();
          }
          exhaustion.exhaust();
          held = exhaustion.held();
          rec.record("descriptors exhausted: " + yes_no(exhaustion.exhausted()));
          typename B::error_code ec;
          listener.accept(refused, ec);
          rec.completion("sync accept", ec);
          outcome into_socket, moved;
          bool moved_open = true;
          listener.async_accept(refused, into(into_socket));
          runner.run();
          record(rec, "async_accept into a socket", into_socket);
          listener.async_accept([&](const auto& ec, auto peer) {
            into(moved)(ec);
            moved_open = peer.is_open();
          });
          runner.run();
          record(rec, "move-accept", moved);
          rec.record("move-accept's socket open: " + yes_no(moved_open));
          exhaustion.release();
          outcome recovered;
          listener.async_accept(first, into(recovered));
          runner.run();
          record(rec, "async_accept with descriptors freed", recovered);
        }
        ::getrlimit(RLIMIT_NOFILE, &after_restore);
        rec.record("descriptor limit restored: " +
                   yes_no(after_restore.rlim_cur == before.rlim_cur &&
                          after_restore.rlim_max == before.rlim_max));
        rec.record("it is the queued connection: " + yes_no(loopback::is_peer<B>(first, early)));
        late.connect(listener.local_endpoint());
        outcome after;
        listener.async_accept(second, into(after));
        runner.run();
        record(rec, "async_accept after the limit is restored", after);
        rec.record("it is the new connection: " + yes_no(loopback::is_peer<B>(second, late)));
        write(early, B::buffer(std::string("still works")));
        char buf[11];
        rec.record("read on the recovered connection: " + text(buf, read(first, B::buffer(buf))));
        count_faults(B::name, "descriptors_held", held);
        count_faults(B::name, "emfile_accepts", 3);
      },
      expect_outcomes(
          ElementsAre("descriptors exhausted: yes", "sync accept [EMFILE]",
                      "async_accept into a socket [EMFILE]", "move-accept [EMFILE]",
                      "move-accept's socket open: no", "async_accept with descriptors freed",
                      "descriptor limit restored: yes", "it is the queued connection: yes",
                      "async_accept after the limit is restored", "it is the new connection: yes",
                      "read on the recovered connection: still works")));
}

// A stream direction of TinyBuffersMakeEveryWritePartial: bytes that
// arrived, and how many were not the pattern's.
struct received {
  std::size_t bytes = 0;
  std::size_t out_of_place = 0;
  bool failed = false;
};

inline std::string describe(const std::string& who, const received& r) {
  return who + " received " + std::to_string(r.bytes) + " bytes, " +
         std::to_string(r.out_of_place) + " out of place, failed: " + yes_no(r.failed);
}

// Reads `s` to end of stream in 4 KiB pieces, checking each byte against
// the pattern.
template <typename B>
void read_and_check(loopback::socket<B>& s, received& into) {
  auto chunk = std::make_shared<std::vector<char>>(4096);
  s.async_read_some(B::buffer(*chunk), [&s, &into, chunk](const auto& ec, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      into.out_of_place += (*chunk)[i] != loopback::pattern_byte(into.bytes + i);
    into.bytes += n;
    if (!ec)
      read_and_check<B>(s, into);
    else if (error_name(ec) != "eof")
      into.failed = true;
  });
}

// SO_SNDBUF and SO_RCVBUF of 1024 on both ends (the kernel's minimum, a
// few KiB, is what results): a 64 KiB write_some moves only part of it,
// and 4 MiB each way, at once — one direction by async_write, the other by
// a hand-made chain of async_write_some — arrive complete, in order, once.
TYPED_TEST_P(Fault, TinyBuffersMakeEveryWritePartial) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t size = std::size_t{4} << 20, step = 64 * 1024;
        using socket_base = typename B::socket_base;
        typename B::io_context ctx;
        bounded_runner runner(ctx);
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> client(ctx), server(ctx);
        loopback::set_buffer_sizes<B>(listener, 1024);
        client.open(B::tcp::v4());
        loopback::set_buffer_sizes<B>(client, 1024);
        client.connect(listener.local_endpoint());
        listener.accept(server);
        const std::string data = loopback::pattern(size);

        // The first piece goes synchronously, without blocking: partial.
        client.non_blocking(true);
        const std::size_t first = client.write_some(B::buffer(data.data(), step));
        client.non_blocking(false);
        rec.record("a 64 KiB write_some was partial: " + yes_no(first < step));

        received at_server, at_client;
        outcome upstream;
        async_write(client, B::buffer(data.data() + first, size - first),
                    [&](const auto& ec, std::size_t n) {
                      into(upstream)(ec, n);
                      client.shutdown(socket_base::shutdown_send);
                    });
        std::size_t sent = 0, steps = 0, partial_steps = 0;
        std::string chain_error;
        std::function<void()> write_next = [&] {
          const std::size_t want = std::min(step, size - sent);
          server.async_write_some(B::buffer(data.data() + sent, want),
                                  [&, want](const auto& ec, std::size_t n) {
                                    ++steps;
                                    partial_steps += n < want;
                                    sent += n;
                                    if (ec) chain_error = error_name(ec);
                                    if (!ec && sent < size)
                                      write_next();
                                    else
                                      server.shutdown(socket_base::shutdown_send);
                                  });
        };
        write_next();
        read_and_check<B>(server, at_server);
        read_and_check<B>(client, at_client);
        runner.run();
        rec.record("client async_write of the rest",
                   upstream.done ? upstream.error : "never completed");
        rec.record("it wrote the rest: " + yes_no(upstream.bytes == size - first));
        rec.record(describe("server", at_server));
        rec.record("server sent: " + std::to_string(sent) + ", error: " + chain_error);
        rec.record("all but the last write_some steps were partial: " +
                   yes_no(steps > 1 && partial_steps + 1 >= steps));
        rec.record(describe("client", at_client));
        count_faults(B::name, "partial_write_steps", partial_steps);
      },
      expect_outcomes(ElementsAre(
          "a 64 KiB write_some was partial: yes", "client async_write of the rest",
          "it wrote the rest: yes", "server received 4194304 bytes, 0 out of place, failed: no",
          "server sent: 4194304, error: ", "all but the last write_some steps were partial: yes",
          "client received 4194304 bytes, 0 out of place, failed: no")));
}

}  // namespace conformance::fault
