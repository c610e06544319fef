// Socket scenarios: sockets beyond one thread — handlers of four
// connections bound to one strand on two run threads never overlap; a
// server's write queue fed from another thread delivers every message once,
// in order; after fork(), with notify_fork, the child's context and the
// parent's both work.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/loopback.hpp"
#include "conformance/outcome.hpp"
#include "conformance/overlap_meter.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// What the strand-bound handlers of StrandBoundHandlersNeverOverlap saw.
struct strand_tally {
  overlap_meter meter;          // handlers in flight at once
  std::atomic<int> outside{0};  // handlers that ran outside the strand
};

// One connection bouncing "ping" back and forth `rounds` times, every
// handler (of composed operations too) bound to the shared strand.
template <typename B, typename Strand>
class ping_pong {
public:
  ping_pong(typename B::io_context& ctx, Strand& strand, strand_tally& tally, int rounds)
      : pair_(connected_pair<B>(ctx)), strand_(strand), tally_(tally), rounds_(rounds) {}

  void start() {
    client_write();
    server_read();
  }
  int rounds_done() const { return done_; }

private:
  template <typename F>
  auto bound(F f) {
    return bind_executor(strand_, [this, f](const auto& ec, std::size_t) {
      tally_.meter.enter();
      if (!strand_.running_in_this_thread()) ++tally_.outside;
      if (!ec) f();
      tally_.meter.leave();
    });
  }
  void client_write() {
    async_write(pair_.client, B::buffer(out_), bound([this] { client_read(); }));
  }
  void client_read() {
    async_read(pair_.client, B::buffer(in_), bound([this] {
                 if (++done_ < rounds_) client_write();
               }));
  }
  void server_read() {
    async_read(pair_.server, B::buffer(echo_), bound([this] { server_write(); }));
  }
  void server_write() {
    async_write(pair_.server, B::buffer(echo_), bound([this] {
                  if (++echoed_ < rounds_) server_read();
                }));
  }

  loopback::socket_pair<B> pair_;
  Strand& strand_;
  strand_tally& tally_;
  const int rounds_;
  int done_ = 0, echoed_ = 0;
  char out_[4] = {'p', 'i', 'n', 'g'}, in_[4] = {}, echo_[4] = {};
};

// Four connections share one strand while two threads run the context:
// their socket handlers never overlap and all run inside the strand.
TYPED_TEST_P(Socket, StrandBoundHandlersNeverOverlap) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr int connections = 4, rounds = 100;
        typename B::io_context ctx;
        auto strand = make_strand(ctx);
        using strand_type = decltype(strand);
        strand_tally tally;
        std::vector<std::unique_ptr<ping_pong<B, strand_type>>> games;
        for (int i = 0; i < connections; ++i)
          games.push_back(std::make_unique<ping_pong<B, strand_type>>(ctx, strand, tally, rounds));
        for (auto& game : games) game->start();
        run_threads runners(ctx, 2, rec);
        runners.join();
        int rounds_done = 0;
        for (auto& game : games) rounds_done += game->rounds_done();
        rec.record("rounds done: " + std::to_string(rounds_done));
        rec.record("handlers run: " + std::to_string(tally.meter.left()));
        rec.record("most handlers in flight: " + std::to_string(tally.meter.most()));
        rec.record("ran outside the strand: " + std::to_string(tally.outside.load()));
      },
      expect_labels(ElementsAre("runner 0 started", "runner 1 started", "rounds done: 400",
                                "handlers run: 1600", "most handlers in flight: 1",
                                "ran outside the strand: 0")));
}

// A chat session's server side: messages are handed over by handlers posted
// from another thread, queued, and written one async_write
// at a time (the next starts from the previous one's handler).
template <typename B>
class chat_writer {
public:
  explicit chat_writer(loopback::socket<B>& socket) : socket_(socket) {}

  // Runs on the io_context.
  void deliver(std::string message) {
    const bool write_in_progress = !queue_.empty();
    queue_.push_back(std::move(message));
    if (!write_in_progress) write_front();
  }
  int most_outstanding() const { return most_; }
  int errors() const { return errors_; }

private:
  void write_front() {
    most_ = std::max(most_, ++outstanding_);
    async_write(socket_, B::buffer(queue_.front()), [this](const auto& ec, std::size_t) {
      --outstanding_;
      if (ec) {
        ++errors_;
        socket_.close();
        return;
      }
      queue_.pop_front();
      if (!queue_.empty()) write_front();
    });
  }

  loopback::socket<B>& socket_;
  std::deque<std::string> queue_;  // references stay valid as it grows
  int outstanding_ = 0, most_ = 0, errors_ = 0;
};

// Message i, sized so that some take several writes.
inline std::string chat_message(int i) {
  const std::size_t length = static_cast<std::size_t>(i) * 7919 % 40000;
  return "message " + std::to_string(i) + " " +
         std::string(length, static_cast<char>('a' + i % 26)) + "\n";
}

// 300 messages, some of several writes' worth, handed to chat_writer from
// the main thread and read line by line by the client: each arrives once,
// in order, with never more than one write outstanding.
TYPED_TEST_P(Socket, ChatWriteQueueDeliversInOrder) {
  verify<TypeParam>(
      determinism::nondeterministic,
      []<class B>(recorder& rec) {
        constexpr int messages = 300;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        chat_writer<B> writer(p.server);
        std::string inbox;
        int received = 0, wrong = 0;
        std::promise<void> finished;
        bool finished_set = false;
        auto finish = [&] {
          if (!std::exchange(finished_set, true)) finished.set_value();
        };
        std::function<void()> read_line = [&] {
          async_read_until(p.client, B::dynamic_buffer(inbox), '\n',
                           [&](const auto& ec, std::size_t n) {
                             if (ec) {
                               rec.completion("client read failed", ec);
                               return finish();
                             }
                             wrong += inbox.compare(0, n, chat_message(received)) != 0;
                             inbox.erase(0, n);
                             if (++received == messages) return finish();
                             read_line();
                           });
        };
        read_line();
        run_threads runners(ctx, 1, rec);
        for (int i = 0; i < messages; ++i)
          post(ctx, [&writer, message = chat_message(i)] { writer.deliver(message); });
        if (!ready_in_time(finished.get_future())) rec.record("messages never all arrived");
        post(ctx, [&] {
          p.client.close();
          p.server.close();
        });
        runners.join();
        rec.record("messages received: " + std::to_string(received));
        rec.record("messages wrong or out of order: " + std::to_string(wrong));
        rec.record("most writes outstanding: " + std::to_string(writer.most_outstanding()));
        rec.record("write errors: " + std::to_string(writer.errors()));
      },
      expect_labels(ElementsAre("runner 0 started", "messages received: 300",
                                "messages wrong or out of order: 0", "most writes outstanding: 1",
                                "write errors: 0")));
}

// In a forked child, after notify_fork(fork_child): the inherited context
// runs a posted handler and an async_write on an inherited socket. Returns
// the child's exit status, 0 when both completed.
template <typename B>
int run_child_after_fork(typename B::io_context& ctx, loopback::socket<B>& socket) {
  // A hung child dies instead of outliving the scenario.
  ::alarm(static_cast<unsigned>(wait_limit.count()));
  ctx.notify_fork(B::io_context::fork_child);
  bool posted = false, wrote = false;
  const std::string message = "from child";
  post(ctx, [&] { posted = true; });
  async_write(socket, B::buffer(message),
              [&](const auto& ec, std::size_t n) { wrote = !ec && n == message.size(); });
  ctx.run();
  return posted && wrote ? 0 : 1;
}

// fork_prepare / fork_parent / fork_child around fork(): the child's
// context works (its exit status says so) and so does the parent's, which
// then reads what the child wrote on the shared connection.
TYPED_TEST_P(Socket, ForkChildRunsItsOwnContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        ctx.notify_fork(B::io_context::fork_prepare);
        const pid_t pid = ::fork();
        if (pid == 0) ::_exit(run_child_after_fork<B>(ctx, p.client));
        ctx.notify_fork(B::io_context::fork_parent);
        if (pid < 0) return rec.record("fork failed");
        const std::string child = wait_for_child(pid);
        rec.record(child);
        if (child != "child exited with status 0") return;
        char buf[10];
        outcome read, posted;
        async_read(p.server, B::buffer(buf), into(read));
        post(ctx, [&] { posted.done = true; });
        ctx.run();
        record(rec, "parent async_read", read);
        rec.record("parent read: " + text(buf, read.bytes));
        rec.record("parent's posted handler ran: " + yes_no(posted.done));
      },
      expect_outcomes(ElementsAre("child exited with status 0", "parent async_read 10B",
                                  "parent read: from child", "parent's posted handler ran: yes")));
}

}  // namespace conformance::socket
