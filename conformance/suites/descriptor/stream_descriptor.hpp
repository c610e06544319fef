// Descriptor scenarios: a stream_descriptor over a pipe or an eventfd —
// write then read, eof once the write end is closed, a broken pipe once the
// read end is, release() and assign(), operations on a closed descriptor,
// a read of no bytes, native_non_blocking(), bytes_readable, a composed
// read over several writes, and 1 MiB through a pipe.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "conformance/expectations.hpp"
#include "conformance/fault_injection.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/descriptor/suite.hpp"

namespace conformance::descriptor {

// The read is started first and waits; the write completes, then the read
// gets the bytes.
TYPED_TEST_P(Descriptor, PipeWriteThenRead) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        const std::string hello = "hello";
        char buf[16];
        outcome read, wrote;
        pipe.read_end.async_read_some(B::buffer(buf), into(read));
        pipe.write_end.async_write_some(B::buffer(hello), into(wrote));
        ctx.run();
        record(rec, "write_some", wrote);
        record(rec, "read_some", read);
        rec.record("read: " + text(buf, read.bytes));
      },
      expect_outcomes(ElementsAre("write_some 5B", "read_some 5B", "read: hello")));
}

// Once the write end is closed, a read gets what is left, then eof; a
// composed read reports eof with the bytes it got.
TYPED_TEST_P(Descriptor, ReadAfterTheWriteEndClosedIsEof) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        auto other = make_pipe<B>(ctx);
        write(pipe.write_end, B::buffer(std::string("bye")));
        pipe.write_end.close();
        write(other.write_end, B::buffer(std::string("bye")));
        other.write_end.close();
        char buf[16];
        pipe.read_end.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          pipe.read_end.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
            rec.completion("read_some", ec, n);
            async_read(other.read_end, B::buffer(buf), recording(rec, "async_read of 16"));
          });
        });
        ctx.run();
      },
      expect_outcomes(ElementsAre("read_some 3B", "read_some [eof]", "async_read of 16 [eof] 3B")));
}

// Writing to a pipe whose read end is closed fails with a broken pipe, and
// raises SIGPIPE (here counted instead of ending the process): Asio does
// not block it for descriptors as it does with MSG_NOSIGNAL for sockets.
TYPED_TEST_P(Descriptor, WriteWithNoReaderIsBrokenPipe) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        fault::sigpipe_counter sigpipes;
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        pipe.read_end.close();
        const std::string x = "x";
        typename B::error_code ec;
        const std::size_t n = pipe.write_end.write_some(B::buffer(x), ec);
        rec.completion("write_some", ec, n);
        rec.record("SIGPIPE raised: " + std::to_string(sigpipes.count()));
        pipe.write_end.async_write_some(B::buffer(x), recording(rec, "async_write_some"));
        ctx.run();
        rec.record("SIGPIPE raised: " + std::to_string(sigpipes.count()));
      },
      expect_outcomes(ElementsAre("write_some [EPIPE]", "SIGPIPE raised: 1",
                                  "async_write_some [EPIPE]", "SIGPIPE raised: 2")));
}

// release() hands back the descriptor, still open, and leaves the object
// closed; assign() to an open descriptor fails with already_open.
TYPED_TEST_P(Descriptor, ReleaseAndAssign) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        const int fd = pipe.read_end.native_handle();
        const int released = pipe.read_end.release();
        rec.record("release returned the descriptor: " + yes_no(released == fd));
        rec.record("object open: " + yes_no(pipe.read_end.is_open()));
        rec.record("descriptor still open: " + yes_no(::fcntl(released, F_GETFD) != -1));
        typename B::error_code ec;
        pipe.write_end.assign(released, ec);
        rec.completion("assign to an open descriptor", ec);
        pipe.read_end.assign(released, ec);
        rec.completion("assign to the released one", ec);
        write(pipe.write_end, B::buffer(std::string("again")));
        rec.record("read: " + read_once<B>(pipe.read_end));
      },
      expect_outcomes(ElementsAre("release returned the descriptor: yes", "object open: no",
                                  "descriptor still open: yes",
                                  "assign to an open descriptor [already_open]",
                                  "assign to the released one", "read: again")));
}

// On a descriptor never opened, or closed, reads, writes and waits fail
// with bad_descriptor: the synchronous ones at once, the asynchronous ones
// through their handlers. close() on it succeeds.
TYPED_TEST_P(Descriptor, OperationsOnAClosedDescriptorFail) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::stream_descriptor never_opened(ctx);
        char buf[16];
        typename B::error_code ec;
        std::size_t n = never_opened.read_some(B::buffer(buf), ec);
        rec.completion("read_some, never opened", ec, n);
        n = never_opened.write_some(B::buffer(std::string("x")), ec);
        rec.completion("write_some, never opened", ec, n);
        never_opened.close(ec);
        rec.completion("close, never opened", ec);
        auto pipe = make_pipe<B>(ctx);
        pipe.read_end.close();
        outcome read, wait;
        pipe.read_end.async_read_some(B::buffer(buf), into(read));
        pipe.read_end.async_wait(B::descriptor_base::wait_read, into(wait));
        ctx.run();
        record(rec, "async_read_some, closed", read);
        record(rec, "async_wait, closed", wait);
      },
      expect_outcomes(ElementsAre(
          "read_some, never opened [EBADF]", "write_some, never opened [EBADF]",
          "close, never opened", "async_read_some, closed [EBADF]", "async_wait, closed [EBADF]")));
}

// A read of no bytes completes with no error, even with nothing to read
// and the write end open; so does a write of none.
TYPED_TEST_P(Descriptor, ZeroLengthOperationsCompleteAtOnce) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        char buf[1];
        pipe.read_end.async_read_some(B::buffer(buf, 0), recording(rec, "read_some of 0"));
        pipe.write_end.async_write_some(B::buffer(buf, 0), recording(rec, "write_some of 0"));
        rec.record("started");
        ctx.run();
        typename B::error_code ec;
        const std::size_t n = pipe.read_end.read_some(B::buffer(buf, 0), ec);
        rec.completion("sync read_some of 0", ec, n);
      },
      expect_outcomes(
          ElementsAre("started", "read_some of 0", "write_some of 0", "sync read_some of 0")));
}

// native_non_blocking() is what Asio knows of O_NONBLOCK: false on a fresh
// descriptor; setting it true or false changes the descriptor's flag, and
// non_blocking() (the synchronous operations' mode) is apart from it. On
// epoll an asynchronous read turns the flag on (the reactor needs it);
// io_uring's Asio leaves the descriptor blocking, as the kernel reads it.
TYPED_TEST_P(Descriptor, NativeNonBlockingFollowsTheDescriptorsFlag) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        auto& d = pipe.read_end;
        const auto state = [&](const std::string& when) {
          rec.record(when + ": native " + yes_no(d.native_non_blocking()) + ", non_blocking " +
                     yes_no(d.non_blocking()) + ", O_NONBLOCK " + o_nonblock(d.native_handle()));
        };
        state("fresh");
        d.native_non_blocking(true);
        state("native_non_blocking(true)");
        d.native_non_blocking(false);
        state("native_non_blocking(false)");
        char buf[16];
        write(pipe.write_end, B::buffer(std::string("x")));
        d.async_read_some(B::buffer(buf), recording(rec, "read_some"));
        ctx.run();
        state("after an async read");
        d.non_blocking(true);
        state("non_blocking(true)");
      },
      [](const trace& t, std::string_view backend) {
        const std::string after_read = backend == "asio_uring" ? "no" : "yes";
        EXPECT_THAT(
            outcomes(t),
            ElementsAre(
                "fresh: native no, non_blocking no, O_NONBLOCK no",
                "native_non_blocking(true): native yes, non_blocking no, O_NONBLOCK yes",
                "native_non_blocking(false): native no, non_blocking no, O_NONBLOCK no",
                "read_some 1B",
                "after an async read: native " + after_read + ", non_blocking no, O_NONBLOCK " +
                    after_read,
                "non_blocking(true): native " + after_read + ", non_blocking yes, O_NONBLOCK yes"));
      });
}

// A composed async_read with transfer_exactly(12) over four writes of 4
// bytes (each started by the previous one's handler) completes once, with
// 12 bytes in order; the last 4 stay for the next read.
TYPED_TEST_P(Descriptor, ComposedReadOverSeveralWrites) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        const std::string data = "abcdefghijklmnop";
        char buf[64];
        outcome read;
        std::size_t writes = 0;
        std::function<void()> write_next = [&] {
          async_write(pipe.write_end, B::buffer(data.data() + writes * 4, 4),
                      [&](const auto& ec, std::size_t) {
                        if (!ec && ++writes < 4) write_next();
                      });
        };
        async_read(pipe.read_end, B::buffer(buf), B::transfer_exactly(12), into(read));
        write_next();
        ctx.run();
        record(rec, "transfer_exactly(12)", read);
        rec.record("read: " + text(buf, read.bytes));
        rec.record("writes completed: " + std::to_string(writes));
        rec.record("left: " + read_once<B>(pipe.read_end));
      },
      expect_outcomes(ElementsAre("transfer_exactly(12) 12B", "read: abcdefghijkl",
                                  "writes completed: 4", "left: mnop")));
}

// io_control(bytes_readable) counts what the pipe holds, and reading
// takes it down.
TYPED_TEST_P(Descriptor, BytesReadableCountsWhatThePipeHolds) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        const auto readable = [&] {
          typename B::descriptor_base::bytes_readable command(true);
          pipe.read_end.io_control(command);
          return std::to_string(command.get());
        };
        rec.record("empty: " + readable());
        write(pipe.write_end, B::buffer(std::string("hello")));
        write(pipe.write_end, B::buffer(std::string("world")));
        rec.record("after two writes: " + readable());
        char buf[4];
        read(pipe.read_end, B::buffer(buf));
        rec.record("after reading 4: " + readable());
      },
      expect_outcomes(ElementsAre("empty: 0", "after two writes: 10", "after reading 4: 6")));
}

// 1 MiB, sixteen times a pipe's buffer, through a pipe with one async_write
// and one async_read in flight together: both complete whole, every byte
// in order.
TYPED_TEST_P(Descriptor, OneMebibyteThroughAPipe) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t total = std::size_t{1} << 20;
        typename B::io_context ctx;
        auto pipe = make_pipe<B>(ctx);
        const std::string data = loopback::pattern(total);
        std::string received(total, '\0');
        outcome wrote, read;
        async_write(pipe.write_end, B::buffer(data), into(wrote));
        async_read(pipe.read_end, B::buffer(received.data(), received.size()), into(read));
        ctx.run();
        record(rec, "async_write", wrote);
        record(rec, "async_read", read);
        rec.record("data intact: " + yes_no(received == data));
      },
      expect_outcomes(
          ElementsAre("async_write 1048576B", "async_read 1048576B", "data intact: yes")));
}

// An eventfd through a stream_descriptor: 8-byte writes add to its
// counter, an 8-byte read takes the sum and resets it, so the next read
// waits for the next write.
TYPED_TEST_P(Descriptor, EventfdCounter) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        typename B::stream_descriptor counter(ctx, ::eventfd(0, EFD_CLOEXEC));
        std::uint64_t three = 3, four = 4, one = 1, value = 0;
        outcome wrote;
        write(counter, B::buffer(&three, sizeof three));
        write(counter, B::buffer(&four, sizeof four));
        counter.async_read_some(
            B::buffer(&value, sizeof value), [&](const auto& ec, std::size_t n) {
              rec.completion("read", ec, n);
              rec.record("counter: " + std::to_string(value));
              counter.async_read_some(B::buffer(&value, sizeof value),
                                      [&](const auto& ec, std::size_t n) {
                                        rec.completion("read", ec, n);
                                        rec.record("counter: " + std::to_string(value));
                                      });
              counter.async_write_some(B::buffer(&one, sizeof one), into(wrote));
            });
        ctx.run();
        record(rec, "write", wrote);
      },
      expect_outcomes(ElementsAre("read 8B", "counter: 7", "read 8B", "counter: 1", "write 8B")));
}

}  // namespace conformance::descriptor
