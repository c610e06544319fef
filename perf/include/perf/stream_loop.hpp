// perf::stream_loop — bulk transfer through a channel, the fixture behind
// tcp_stream and pipe_stream: one direction or both at once, in one
// io_context run by the calling thread. The channel (`Channel`) owns the
// ends: tcp_channel, one loopback TCP connection (client end to server end,
// and back); pipe_channel (pipe_stream.hpp), a pipe per direction.
//
// play(n) writes n chunks of `chunk` bytes in each direction (async_write,
// each chunk stamped with its sequence number in its first and last eight
// bytes) while the other end reads them (async_read of exactly one chunk
// at a time), and returns once every chunk has been read. The reader checks
// both stamps of every chunk — a lost, repeated or reordered chunk shows —
// and counts the bytes it read; tally() sums it up. Not thread-safe:
// construct and play on one thread. A transfer that never completes ends
// the program after 60 s (perf::hung).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "perf/loop_failure.hpp"
#include "perf/loopback.hpp"
#include "perf/watchdog.hpp"

namespace perf {

struct stream_tally {
  std::uint64_t bytes = 0;    // bytes read, every direction
  std::uint64_t chunks = 0;   // chunks read intact
  std::uint64_t corrupt = 0;  // chunks whose stamps were not the expected ones
  std::string error;          // the first failed operation, if any
};

namespace detail {

// A chunk's stamps: its sequence number in its first and last eight bytes.
inline void put_stamp(std::vector<unsigned char>& chunk, std::uint64_t sequence) {
  std::memcpy(chunk.data(), &sequence, sizeof sequence);
  std::memcpy(chunk.data() + chunk.size() - sizeof sequence, &sequence, sizeof sequence);
}
inline bool has_stamp(const std::vector<unsigned char>& chunk, std::uint64_t sequence) {
  std::array<std::uint64_t, 2> stamps{};
  std::memcpy(&stamps[0], chunk.data(), sizeof sequence);
  std::memcpy(&stamps[1], chunk.data() + chunk.size() - sizeof sequence, sizeof sequence);
  return stamps[0] == sequence && stamps[1] == sequence;
}

}  // namespace detail

// One loopback TCP connection: direction 0 writes from the client end to
// the server end, direction 1 back.
template <typename Backend>
class tcp_channel {
public:
  using end_type = typename Backend::tcp::socket;
  static constexpr const char* what = "a TCP stream chunk";

  tcp_channel(typename Backend::io_context& ctx, bool /*both_directions*/)
      : listener_(ctx), conn_(connect_pair(listener_, ctx, ctx)) {}

  end_type& writer(int direction) { return direction == 0 ? conn_.client : conn_.server; }
  end_type& reader(int direction) { return direction == 0 ? conn_.server : conn_.client; }

private:
  listener<Backend> listener_;
  connection<Backend> conn_;
};

template <typename Backend, typename Channel = tcp_channel<Backend>>
class stream_loop {
public:
  using end_type = typename Channel::end_type;

  // `chunk` at least 16 bytes (room for both stamps).
  stream_loop(std::size_t chunk, bool both_directions)
      : channel_(ctx_, both_directions), dog_(Channel::what) {
    for (int d = 0; d < (both_directions ? 2 : 1); ++d)
      directions_.push_back(
          std::make_unique<direction>(channel_.writer(d), channel_.reader(d), chunk));
  }

  // Transfers `chunks` chunks in each direction; see the header comment.
  void play(std::uint64_t chunks) {
    for (auto& d : directions_) {
      d->writes_left = d->reads_left = chunks;
      write_next(*d);
      read_next(*d);
    }
    ctx_.run();
    ctx_.restart();
    dog_.beat();
  }

  const stream_tally& tally() const { return tally_; }
  std::size_t directions() const { return directions_.size(); }

private:
  struct direction {
    direction(end_type& w, end_type& r, std::size_t chunk)
        : writer(w), reader(r), out(chunk), in(chunk) {}
    end_type& writer;
    end_type& reader;
    std::vector<unsigned char> out;
    std::vector<unsigned char> in;
    std::uint64_t writes_left = 0;
    std::uint64_t reads_left = 0;
    std::uint64_t written = 0;  // sequence number of the next chunk written
    std::uint64_t read = 0;     // ... and read
  };

  // Records the first failure and stops the loop: the other end would
  // otherwise wait for its peer forever.
  template <typename Error>
  bool failed(const Error& ec, const char* what) {
    return stop_on_failure(ctx_, tally_.error, ec, what);
  }

  // Stamping `out` again is safe once async_write completed: the kernel
  // has copied it.
  void write_next(direction& d) {
    detail::put_stamp(d.out, d.written++);
    async_write(d.writer, Backend::buffer(d.out), [this, &d](const auto& ec, std::size_t) {
      if (!failed(ec, "write") && --d.writes_left > 0) write_next(d);
    });
  }

  void read_next(direction& d) {
    async_read(d.reader, Backend::buffer(d.in), [this, &d](const auto& ec, std::size_t n) {
      if (failed(ec, "read")) return;
      tally_.bytes += n;
      if (detail::has_stamp(d.in, d.read++))
        ++tally_.chunks;
      else
        ++tally_.corrupt;
      if (--d.reads_left > 0) read_next(d);
    });
  }

  typename Backend::io_context ctx_;
  Channel channel_;
  std::vector<std::unique_ptr<direction>> directions_;  // stable: handlers hold them
  stream_tally tally_;
  watchdog dog_;
};

}  // namespace perf
