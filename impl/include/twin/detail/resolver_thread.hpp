// twin::detail::resolver_thread — the private thread on which a resolver's
// asynchronous lookups block in getaddrinfo, so that no thread running the
// user's io_context ever waits for DNS.
//
// As in Asio, the thread runs a private io_context of its own; lookups are
// posted to it and run one at a time, in order. Asio keeps one such thread
// per io_context (in its resolver service); twin, having no services, keeps
// one per resolver, started by the first asynchronous lookup. Destruction
// runs every lookup still queued (a cancelled one finishes at once with
// operation_aborted) and joins the thread, so it waits for a lookup that is
// in progress. Not thread-safe: one resolver is used by one thread at a time.
#pragma once

#include <thread>
#include <utility>

#include "twin/executor_work_guard.hpp"
#include "twin/io_context.hpp"

namespace twin::detail {

class resolver_thread {
public:
  resolver_thread();
  ~resolver_thread();
  resolver_thread(const resolver_thread&) = delete;
  resolver_thread& operator=(const resolver_thread&) = delete;

  // Queues `lookup` (a nullary function object) to run on the thread.
  template <typename Lookup>
  void post(Lookup&& lookup) {
    context_.get_executor().post(std::forward<Lookup>(lookup));
  }

private:
  io_context context_;
  // Keeps run() going between lookups, until destruction.
  executor_work_guard<io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace twin::detail
