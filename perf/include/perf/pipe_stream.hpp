// perf::pipe_channel and perf::raw_pipe_stream_loop — bulk transfer through
// pipes, for pipe_stream: stream_loop<Backend, pipe_channel<Backend>> runs
// a backend's posix::stream_descriptor ends (async_write / async_read, as
// for TCP); raw_pipe_stream_loop is the physical floor, write(2) and
// read(2) on one non-blocking pipe with edge-triggered epoll for the rare
// wait. Same contract as stream_loop (stream_loop.hpp): play(n) moves n
// stamped chunks, the reader checks every stamp, tally() sums it up. Not
// thread-safe: construct and play on one thread.
#pragma once

#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "perf/loopback.hpp"
#include "perf/stream_loop.hpp"
#include "perf/watchdog.hpp"

namespace perf {

// A pipe's two descriptors, close-on-exec (and non-blocking when asked).
struct raw_pipe {
  fd read_end;
  fd write_end;
};
inline raw_pipe make_raw_pipe(int flags = 0) {
  int ends[2];
  check(::pipe2(ends, O_CLOEXEC | flags), "pipe2");
  return {fd(ends[0]), fd(ends[1])};
}

// A pipe per direction (a pipe carries one), its ends a backend's
// stream_descriptors.
template <typename Backend>
class pipe_channel {
public:
  using end_type = typename Backend::stream_descriptor;
  static constexpr const char* what = "a pipe chunk";

  pipe_channel(typename Backend::io_context& ctx, bool both_directions) {
    for (int d = 0; d < (both_directions ? 2 : 1); ++d) {
      raw_pipe p = make_raw_pipe();
      // The descriptors own the ends from here on.
      ends_[d][0] = std::make_unique<end_type>(ctx, p.read_end.release());
      ends_[d][1] = std::make_unique<end_type>(ctx, p.write_end.release());
    }
  }

  end_type& reader(int direction) { return *ends_[direction][0]; }
  end_type& writer(int direction) { return *ends_[direction][1]; }

private:
  std::array<std::array<std::unique_ptr<end_type>, 2>, 2> ends_;
};

class raw_pipe_stream_loop {
public:
  // `chunk` at least 16 bytes (room for both stamps). One direction only:
  // the floor of what a loop adds to a pipe.
  explicit raw_pipe_stream_loop(std::size_t chunk)
      : pipe_(make_raw_pipe(O_NONBLOCK)),
        epoll_(check(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
        out_(chunk),
        in_(chunk) {
    watch(pipe_.read_end.get(), EPOLLIN);
    watch(pipe_.write_end.get(), EPOLLOUT);
  }

  // Moves `chunks` chunks through the pipe; see the header comment.
  void play(std::uint64_t chunks) {
    std::uint64_t writes_left = chunks, reads_left = chunks;
    while (reads_left > 0 && tally_.error.empty()) {
      const bool wrote = write_some(writes_left);
      const bool read = read_some(reads_left);
      if (!wrote && !read && reads_left > 0) wait();
    }
    dog_.beat();
  }

  const stream_tally& tally() const { return tally_; }
  std::size_t directions() const { return 1; }

private:
  static constexpr int hang_ms = static_cast<int>(hang_limit.count()) * 1000;

  void watch(int descriptor, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events | EPOLLET;
    check(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, descriptor, &ev), "epoll_ctl");
  }

  void fail(const char* what, int error) {
    if (tally_.error.empty())
      tally_.error = std::string(what) + ": " + std::system_category().message(error);
  }

  // Writes until the pipe is full or every chunk is written; true if it
  // wrote anything.
  bool write_some(std::uint64_t& left) {
    bool progress = false;
    while (left > 0) {
      if (out_off_ == 0) detail::put_stamp(out_, written_);
      const ssize_t n =
          ::write(pipe_.write_end.get(), out_.data() + out_off_, out_.size() - out_off_);
      if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) fail("write", errno);
        return progress;
      }
      progress = true;
      out_off_ += static_cast<std::size_t>(n);
      if (out_off_ == out_.size()) {
        out_off_ = 0;
        ++written_;
        --left;
      }
    }
    return progress;
  }

  // Reads until the pipe is empty or every chunk is read, checking each
  // chunk's stamps; true if it read anything.
  bool read_some(std::uint64_t& left) {
    bool progress = false;
    while (left > 0) {
      const ssize_t n = ::read(pipe_.read_end.get(), in_.data() + in_have_, in_.size() - in_have_);
      if (n <= 0) {
        if (n == 0) fail("read", EPIPE);
        if (n < 0 && errno != EAGAIN && errno != EINTR) fail("read", errno);
        return progress;
      }
      progress = true;
      in_have_ += static_cast<std::size_t>(n);
      tally_.bytes += static_cast<std::uint64_t>(n);
      if (in_have_ == in_.size()) {
        in_have_ = 0;
        if (detail::has_stamp(in_, read_++))
          ++tally_.chunks;
        else
          ++tally_.corrupt;
        --left;
      }
    }
    return progress;
  }

  void wait() {
    epoll_event events[2];
    const int n = ::epoll_wait(epoll_.get(), events, 2, hang_ms);
    if (n == 0) hung("a raw pipe chunk");
    if (n < 0 && errno != EINTR) fail("epoll_wait", errno);
  }

  raw_pipe pipe_;
  fd epoll_;
  std::vector<unsigned char> out_, in_;
  std::size_t out_off_ = 0, in_have_ = 0;
  std::uint64_t written_ = 0, read_ = 0;
  stream_tally tally_;
  watchdog dog_{"a raw pipe chunk"};
};

}  // namespace perf
