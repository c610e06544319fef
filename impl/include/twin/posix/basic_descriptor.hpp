// twin::posix::basic_descriptor — an I/O object on a descriptor that is no
// socket (a pipe, a tty, an eventfd), taken over with assign() (Asio's
// posix::basic_descriptor): closing, releasing, cancelling, blocking modes
// and waits come from detail::reactive_descriptor.
//
// An assigned descriptor may be shared with a dup, so closing it takes it
// out of epoll explicitly first, as Asio does. Not thread-safe: one object
// is called from one thread at a time.
#pragma once

#include <system_error>

#include "twin/any_io_executor.hpp"
#include "twin/detail/reactive_descriptor.hpp"
#include "twin/detail/socket_ops.hpp"
#include "twin/error.hpp"
#include "twin/io_context.hpp"
#include "twin/posix/descriptor_base.hpp"

namespace twin::posix {

template <typename Executor = any_io_executor>
class basic_descriptor : public descriptor_base, public detail::reactive_descriptor<Executor> {
  using descriptor = detail::reactive_descriptor<Executor>;

public:
  using typename descriptor::executor_type;
  using typename descriptor::native_handle_type;
  using lowest_layer_type = basic_descriptor;

  explicit basic_descriptor(io_context& ctx) : descriptor(ctx) {}
  explicit basic_descriptor(const executor_type& ex) : descriptor(ex) {}
  basic_descriptor(io_context& ctx, native_handle_type fd) : descriptor(ctx) { assign(fd); }
  basic_descriptor(const executor_type& ex, native_handle_type fd) : descriptor(ex) { assign(fd); }
  basic_descriptor(basic_descriptor&&) noexcept = default;
  basic_descriptor& operator=(basic_descriptor&&) noexcept = default;

  lowest_layer_type& lowest_layer() noexcept { return *this; }
  const lowest_layer_type& lowest_layer() const noexcept { return *this; }

  // Takes ownership of an open descriptor; on failure the caller keeps it.
  void assign(native_handle_type fd) {
    return detail::or_throw("assign", [&](std::error_code& ec) { return assign(fd, ec); });
  }
  void assign(native_handle_type fd, std::error_code& ec) {
    if (this->is_open()) {
      ec = error::already_open;
      return;
    }
    this->adopt(fd, detail::socket_ops::possible_dup, ec);
  }

protected:
  ~basic_descriptor() = default;
};

}  // namespace twin::posix
