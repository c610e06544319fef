#include "twin/detail/resolver_thread.hpp"

namespace twin::detail {

// The work guard is taken before the thread starts, so run() cannot find the
// context idle and return before the first lookup arrives.
resolver_thread::resolver_thread()
    : work_(context_.get_executor()), thread_([this] { context_.run(); }) {}

resolver_thread::~resolver_thread() {
  // Releasing the guard lets run() return once the queued lookups are done;
  // they are run, not dropped, so that each handler gets its completion.
  work_.reset();
  thread_.join();
}

}  // namespace twin::detail
