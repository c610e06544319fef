// twin::detail reactor operations for sockets: receive, send, accept and
// connect, each holding the user's handler.
//
// perform() makes one non-blocking attempt (called with the descriptor's
// mutex held, by the initiating thread or by the thread performing I/O for
// the reactor); the completion then frees the op and delivers the handler
// through its associated executor (handler_work.hpp).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <utility>

#include "twin/detail/handler_memory.hpp"
#include "twin/detail/handler_work.hpp"
#include "twin/detail/iovec_array.hpp"
#include "twin/detail/reactor_op.hpp"
#include "twin/detail/socket_ops.hpp"

namespace twin::detail {

// The shared tail of every socket op's completion: free the op, then call
// handler(ec, result...) unless the scheduler is shutting down.
template <typename Op, typename Handler, typename... Results>
void finish(void* owner, Op* self, Handler& handler, Results&&... results) {
  const std::error_code ec = self->ec_;
  destroy_handler_object(self);
  if (owner) complete_handler(handler, ec, std::forward<Results>(results)...);
}

// "Nothing left" (TCP_INQ) is only trusted after a read smaller than this.
// A large read opens the receive window wide, the kernel announces that at
// once, and a flow-controlled peer's next segment then arrives moments after
// the count was taken: waiting for its edge instead of reading on halved
// two-way 64 KiB streaming (tcp_stream/directions:2), while reads of 16 KiB
// and less showed no such effect. Measured on loopback, Linux 6.x.
inline constexpr std::size_t unread_trusted_below = 16 * 1024;

// What a receive and a send share: the descriptor, the buffers, the flags,
// the handler, and the completion, handler(ec, bytes_transferred). `Op`, the
// derived class, supplies the attempt (perform).
template <typename Op, typename Buffers, typename Handler>
class socket_transfer_op : public reactor_op {
protected:
  template <typename H>
  socket_transfer_op(perform_func_type perform, int s, const Buffers& buffers, int flags,
                     H&& handler)
      : reactor_op(perform, &do_complete),
        socket_(s),
        buffers_(buffers),
        flags_(flags),
        handler_(std::forward<H>(handler)) {}

  int socket_;
  Buffers buffers_;
  int flags_;

private:
  static void do_complete(void* owner, operation* base, const std::error_code&, std::size_t) {
    auto* self = static_cast<Op*>(base);
    tracked<Handler> handler(std::move(self->handler_));
    const std::size_t bytes = self->bytes_transferred_;
    finish(owner, self, handler, bytes);
  }

  tracked<Handler> handler_;
};

template <typename MutableBuffers, typename Handler>
class socket_recv_op final
    : public socket_transfer_op<socket_recv_op<MutableBuffers, Handler>, MutableBuffers, Handler> {
  using base_type = socket_transfer_op<socket_recv_op, MutableBuffers, Handler>;

public:
  template <typename H>
  socket_recv_op(int s, unsigned char state, const MutableBuffers& buffers, int flags, H&& handler)
      : base_type(&do_perform, s, buffers, flags, std::forward<H>(handler)), state_(state) {}

private:
  static reactor_op::status do_perform(reactor_op* base) {
    auto* self = static_cast<socket_recv_op*>(base);
    iovec_array bufs(self->buffers_);
    const bool stream = (self->state_ & socket_ops::stream_oriented) != 0;
    std::size_t unread = socket_ops::unread_unknown;
    if (!socket_ops::non_blocking_recv(
            self->socket_, bufs.data(), bufs.count(), self->flags_, stream, self->ec_,
            self->bytes_transferred_,
            (self->state_ & socket_ops::reports_unread) ? &unread : nullptr))
      return reactor_op::not_done;
    // A read that drained the socket — a short one, or a small one the
    // kernel says left nothing (TCP_INQ) — lets the next read wait for
    // epoll's next edge instead of trying (and failing with EAGAIN) first:
    // one system call less per message than Asio, which tries every read.
    // The reactor keeps trying at once when the peer's FIN already arrived
    // (descriptor_state::may_skip_speculation), since no edge would follow.
    const bool drained = self->bytes_transferred_ < bufs.total_size() ||
                         (unread == 0 && self->bytes_transferred_ < unread_trusted_below);
    return stream && drained ? reactor_op::done_and_exhausted : reactor_op::done;
  }

  unsigned char state_;
};

template <typename ConstBuffers, typename Handler>
class socket_send_op final
    : public socket_transfer_op<socket_send_op<ConstBuffers, Handler>, ConstBuffers, Handler> {
  using base_type = socket_transfer_op<socket_send_op, ConstBuffers, Handler>;

public:
  template <typename H>
  socket_send_op(int s, const ConstBuffers& buffers, int flags, H&& handler)
      : base_type(&do_perform, s, buffers, flags, std::forward<H>(handler)) {}

private:
  static reactor_op::status do_perform(reactor_op* base) {
    auto* self = static_cast<socket_send_op*>(base);
    iovec_array bufs(self->buffers_);
    if (!socket_ops::non_blocking_send(self->socket_, bufs.data(), bufs.count(), self->flags_,
                                       self->ec_, self->bytes_transferred_))
      return reactor_op::not_done;
    // A short write filled the socket buffer: wait for EPOLLOUT before the
    // next one.
    return self->bytes_transferred_ < bufs.total_size() ? reactor_op::done_and_exhausted
                                                        : reactor_op::done;
  }
};

// Receives one datagram and its sender's address into `sender` (an
// endpoint the caller keeps alive until the handler runs).
template <typename MutableBuffers, typename Endpoint, typename Handler>
class socket_recvfrom_op final
    : public socket_transfer_op<socket_recvfrom_op<MutableBuffers, Endpoint, Handler>,
                                MutableBuffers, Handler> {
  using base_type = socket_transfer_op<socket_recvfrom_op, MutableBuffers, Handler>;

public:
  template <typename H>
  socket_recvfrom_op(int s, const MutableBuffers& buffers, Endpoint& sender, int flags, H&& handler)
      : base_type(&do_perform, s, buffers, flags, std::forward<H>(handler)), sender_(sender) {}

private:
  static reactor_op::status do_perform(reactor_op* base) {
    auto* self = static_cast<socket_recvfrom_op*>(base);
    iovec_array bufs(self->buffers_);
    std::size_t size = self->sender_.capacity();
    if (!socket_ops::non_blocking_recvfrom(self->socket_, bufs.data(), bufs.count(), self->flags_,
                                           self->ec_, self->bytes_transferred_,
                                           self->sender_.data(), &size))
      return reactor_op::not_done;
    if (!self->ec_) self->sender_.resize(size);
    return reactor_op::done;
  }

  Endpoint& sender_;
};

// Sends one datagram to `destination` (copied: the caller's may go).
template <typename ConstBuffers, typename Endpoint, typename Handler>
class socket_sendto_op final
    : public socket_transfer_op<socket_sendto_op<ConstBuffers, Endpoint, Handler>, ConstBuffers,
                                Handler> {
  using base_type = socket_transfer_op<socket_sendto_op, ConstBuffers, Handler>;

public:
  template <typename H>
  socket_sendto_op(int s, const ConstBuffers& buffers, const Endpoint& destination, int flags,
                   H&& handler)
      : base_type(&do_perform, s, buffers, flags, std::forward<H>(handler)),
        destination_(destination) {}

private:
  static reactor_op::status do_perform(reactor_op* base) {
    auto* self = static_cast<socket_sendto_op*>(base);
    iovec_array bufs(self->buffers_);
    return socket_ops::non_blocking_sendto(self->socket_, bufs.data(), bufs.count(), self->flags_,
                                           self->ec_, self->bytes_transferred_,
                                           self->destination_.data(), self->destination_.size())
               ? reactor_op::done
               : reactor_op::not_done;
  }

  Endpoint destination_;
};

// An op whose handler receives only the error: `Attempt(descriptor, ec)`
// is its non-blocking step, true when it finished.
template <bool (*Attempt)(int, std::error_code&), typename Handler>
class reactive_error_op final : public reactor_op {
public:
  template <typename H>
  reactive_error_op(int s, H&& handler)
      : reactor_op(&do_perform, &do_complete), socket_(s), handler_(std::forward<H>(handler)) {}

private:
  static status do_perform(reactor_op* base) {
    auto* self = static_cast<reactive_error_op*>(base);
    return Attempt(self->socket_, self->ec_) ? done : not_done;
  }

  static void do_complete(void* owner, operation* base, const std::error_code&, std::size_t) {
    auto* self = static_cast<reactive_error_op*>(base);
    tracked<Handler> handler(std::move(self->handler_));
    finish(owner, self, handler);
  }

  int socket_;
  tracked<Handler> handler_;
};

// Waits for a connect started by the initiating call to finish.
template <typename Handler>
using socket_connect_op = reactive_error_op<&socket_ops::non_blocking_connect, Handler>;

// A wait's step does no I/O: the reactor performing it means the
// readiness it waited for came (or an error, reported by the next call).
inline bool readiness_arrived(int, std::error_code&) { return true; }

// Waits until a descriptor is readable, writable or has an error pending
// (async_wait of sockets and descriptors).
template <typename Handler>
using reactive_wait_op = reactive_error_op<&readiness_arrived, Handler>;

// Accepts one connection. `Completion` turns the new descriptor into what
// the handler receives (assigning it to a socket, or making a new one).
template <typename Completion>
class socket_accept_op final : public reactor_op {
public:
  socket_accept_op(int s, Completion&& completion)
      : reactor_op(&do_perform, &do_complete), socket_(s), completion_(std::move(completion)) {}

private:
  static status do_perform(reactor_op* base) {
    auto* self = static_cast<socket_accept_op*>(base);
    return socket_ops::non_blocking_accept(self->socket_, nullptr, nullptr, self->ec_,
                                           self->new_socket_)
               ? done
               : not_done;
  }

  static void do_complete(void* owner, operation* base, const std::error_code&, std::size_t) {
    auto* self = static_cast<socket_accept_op*>(base);
    Completion completion(std::move(self->completion_));
    std::error_code ec = self->ec_;
    const int new_socket = self->new_socket_;
    destroy_handler_object(self);
    if (owner)
      completion(ec, new_socket);
    else if (new_socket >= 0)
      ::close(new_socket);
  }

  int socket_;
  int new_socket_ = -1;
  Completion completion_;
};

}  // namespace twin::detail
