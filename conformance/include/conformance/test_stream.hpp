// conformance::test_stream — a stream of the harness's own, for composed
// operations (read, read_until, write) over something other than a socket.
//
// Reads deliver a scripted input at most `chunk` bytes per call, then end of
// file (B::eof()) once it is used up; writes accept at most `chunk` bytes
// per call into `written()`. The asynchronous initiating functions take the
// handler BY VALUE, as the test streams in Asio's own tests do and unlike
// real sockets (which take it by reference): a composed operation that
// touches its own state after handing itself to the stream is caught.
// Completions are posted to the stream's executor, so a handler never runs
// inside its initiating call. Every call is counted (read_calls(),
// write_calls()), so a scenario can tell how a composed operation split its
// work. One thread at a time, like a socket.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>

namespace conformance {

// `Executor` is a template argument (not just a member type) so that the
// backend's namespace is associated with the stream: read(s, ...),
// async_read_until(s, ...) then find the backend's functions by
// argument-dependent lookup, as they do for the backend's own sockets.
template <typename B, typename Executor = typename B::io_context::executor_type>
class test_stream {
public:
  using executor_type = Executor;
  using error_code = typename B::error_code;

  // A stream whose reads return `input`, `chunk` bytes at a time at most.
  test_stream(typename B::io_context& ctx, std::string input, std::size_t chunk)
      : executor_(ctx.get_executor()), input_(std::move(input)), chunk_(chunk) {}

  executor_type get_executor() const noexcept { return executor_; }

  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, error_code& ec) {
    ++read_calls_;
    return transfer_in(buffers, ec);
  }
  template <typename MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    error_code ec;
    return or_throw(read_some(buffers, ec), ec);
  }

  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, error_code& ec) {
    ++write_calls_;
    return transfer_out(buffers, ec);
  }
  template <typename ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    error_code ec;
    return or_throw(write_some(buffers, ec), ec);
  }

  // The transfer happens now; the handler is posted with its result.
  template <typename MutableBuffers, typename Handler>
  void async_read_some(const MutableBuffers& buffers, Handler handler) {
    error_code ec;
    const std::size_t n = read_some(buffers, ec);
    complete_later(std::move(handler), ec, n);
  }

  template <typename ConstBuffers, typename Handler>
  void async_write_some(const ConstBuffers& buffers, Handler handler) {
    error_code ec;
    const std::size_t n = write_some(buffers, ec);
    complete_later(std::move(handler), ec, n);
  }

  const std::string& written() const noexcept { return written_; }
  std::size_t unread() const noexcept { return input_.size() - read_; }
  int read_calls() const noexcept { return read_calls_; }
  int write_calls() const noexcept { return write_calls_; }

private:
  // The throwing forms' result: `n`, or `ec` thrown as B::system_error.
  static std::size_t or_throw(std::size_t n, const error_code& ec) {
    if (ec) throw typename B::system_error(ec);
    return n;
  }

  // Posts handler(ec, n) to the stream's executor.
  template <typename Handler>
  void complete_later(Handler handler, const error_code& ec, std::size_t n) {
    post(executor_, [h = std::move(handler), ec, n]() mutable { h(ec, n); });
  }

  // Copies up to `chunk_` bytes of the input into `buffers`, in order. A
  // request for 0 bytes gets 0 and no error, as from a socket; a request
  // past the end of the input gets end of file.
  template <typename MutableBuffers>
  std::size_t transfer_in(const MutableBuffers& buffers, error_code& ec) {
    ec = {};
    std::size_t total = 0;
    bool asked = false;
    for (auto it = buffer_sequence_begin(buffers); it != buffer_sequence_end(buffers); ++it) {
      const auto b = *it;
      if (b.size() == 0) continue;
      asked = true;
      const std::size_t n = std::min({b.size(), chunk_ - total, input_.size() - read_});
      std::memcpy(b.data(), input_.data() + read_, n);
      read_ += n;
      total += n;
      if (total == chunk_ || read_ == input_.size()) break;
    }
    if (asked && total == 0) ec = B::eof();
    return total;
  }

  template <typename ConstBuffers>
  std::size_t transfer_out(const ConstBuffers& buffers, error_code& ec) {
    ec = {};
    std::size_t total = 0;
    for (auto it = buffer_sequence_begin(buffers); it != buffer_sequence_end(buffers); ++it) {
      const auto b = *it;
      const std::size_t n = std::min(b.size(), chunk_ - total);
      written_.append(static_cast<const char*>(b.data()), n);
      total += n;
      if (total == chunk_) break;
    }
    return total;
  }

  executor_type executor_;
  std::string input_;
  std::size_t chunk_;
  std::size_t read_ = 0;
  std::string written_;
  int read_calls_ = 0;
  int write_calls_ = 0;
};

}  // namespace conformance
