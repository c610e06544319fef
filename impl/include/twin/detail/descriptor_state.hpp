// twin::detail::descriptor_state — the reactor's record of one registered
// descriptor: its pending operations (one FIFO per kind: read, write,
// except) and the epoll events it is registered for.
//
// It is itself an operation. When epoll reports readiness, the reactor
// queues the descriptor_state (with the ready events as its task result) on
// the scheduler like any handler; whichever thread dequeues it performs the
// I/O, completes the first finished op at once and posts the others. Its
// mutex serializes the reactor, initiating threads and that I/O.
#pragma once

#include <cstdint>

#include "twin/detail/mutex.hpp"
#include "twin/detail/op_queue.hpp"
#include "twin/detail/reactor_op.hpp"

namespace twin::detail {

class epoll_reactor;

class descriptor_state final : public operation {
public:
  enum op_types { read_op = 0, write_op = 1, connect_op = 1, except_op = 2, max_ops = 3 };

  explicit descriptor_state(epoll_reactor& reactor) : operation(&do_complete), reactor_(&reactor) {}

private:
  friend class epoll_reactor;

  // Performs the I/O the ready `events` allow; returns the first completed
  // op (to be completed by the caller) and posts the others.
  operation* perform_io(std::uint32_t events);
  static void do_complete(void* owner, operation* base, const std::error_code& ec,
                          std::size_t events);

  // After an op of `op_type` drained the kernel buffer, whether the next
  // one may wait for readiness instead of trying at once. A drained read
  // buffer gets a new edge when data (or the peer's FIN) arrives — unless
  // the FIN is already here (read_hup_), which no later edge would report.
  bool may_skip_speculation(int op_type) const noexcept { return op_type != read_op || !read_hup_; }

  mutex mutex_{mutex::descriptor};
  epoll_reactor* reactor_;
  descriptor_state* next_free_ = nullptr;  // the reactor's free list
  int descriptor_ = -1;
  std::uint32_t registered_events_ = 0;
  op_queue<reactor_op> op_queue_[max_ops];
  bool try_speculative_[max_ops] = {true, true, true};
  bool shutdown_ = false;
  bool read_hup_ = false;  // the peer closed (EPOLLRDHUP/HUP/ERR seen)
};

}  // namespace twin::detail
