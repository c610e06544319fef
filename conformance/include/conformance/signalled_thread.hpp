// conformance::signalled_thread — a helper thread and what it waits on: a
// mutex, a condition variable and a quit flag. Destroying it sets the flag,
// wakes the thread and joins it; the body returns once it sees `quit`.
// The owner declares it last, so that the body starts once the owner's
// other members exist and is joined before they go.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

namespace conformance {

class signalled_thread {
public:
  template <typename Body>
  explicit signalled_thread(Body body) : thread_(std::move(body)) {}

  ~signalled_thread() {
    {
      std::lock_guard lock(mutex);
      quit = true;
    }
    changed.notify_one();
    thread_.join();
  }

  signalled_thread(const signalled_thread&) = delete;
  signalled_thread& operator=(const signalled_thread&) = delete;

  std::mutex mutex;
  std::condition_variable changed;  // notified after a change under `mutex`
  bool quit = false;                // under `mutex`

private:
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace conformance
