// twin::detail::iovec_array — a buffer sequence flattened into the iovec
// array that recvmsg/sendmsg take: its first 64 buffers (as Asio), empty
// ones left out of the array. Built on the caller's stack; holds no ownership.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <type_traits>

#include "twin/buffer.hpp"

namespace twin {
class null_buffers;
}  // namespace twin

namespace twin::detail {

class iovec_array {
public:
  static constexpr std::size_t max_buffers = 64;

  // Always inlined: for the usual single buffer the loop folds to two
  // stores, which a call would cost more than (callgrind, tcp_pingpong).
  template <typename BufferSequence>
  [[gnu::always_inline]] explicit iovec_array(const BufferSequence& buffers) {
    // Asio's sockets take null_buffers as a wait for readiness; twin's
    // would see no bytes and complete at once, so it is refused here.
    static_assert(!std::is_same_v<BufferSequence, twin::null_buffers>,
                  "twin's sockets do not take null_buffers: use wait() or async_wait()");
    auto it = twin::buffer_sequence_begin(buffers);
    const auto end = twin::buffer_sequence_end(buffers);
    // The first 64 buffers of the sequence, empty ones counted (as Asio's
    // buffer_sequence_adapter counts them), so a sequence longer than that
    // transfers exactly what it would under Asio.
    for (std::size_t taken = 0; it != end && taken < max_buffers; ++it, ++taken) {
      const auto& b = *it;
      if (b.size() == 0) continue;
      iov_[count_].iov_base = const_cast<void*>(static_cast<const void*>(b.data()));
      iov_[count_].iov_len = b.size();
      total_ += b.size();
      ++count_;
    }
  }

  iovec* data() noexcept { return iov_; }
  std::size_t count() const noexcept { return count_; }
  std::size_t total_size() const noexcept { return total_; }
  bool all_empty() const noexcept { return total_ == 0; }

private:
  iovec iov_[max_buffers];
  std::size_t count_ = 0;
  std::size_t total_ = 0;
};

// Whether the buffers an iovec_array would take are all empty (Asio's
// all_empty: the first 64 only), without building one.
template <typename BufferSequence>
bool first_buffers_empty(const BufferSequence& buffers) noexcept {
  auto it = twin::buffer_sequence_begin(buffers);
  const auto end = twin::buffer_sequence_end(buffers);
  for (std::size_t taken = 0; it != end && taken < iovec_array::max_buffers; ++it, ++taken)
    if ((*it).size() != 0) return false;
  return true;
}

}  // namespace twin::detail
