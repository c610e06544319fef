// Descriptor scenarios: operations pending on a stream_descriptor when it
// is closed, cancelled, released or destroyed — each completes with
// operation_aborted, a read waiting on an empty pipe and a write waiting on
// a full one alike.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/descriptor/suite.hpp"

namespace conformance::descriptor {

// close() with a read pending completes it with operation_aborted.
TYPED_TEST_P(Descriptor, CloseAbortsAPendingRead) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        char buf[16];
        pipe.read_end.async_read_some(B::buffer(buf), recording(rec, "read_some"));
        post(ctx, [&] {
          pipe.read_end.close();
          rec.record("closed: open is " + yes_no(pipe.read_end.is_open()));
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("closed: open is no", "read_some [ECANCELED]")));
}

// cancel() with a read pending completes it with operation_aborted; the
// descriptor stays open and the next read gets the data.
TYPED_TEST_P(Descriptor, CancelAbortsAPendingReadAndTheDescriptorStillWorks) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        char buf[16];
        pipe.read_end.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          rec.record("open: " + yes_no(pipe.read_end.is_open()));
          write(pipe.write_end, B::buffer(std::string("later")));
          pipe.read_end.async_read_some(B::buffer(buf), recording(rec, "read_some again"));
        });
        post(ctx, [&] { pipe.read_end.cancel(); });
        ctx.run();
      },
      expect_outcomes(ElementsAre("read_some [ECANCELED]", "open: yes", "read_some again 5B")));
}

// release() with a read pending completes it with operation_aborted and
// hands back the descriptor, which still reads.
TYPED_TEST_P(Descriptor, ReleaseAbortsAPendingRead) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        char buf[16];
        int released = -1;
        pipe.read_end.async_read_some(B::buffer(buf), recording(rec, "read_some"));
        post(ctx, [&] {
          released = pipe.read_end.release();
          rec.record("released");
        });
        ctx.run();
        write(pipe.write_end, B::buffer(std::string("kept")));
        rec.record("released descriptor reads: " +
                   text(buf, static_cast<std::size_t>(::read(released, buf, sizeof buf))));
        ::close(released);
      },
      expect_outcomes(
          ElementsAre("released", "read_some [ECANCELED]", "released descriptor reads: kept")));
}

// Destroying a stream_descriptor with a read pending closes the descriptor
// and completes the read with operation_aborted when the context runs.
TYPED_TEST_P(Descriptor, DestroyingTheDescriptorAbortsItsRead) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        char buf[16];
        std::optional<typename B::stream_descriptor> reader(std::move(pipe.read_end));
        const int fd = reader->native_handle();
        reader->async_read_some(B::buffer(buf), recording(rec, "read_some"));
        reader.reset();
        rec.record("destroyed; descriptor closed: " + yes_no(::fcntl(fd, F_GETFD) == -1));
        ctx.run();
        rec.record("run returned");
      },
      expect_outcomes(ElementsAre("destroyed; descriptor closed: yes", "read_some [ECANCELED]",
                                  "run returned")));
}

// A write waiting on a full pipe (filled with non_blocking writes until
// would_block) completes with operation_aborted when the descriptor is
// closed, having written nothing.
TYPED_TEST_P(Descriptor, CloseAbortsAWriteWaitingOnAFullPipe) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        const std::string chunk(4096, 'f');
        pipe.write_end.non_blocking(true);
        typename B::error_code ec;
        while (!ec) pipe.write_end.write_some(B::buffer(chunk), ec);
        rec.completion("filling stopped", ec);
        pipe.write_end.non_blocking(false);
        pipe.write_end.async_write_some(B::buffer(chunk), recording(rec, "write_some"));
        post(ctx, [&] {
          rec.record("closing");
          pipe.write_end.close();
        });
        ctx.run();
      },
      expect_outcomes(
          ElementsAre("filling stopped [EAGAIN]", "closing", "write_some [ECANCELED]")));
}

}  // namespace conformance::descriptor
