// Fault scenarios: one signal at a thread asleep in a blocking read_some or
// accept, which Asio then returns EINTR from.
#pragma once

#include <signal.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iterator>
#include <string>
#include <thread>

#include "conformance/error_name.hpp"
#include "conformance/expectations.hpp"
#include "conformance/fault_injection.hpp"
#include "conformance/kernel_probe.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/fault/suite.hpp"

namespace conformance::fault {

// The system calls a thread sleeps in during a blocking read_some or
// accept: the call itself, or poll() when the descriptor is non-blocking.
inline constexpr long read_syscalls[] = {SYS_recvmsg, SYS_recvfrom, SYS_read, SYS_poll, SYS_ppoll};

inline constexpr long accept_syscalls[] = {SYS_accept, SYS_accept4, SYS_poll, SYS_ppoll};

// Runs `call` on a thread of its own and hits that thread with one SIGUSR1
// once it sleeps in one of `syscalls`. Returns what `call` reported first
// if the signal made it return, or "still waiting" if the thread went back
// to sleep instead (it handled the signal: it was woken, and slept again —
// a voluntary context switch — without returning). Then runs `release`
// (which gives the call what it waits for) and joins the thread; `after`
// gets what the call, or the retry after an EINTR, finally reported.
template <typename Call, typename Release, typename Syscalls>
std::string signal_while_blocked(Call call, Release release, const Syscalls& syscalls,
                                 std::string& after) {
  std::atomic<pid_t> tid{0};
  std::atomic<bool> returned{false};
  std::string first;
  std::thread caller([&] {
    tid = kernel_probe::this_thread_id();
    first = call();
    returned = true;
    after = first == "EINTR" ? call() : first;
  });
  std::string verdict = "never blocked";
  if (wait_until([&] { return tid != 0; }) &&
      kernel_probe::wait_until_blocked(tid.load(), syscalls)) {
    const long switches = kernel_probe::voluntary_switches(tid);
    ::syscall(SYS_tgkill, ::getpid(), tid.load(), SIGUSR1);
    const auto handled = [&] {
      if (returned) return true;
      const long nr = kernel_probe::blocked_syscall(tid);
      return kernel_probe::voluntary_switches(tid) > switches &&
             std::find(std::begin(syscalls), std::end(syscalls), nr) != std::end(syscalls);
    };
    verdict = !wait_until(handled) ? "signal never handled" : returned ? first : "still waiting";
  }
  release();
  caller.join();
  return verdict;
}

// A signal breaks a thread out of a blocking synchronous call: when it
// arrives (no SA_RESTART) while read_some or accept sleeps in the kernel,
// Asio returns EINTR (error::interrupted) to the caller rather than going
// back to sleep — so a program can use a signal to unblock a thread — and
// the call made afterwards gets the data, or the connection.
TYPED_TEST_P(Fault, SignalInterruptsBlockingSyncCalls) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        scoped_signal_handler handler(SIGUSR1, &ignore_signal);
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> client(ctx);
        std::string after;
        const std::string read = signal_while_blocked(
            [&] {
              char buf[16];
              typename B::error_code ec;
              const std::size_t n = p.client.read_some(B::buffer(buf), ec);
              return ec ? error_name(ec) : text(buf, n);
            },
            [&] { write(p.server, B::buffer(std::string("after"))); }, read_syscalls, after);
        rec.record("read_some hit by a signal while asleep: " + read);
        rec.record("it, or the read after it, got: " + after);
        loopback::socket<B> accepted(ctx);
        const std::string accept = signal_while_blocked(
            [&] {
              typename B::error_code ec;
              listener.accept(accepted, ec);
              return ec ? error_name(ec) : std::string("connection");
            },
            [&] { client.connect(listener.local_endpoint()); }, accept_syscalls, after);
        rec.record("accept hit by a signal while asleep: " + accept);
        rec.record("it, or the accept after it, got: " + after);
        rec.record("the connection is the client's: " +
                   yes_no(loopback::is_peer<B>(accepted, client)));
        count_faults(B::name, "signals", 2);
      },
      expect_labels(ElementsAre(
          "read_some hit by a signal while asleep: EINTR", "it, or the read after it, got: after",
          "accept hit by a signal while asleep: EINTR",
          "it, or the accept after it, got: connection", "the connection is the client's: yes")));
}

}  // namespace conformance::fault
