// Fault scenarios: the process out of descriptors — accept fails with
// EMFILE in all three forms while a connection waits in the backlog, and the
// acceptor works again once descriptors are freed and the limit restored.
#pragma once

#include <sys/resource.h>

#include <cstddef>
#include <string>

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
      [](const trace& t) {
        EXPECT_THAT(
            outcomes(t),
            ElementsAre("descriptors exhausted: yes", "sync accept [EMFILE]",
                        "async_accept into a socket [EMFILE]", "move-accept [EMFILE]",
                        "move-accept's socket open: no", "async_accept with descriptors freed",
                        "descriptor limit restored: yes", "it is the queued connection: yes",
                        "async_accept after the limit is restored", "it is the new connection: yes",
                        "read on the recovered connection: still works"));
      });
}

}  // namespace conformance::fault
