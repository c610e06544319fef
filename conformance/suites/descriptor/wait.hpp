// Descriptor scenarios: waiting for readiness — async_wait on a local
// socket and on a pipe's descriptor completes when data arrives and leaves
// it unread; wait_write completes at once on a connected socket; cancel()
// aborts a pending wait; the synchronous wait() returns once the socket is
// readable.
#pragma once

#include <cstddef>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/descriptor/suite.hpp"

namespace conformance::descriptor {

// wait_read completes once the peer writes; the bytes stay unread until a
// read takes them.
TYPED_TEST_P(Descriptor, SocketWaitReadLeavesTheDataUnread) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_by_pair<B>(ctx);
        a.async_wait(B::socket_base::wait_read, [&](const auto& ec) {
          rec.completion("wait_read", ec);
          rec.record("available: " + std::to_string(a.available()));
          rec.record("read: " + read_once<B>(a));
        });
        post(ctx, [&] {
          rec.record("peer writes");
          write(b, B::buffer(std::string("ready")));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("peer writes", "wait_read", "available: 5", "read: ready")));
}

// wait_write on a connected socket with room to send completes at once (in
// a handler, never inside async_wait); wait_read on a socket whose peer has
// closed completes too (end of stream is readable).
TYPED_TEST_P(Descriptor, WaitsThatAreAlreadySatisfied) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_by_pair<B>(ctx);
        a.async_wait(B::socket_base::wait_write, [&](const auto& ec) {
          rec.completion("wait_write", ec);
          b.close();
          a.async_wait(B::socket_base::wait_read, [&](const auto& ec) {
            rec.completion("wait_read after the peer closed", ec);
            char buf[4];
            typename B::error_code read_ec;
            const std::size_t n = a.read_some(B::buffer(buf), read_ec);
            rec.completion("read_some", read_ec, n);
          });
        });
        rec.record("async_wait returned");
        ctx.run();
      },
      expect_outcomes(ElementsAre("async_wait returned", "wait_write",
                                  "wait_read after the peer closed", "read_some [eof]")));
}

// A stream_descriptor's wait_read on a pipe completes once the write end
// is written to, the bytes unread; wait_write on the write end at once.
TYPED_TEST_P(Descriptor, DescriptorWaitOnAPipe) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        pipe.read_end.async_wait(B::descriptor_base::wait_read, [&](const auto& ec) {
          rec.completion("wait_read", ec);
          rec.record("read: " + read_once<B>(pipe.read_end));
        });
        pipe.write_end.async_wait(B::descriptor_base::wait_write, [&](const auto& ec) {
          rec.completion("wait_write", ec);
          write(pipe.write_end, B::buffer(std::string("pipe")));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("wait_write", "wait_read", "read: pipe")));
}

// cancel() aborts a pending async_wait, on a socket and on a descriptor,
// with operation_aborted.
TYPED_TEST_P(Descriptor, CancelAbortsAPendingWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_by_pair<B>(ctx);
        auto pipe = make_pipe<B>(ctx);
        a.async_wait(B::socket_base::wait_read, [&](const auto& ec) {
          rec.completion("socket wait_read", ec);
          pipe.read_end.async_wait(B::descriptor_base::wait_read,
                                   recording(rec, "descriptor wait_read"));
          post(ctx, [&] { pipe.read_end.cancel(); });
        });
        post(ctx, [&] { a.cancel(); });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("socket wait_read [ECANCELED]", "descriptor wait_read [ECANCELED]")));
}

// The synchronous wait() returns once the socket is readable (here, at
// once: the peer wrote first), the data still there; wait_write returns at
// once; the error_code overload reports bad_descriptor on a closed socket.
TYPED_TEST_P(Descriptor, SyncWait) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto [a, b] = connected_by_pair<B>(ctx);
        write(b, B::buffer(std::string("abc")));
        a.wait(B::socket_base::wait_read);
        rec.record("wait_read returned, available: " + std::to_string(a.available()));
        a.wait(B::socket_base::wait_write);
        rec.record("wait_write returned");
        local_socket<B> closed(ctx);
        typename B::error_code ec;
        closed.wait(B::socket_base::wait_read, ec);
        rec.completion("wait on a closed socket", ec);
      },
      expect_outcomes(ElementsAre("wait_read returned, available: 3", "wait_write returned",
                                  "wait on a closed socket [EBADF]")));
}

}  // namespace conformance::descriptor
