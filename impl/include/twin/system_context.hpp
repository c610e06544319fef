// twin::system_context — the execution context behind system_executor
// (Asio's system_context): one per process, made the first time a
// system_executor needs it, with twice the hardware's threads (at least
// two) running what is queued to it. It always has work, so its threads
// run until stop(); at exit its destructor stops them, joins them, then
// shuts its services down and destroys them. Functions still queued then
// are destroyed, uninvoked. Safe to use from any thread; join() from one.
#pragma once

#include <thread>
#include <vector>

#include "twin/detail/scheduler.hpp"
#include "twin/execution_context.hpp"
#include "twin/system_executor.hpp"

namespace twin {

class system_context : public execution_context {
public:
  using executor_type = system_executor;

  system_context(const system_context&) = delete;
  system_context& operator=(const system_context&) = delete;
  ~system_context() override;

  executor_type get_executor() noexcept { return system_executor(); }

  // The threads return as soon as possible; queued functions may never run.
  void stop();
  bool stopped() const noexcept;
  // Waits for the threads to return (after stop()).
  void join();

  // The scheduler behind the context (for twin's services).
  detail::scheduler& impl() noexcept { return impl_; }

private:
  friend system_context& detail::system_context_instance();
  system_context();

  detail::scheduler impl_;
  std::vector<std::thread> threads_;
};

}  // namespace twin
