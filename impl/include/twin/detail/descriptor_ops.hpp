// twin::detail::descriptor_ops — reading and writing a descriptor that is
// no socket (a pipe, a tty, an eventfd) with readv/writev, for
// posix::basic_stream_descriptor. Any thread; the calls touch only the
// descriptor.
//
// A read of 0 bytes from a non-empty buffer is end of file (error::eof). A
// write to a pipe nobody reads raises SIGPIPE, as with Asio: a program that
// writes to pipes ignores it and sees broken_pipe.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <system_error>

namespace twin::detail::descriptor_ops {

// One attempt, EINTR retried: true when finished (with `ec` and `bytes`
// set), false when it would block.
bool non_blocking_read(int d, iovec* bufs, std::size_t count, std::error_code& ec,
                       std::size_t& bytes);
bool non_blocking_write(int d, const iovec* bufs, std::size_t count, std::error_code& ec,
                        std::size_t& bytes);

// Blocking forms: poll() while the descriptor would block, unless the user
// made it non-blocking (then would_block). bad_descriptor for -1; nothing
// to transfer finishes at once with no error.
std::size_t sync_read(int d, unsigned char state, iovec* bufs, std::size_t count, bool all_empty,
                      std::error_code& ec);
std::size_t sync_write(int d, unsigned char state, const iovec* bufs, std::size_t count,
                       bool all_empty, std::error_code& ec);

}  // namespace twin::detail::descriptor_ops
