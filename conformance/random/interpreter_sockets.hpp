// conformance::randomized::socket_ends — the loopback socket pairs of a
// driven program, the byte stream each direction carries, and a model of
// what each end's pending reads can still expect.
//
// Every write sends the next bytes of loopback::pattern for its direction,
// so a read can tell whether it got exactly the bytes that were sent next
// (a lost, repeated or reordered byte shows). Messages are small (under
// 64 bytes, a few KiB in all), so a write never waits for buffer space.
//
// The model lets the interpreter rule out hangs from the trace alone, the
// same way on both backends: a pending read *may be stuck* when no byte it
// could get is on its way, its peer is open and has not shut down sending,
// and nothing has cancelled it. It errs on the side of "stuck": a read it
// calls live always completes (its bytes are in the kernel, or end of
// stream or a cancellation is coming).
//
// One corner is kept out of the programs, where twin and Asio 1.81 are known
// to differ (reported; Asio's side is arguably its bug): once a read on an
// end has got no bytes and an error (eof, a reset), Asio stops trying reads
// there speculatively until epoll reports a new edge, which at end of
// stream never comes — the next read waits for ever, where twin's gets eof;
// likewise a write after a failed one. So an end reads no more once one of
// its reads may have met the end of the stream (the peer has stopped
// sending and the bytes on their way do not cover the reads started), and
// writes no more once a write failed or one started while the end cannot
// send: such steps are skipped. A read queued *before* the stream ended,
// behind the read that met it, still differs (counted as stuck here, it is
// cancelled by the rescue in Asio and gets eof in twin).
//
// Not thread-safe: driven programs only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "conformance/loopback.hpp"
#include "random/program.hpp"

namespace conformance::randomized {

template <typename B>
class socket_ends {
public:
  using socket = typename B::tcp::socket;
  using error_code = typename B::error_code;

  // `pairs` connected loopback pairs on `ctx`: ends 2i (client) and 2i+1.
  socket_ends(typename B::io_context& ctx, int pairs) {
    for (int i = 0; i < pairs; ++i) {
      loopback::socket_pair<B> pair = loopback::connected_pair<B>(ctx);
      sockets_.push_back(std::move(pair.client));
      sockets_.push_back(std::move(pair.server));
    }
    ends_.resize(sockets_.size());
  }

  socket& at(int end) { return sockets_[index(end)]; }

  // The read of step `s` starts: the buffer it reads into.
  auto begin_read(const step& s) {
    end_state& e = ends_[index(s.index)];
    e.reads.push_back({s.id, static_cast<std::size_t>(s.size), e.closed || s.size == 0});
    std::string& buffer = buffers_[s.id];
    buffer.assign(static_cast<std::size_t>(s.size), '\0');
    return B::buffer(buffer.data(), buffer.size());
  }

  // Whether end `end` may start a read / a write (see above).
  bool may_read(int end) const {
    const end_state& e = ends_[index(end)];
    const end_state& peer = ends_[index(end) ^ 1];
    if (e.read_ended) return false;
    if (e.closed || !(peer.closed || peer.send_shut)) return true;
    std::size_t on_the_way = peer.sent > e.received ? peer.sent - e.received : 0;
    for (const pending_read& r : e.reads) {
      if (r.size == 0) continue;          // an empty read reads nothing
      if (on_the_way == 0) return false;  // this one meets the end of the stream
      on_the_way -= std::min(r.size, on_the_way);
    }
    return true;
  }
  bool may_write(int end) const {
    const end_state& e = ends_[index(end)];
    const bool may_fail = e.send_shut || ends_[index(end) ^ 1].closed;
    return !e.write_failed && !(may_fail && e.writes_pending > 0);
  }

  // The read of `s` completed with `n` bytes and `error` (a name, "" for
  // none): whether they are the bytes its peer sent next.
  bool end_read(const step& s, std::size_t n, const std::string& error) {
    end_state& e = ends_[index(s.index)];
    if (n == 0 && s.size > 0 && !error.empty() && error != "ECANCELED") e.read_ended = true;
    std::erase_if(e.reads, [&](const pending_read& r) { return r.id == s.id; });
    const std::string& got = buffers_[s.id];
    bool right = n <= got.size();
    for (std::size_t i = 0; right && i < n; ++i)
      right = got[i] == loopback::pattern_byte(e.received + i);
    e.received += n;
    return right;
  }

  // The write of `s` completed with `error` ("" for none).
  void end_write(const step& s, const std::string& error) {
    end_state& e = ends_[index(s.index)];
    --e.writes_pending;
    if (!error.empty() && error != "ECANCELED") e.write_failed = true;
  }

  // The write of step `s` starts: the buffer it sends (the stream's next
  // bytes, if the end can still send).
  auto begin_write(const step& s) {
    end_state& e = ends_[index(s.index)];
    ++e.writes_pending;
    std::string& buffer = buffers_[s.id];
    buffer.resize(static_cast<std::size_t>(s.size));
    for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = loopback::pattern_byte(e.sent + i);
    if (!e.closed && !e.send_shut) e.sent += buffer.size();
    return B::buffer(static_cast<const void*>(buffer.data()), buffer.size());
  }

  void close(int end, error_code& ec) {
    doom_reads(end);
    ends_[index(end)].closed = true;
    at(end).close(ec);
  }
  void cancel(int end, error_code& ec) {
    doom_reads(end);
    at(end).cancel(ec);
  }
  void shutdown_send(int end, error_code& ec) {
    at(end).shutdown(B::socket_base::shutdown_send, ec);
    if (!ec) ends_[index(end)].send_shut = true;
  }

  // Whether end `end` may shut down sending now. Not while bytes sent to it
  // are unread (by completed reads): the peer acknowledges the FIN with a
  // delay (a few ms, up to 40; receiving a FIN puts it in delayed-ACK
  // mode), and when the ACK comes this end moves to FIN_WAIT2, a state
  // change that wakes epoll — and, with bytes unread, reports EPOLLIN: an
  // event for a descriptor with nothing to do, which both backends still
  // run, and count, as a handler, at a moment no program fixes. With
  // nothing unread the wake-up reports nothing; bytes the peer sends later
  // carry the ACK themselves.
  bool may_shut_down(int end) const {
    const end_state& e = ends_[index(end)];
    return e.closed || ends_[index(end) ^ 1].sent <= e.received;
  }

  // How many pending reads may wait for ever (see above).
  int stuck() const {
    int n = 0;
    for (std::size_t i = 0; i < ends_.size(); ++i) n += stuck_on(i);
    return n;
  }

  // Cancels every end that has a read that may wait for ever; returns their
  // names (" p0s p1c").
  std::string rescue() {
    std::string names;
    for (std::size_t i = 0; i < ends_.size(); ++i) {
      if (stuck_on(i) == 0) continue;
      error_code ignored;
      cancel(static_cast<int>(i), ignored);
      names += " " + end_name(static_cast<int>(i));
    }
    return names;
  }

private:
  struct pending_read {
    int id;
    std::size_t size;
    bool doomed;  // will complete whatever arrives: cancelled, closed or empty
  };
  struct end_state {
    bool closed = false, send_shut = false;
    bool read_ended = false;         // a read got no bytes and an error
    bool write_failed = false;       // a write failed
    int writes_pending = 0;          // started, handler not yet run
    std::size_t sent = 0;            // bytes this end has put on the wire
    std::size_t received = 0;        // bytes its completed reads delivered
    std::deque<pending_read> reads;  // started, handler not yet run, in order
  };

  static std::size_t index(int end) { return static_cast<std::size_t>(end); }

  void doom_reads(int end) {
    for (pending_read& r : ends_[index(end)].reads) r.doomed = true;
  }

  // Reads on end i that may wait for ever. Reads take the bytes on their
  // way in order; a doomed read may already have taken up to its size.
  int stuck_on(std::size_t i) const {
    const end_state& e = ends_[i];
    const end_state& peer = ends_[i ^ 1];
    if ((peer.closed || peer.send_shut) && !e.read_ended) return 0;  // end of stream is coming
    std::size_t on_the_way = peer.sent > e.received ? peer.sent - e.received : 0;
    int n = 0;
    for (const pending_read& r : e.reads) {
      if (!r.doomed && (on_the_way == 0 || e.read_ended)) ++n;
      on_the_way -= std::min(r.size, on_the_way);
    }
    return n;
  }

  std::vector<socket> sockets_;
  std::vector<end_state> ends_;
  std::map<int, std::string> buffers_;  // per read/write step; nodes never move
};

}  // namespace conformance::randomized
