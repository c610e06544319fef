// twin::system_context: the process's one instance, its threads, and
// system_executor's way to it.
#include "twin/system_context.hpp"

#include <algorithm>
#include <exception>

#include "twin/detail/scheduler_service.hpp"

namespace twin {

namespace detail {

// A function-local static: made on first use, by whichever thread comes
// first (the language makes that safe), destroyed at exit.
system_context& system_context_instance() {
  static system_context context;
  return context;
}

scheduler& system_scheduler() { return system_context_instance().impl(); }

}  // namespace detail

system_context& system_executor::context() const noexcept {
  return detail::system_context_instance();
}

system_context::system_context() : impl_(-1, /*batch_runs=*/false) {
  add_service(*this, new detail::scheduler_service(*this, impl_));
  impl_.work_started();  // never given up: the system context always has work
  const unsigned n = std::max(2u, 2 * std::thread::hardware_concurrency());
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i)
    threads_.emplace_back([this] {
      try {
        impl_.run();
      } catch (...) {
        std::terminate();
      }
    });
}

system_context::~system_context() {
  stop();
  join();
  shutdown();
  destroy();
}

void system_context::stop() { impl_.stop(); }

bool system_context::stopped() const noexcept { return impl_.stopped(); }

void system_context::join() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace twin
