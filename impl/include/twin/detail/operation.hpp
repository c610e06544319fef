// twin::detail::operation — the unit of work every queue in twin holds.
//
// An operation is an object with a function pointer, not a virtual class:
// `complete(owner, ec, bytes)` runs it, `destroy()` frees it without running
// it (the function sees a null owner, which means "shutting down"). Concrete
// operations (a posted handler, a reactor op, a timer wait) derive from it
// and pass their static `do_complete` to the constructor.
#pragma once

#include <cstddef>
#include <system_error>

namespace twin::detail {

template <typename Operation>
class op_queue;

class operation {
public:
  // Invokes the operation; `owner` is the scheduler running it. The operation
  // frees itself before its handler runs.
  void complete(void* owner, const std::error_code& ec, std::size_t bytes) {
    func_(owner, this, ec, bytes);
  }

  // Frees the operation without invoking its handler.
  void destroy() { func_(nullptr, this, std::error_code(), 0); }

  // Events a reactor reports for a descriptor op (EPOLLIN, ...); passed to
  // `complete` as its byte count, as Asio's task_result_ is.
  unsigned task_result_ = 0;

protected:
  using func_type = void (*)(void* owner, operation* op, const std::error_code& ec,
                             std::size_t bytes);

  explicit operation(func_type func) noexcept : func_(func) {}
  ~operation() = default;  // never deleted through a base pointer

private:
  template <typename>
  friend class op_queue;

  operation* next_ = nullptr;
  func_type func_;
};

}  // namespace twin::detail
