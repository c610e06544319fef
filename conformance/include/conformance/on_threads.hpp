// conformance::on_threads — the same body on several threads of the
// scenario's own at once, joined before it returns.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

namespace conformance {

// Calls body(i) for each i in [0, n), each on a thread of its own; the
// threads are all started before any of them calls its body, so the calls
// overlap as much as the machine allows. Returns once every call has
// returned.
template <typename Count, typename Body>
void on_threads(Count n, Body body) {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (Count i = 0; i < n; ++i)
    threads.emplace_back([&go, &body, i] {
      go.wait(false);
      body(i);
    });
  go = true;
  go.notify_all();
  for (std::thread& t : threads) t.join();
}

}  // namespace conformance
