// twin::transfer_all, transfer_at_least, transfer_exactly — completion
// conditions for read, write, async_read and async_write.
//
// A completion condition is called before each read_some/write_some with the
// error so far and the number of bytes transferred so far; it returns how
// many bytes the next call may transfer at most, and 0 to end the operation.
// Each of these ends it on any error. A condition may also return bool
// (true: done), which counts as 0 or 65536, as in Asio. Conditions are
// copied into the operation and called only from the thread completing it.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <system_error>
#include <type_traits>

namespace twin {

namespace detail {

// The most one read_some/write_some is asked for when a condition sets no
// smaller limit.
inline constexpr std::size_t default_max_transfer_size = 65536;

class transfer_all_t {
public:
  std::size_t operator()(const std::error_code& ec, std::size_t) const noexcept {
    return ec ? 0 : default_max_transfer_size;
  }
};

class transfer_at_least_t {
public:
  explicit transfer_at_least_t(std::size_t minimum) noexcept : minimum_(minimum) {}
  std::size_t operator()(const std::error_code& ec, std::size_t transferred) const noexcept {
    return ec || transferred >= minimum_ ? 0 : default_max_transfer_size;
  }

private:
  std::size_t minimum_;
};

class transfer_exactly_t {
public:
  explicit transfer_exactly_t(std::size_t size) noexcept : size_(size) {}
  std::size_t operator()(const std::error_code& ec, std::size_t transferred) const noexcept {
    if (ec || transferred >= size_) return 0;
    return std::min(size_ - transferred, default_max_transfer_size);
  }

private:
  std::size_t size_;
};

// Asio's CompletionCondition: condition(ec, bytes_so_far) -> size_t or bool.
template <typename C>
concept completion_condition = std::move_constructible<C> &&
    requires(C& c, const std::error_code& ec, std::size_t n) {
  { c(ec, n) } -> std::convertible_to<std::size_t>;
};

// How many bytes the next read_some/write_some may transfer (0: done).
template <completion_condition C>
std::size_t check_completion(C& condition, const std::error_code& ec, std::size_t transferred) {
  if constexpr (std::is_same_v<decltype(condition(ec, transferred)), bool>)
    return condition(ec, transferred) ? 0 : default_max_transfer_size;
  else
    return condition(ec, transferred);
}

}  // namespace detail

// Transfers until the buffers are full (or the dynamic buffer is at its
// max_size), end of file, or an error.
inline detail::transfer_all_t transfer_all() noexcept { return {}; }

// Transfers until at least `minimum` bytes have been transferred, or an error.
inline detail::transfer_at_least_t transfer_at_least(std::size_t minimum) noexcept {
  return detail::transfer_at_least_t(minimum);
}

// Transfers exactly `size` bytes, unless an error ends the operation first.
inline detail::transfer_exactly_t transfer_exactly(std::size_t size) noexcept {
  return detail::transfer_exactly_t(size);
}

}  // namespace twin
