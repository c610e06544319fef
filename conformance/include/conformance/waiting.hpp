// conformance waiting — bounded waits for what another thread (or a child
// process) does, and how a child process ended.
//
// A scenario never sleeps "long enough" for something to happen: it waits
// for the thing itself, and gives up after wait_limit, recording what never
// came, so that a lost wake-up or a lost completion fails the scenario
// instead of hanging it. A wait proves that something happened (or happened
// concurrently), never in what order. Any thread may call these.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "conformance/trace.hpp"

namespace conformance {

// How long a scenario waits for one thing another thread should do — a
// handler to run, a thread to block, a child process to exit — before it
// calls it lost: far beyond any scheduling delay, even under a sanitizer,
// and well below the watchdog's ceiling (watchdog.hpp).
inline constexpr std::chrono::seconds wait_limit{20};

// Yields until `done()` holds or `limit` passes; returns done().
template <typename Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds limit = wait_limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::yield();
  }
  return true;
}

// Yields until `flag` is set or `limit` passes; returns the flag.
inline bool wait_until(const std::atomic<bool>& flag,
                       std::chrono::milliseconds limit = wait_limit) {
  return wait_until([&] { return flag.load(); }, limit);
}

// True when `result` becomes ready within wait_limit.
template <typename T>
bool ready_in_time(const std::future<T>& result) {
  return result.wait_for(wait_limit) == std::future_status::ready;
}

// Posts, from the calling thread, a handler that records `label`, and waits
// until it has run; records `label + " never ran"` when it does not within
// wait_limit. `target` is an io_context or an executor; on a strand,
// everything posted to it earlier has run once this returns.
template <typename Target>
void post_and_wait(Target& target, recorder& rec, const std::string& label) {
  std::promise<void> ran;
  post(target, [&] {
    rec.record(label);
    ran.set_value();
  });
  if (!ready_in_time(ran.get_future())) rec.record(label + " never ran");
}

// Waits at most wait_limit for the child to exit (killing it after that)
// and describes how it ended.
inline std::string wait_for_child(pid_t pid) {
  int status = 0;
  pid_t done = 0;
  const bool ended = wait_until([&] { return (done = ::waitpid(pid, &status, WNOHANG)) != 0; });
  if (done < 0) return "waitpid failed";
  if (!ended) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return "child hung";
  }
  if (WIFEXITED(status)) return "child exited with status " + std::to_string(WEXITSTATUS(status));
  return "child killed by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace conformance
