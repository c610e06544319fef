// Conformance category Socket: TCP sockets on loopback — accept and connect
// (member, free over a resolver's results, refused), the read/write family
// (read_some, exact reads, completion conditions, read_until with char and
// string delimiters and with a full buffer), end of stream, reset, large
// writes against a slow reader, close and cancel with operations pending,
// zero-length operations, completions never inside their initiating call,
// strand-bound handlers, every synchronous operation in its throwing and its
// error_code form, socket options, endpoints, available(), half-close,
// seed 004's chat write queue, and a fork with notify_fork.
//
// Every port is chosen by the kernel (bind port 0). The trace of a
// single-threaded scenario must not depend on timing: where several
// operations are in flight at once, their outcomes are kept until run()
// returns and recorded in a fixed order; handlers record directly only when
// each one starts the next (a chain), or where Asio fixes the order itself.
// Byte counts are recorded per completion only for one small message (one
// TCP segment on loopback), otherwise as totals.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/error_name.hpp"
#include "conformance/loopback.hpp"
#include "conformance/run_threads.hpp"
#include "conformance/scenario.hpp"

namespace conformance::socket {

template <typename Backend>
class Socket : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Socket);

using loopback::connected_pair;

inline std::string yes_no(bool b) { return b ? "yes" : "no"; }

// An event a scenario expects: {what}, or {what, thread, error, bytes}.
struct expected_event : event {
  expected_event(std::string what, int thread = 0, std::string error = {}, std::size_t bytes = 0)
      : event{std::move(what), thread, std::move(error), bytes} {}
};

// Expects `t` to be exactly `expected`, thread slots, errors and bytes
// included (compared as text, so a failure shows both lists).
inline void expect_events(const trace& t, const std::vector<expected_event>& expected) {
  EXPECT_EQ(format(t), format(trace(expected.begin(), expected.end())));
}

// A completion handler's byte count. Handlers are constrained so that Asio's
// overload checks (is this a move-accept handler? an iterator-connect one?)
// fail quietly instead of instantiating a body that cannot compile.
template <typename T>
concept byte_count = std::convertible_to<T, std::size_t>;

// What one operation's handler reported. Kept until run() returns, so the
// trace does not depend on which of several operations completed first.
struct outcome {
  bool done = false;
  std::string error;
  std::size_t bytes = 0;
};

// A completion handler, (ec) or (ec, bytes), that fills `o`.
inline auto into(outcome& o) {
  return [&o](const auto& ec, byte_count auto... bytes) {
    o = {true, error_name(ec), (std::size_t{0} + ... + static_cast<std::size_t>(bytes))};
  };
}

// Records `label` with what the operation reported, or that it never did.
inline void record(recorder& rec, const std::string& label, const outcome& o) {
  if (o.done)
    rec.record(label, o.error, o.bytes);
  else
    rec.record(label + " never completed");
}

// A completion handler that records `label` with the error and byte count.
inline auto recording(recorder& rec, std::string label) {
  return [&rec, label = std::move(label)](const auto& ec, byte_count auto... bytes) {
    rec.completion(label, ec, (std::size_t{0} + ... + static_cast<std::size_t>(bytes)));
  };
}

// Calls `f`, a throwing overload, and records `label` with the bytes it
// returned (0 for void), or `label + " threw"` with the system_error's error.
template <typename B, typename F>
void record_throwing(recorder& rec, const std::string& label, F f) {
  std::size_t bytes = 0;
  try {
    if constexpr (std::is_void_v<decltype(f())>)
      f();
    else
      bytes = f();
  } catch (const typename B::system_error& e) {
    rec.record(label + " threw", error_name(e.code()));
    return;
  }
  rec.record(label, "", bytes);
}

// "yes" when a's peer is b (a.remote_endpoint() == b.local_endpoint()).
template <typename B>
std::string peer_is(const loopback::socket<B>& a, const loopback::socket<B>& b) {
  typename B::error_code ec1, ec2;
  const auto remote = a.remote_endpoint(ec1);
  const auto local = b.local_endpoint(ec2);
  return yes_no(!ec1 && !ec2 && remote == local);
}

// The first n bytes of `buffer` (a char array), as text.
template <std::size_t N>
std::string text(const char (&buffer)[N], std::size_t n) {
  return std::string(buffer, std::min(n, N));
}

TYPED_TEST_P(Socket, AcceptIntoSocketAndMemberConnect) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> server(ctx), client(ctx);
        outcome accepted, connected;
        listener.async_accept(server, into(accepted));
        client.async_connect(listener.local_endpoint(), into(connected));
        ctx.run();
        record(rec, "accept", accepted);
        record(rec, "connect", connected);
        rec.record("server's peer is the client: " + peer_is<B>(server, client));
        rec.record("client's peer is the server: " + peer_is<B>(client, server));
      },
      [](const trace& t) {
        expect_events(t, {{"accept"},
                          {"connect"},
                          {"server's peer is the client: yes"},
                          {"client's peer is the server: yes"}});
      });
}

// The move-accept form hands the handler a new connected socket.
TYPED_TEST_P(Socket, MoveAcceptHandsOverConnectedSocket) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> client(ctx);
        std::optional<loopback::socket<B>> accepted;
        outcome accept, connect;
        listener.async_accept([&](const auto& ec, auto peer) {
          into(accept)(ec);
          accepted.emplace(std::move(peer));
        });
        client.async_connect(listener.local_endpoint(), into(connect));
        ctx.run();
        record(rec, "accept", accept);
        record(rec, "connect", connect);
        if (!accepted) return;
        rec.record("accepted socket open: " + yes_no(accepted->is_open()));
        rec.record("accepted socket's peer is the client: " + peer_is<B>(*accepted, client));
        write(*accepted, B::buffer(std::string("hi")));
        char buf[8];
        rec.record("client read: " + text(buf, client.read_some(B::buffer(buf))));
      },
      [](const trace& t) {
        expect_events(t, {{"accept"},
                          {"connect"},
                          {"accepted socket open: yes"},
                          {"accepted socket's peer is the client: yes"},
                          {"client read: hi"}});
      });
}

// Connects with the free async_connect over resolve(host, port) and checks
// which endpoint it chose.
template <typename B>
void connect_over_resolved(recorder& rec, const std::string& host) {
  typename B::io_context ctx;
  auto listener = loopback::listening<B>(ctx);
  const auto target = listener.local_endpoint();
  typename B::tcp::resolver resolver(ctx);
  const auto results = resolver.resolve(host, std::to_string(target.port()));
  loopback::socket<B> server(ctx), client(ctx);
  outcome accept, connect;
  std::optional<loopback::endpoint<B>> chosen;
  listener.async_accept(server, into(accept));
  async_connect(client, results, [&](const auto& ec, const loopback::endpoint<B>& endpoint) {
    into(connect)(ec);
    chosen = endpoint;
  });
  ctx.run();
  record(rec, "accept", accept);
  record(rec, "connect", connect);
  rec.record("connected to the listener: " + yes_no(chosen && *chosen == target));
  rec.record("client's peer is the server: " + peer_is<B>(client, server));
}

inline void expect_connected_over_resolved(const trace& t) {
  expect_events(t, {{"accept"},
                    {"connect"},
                    {"connected to the listener: yes"},
                    {"client's peer is the server: yes"}});
}

TYPED_TEST_P(Socket, FreeAsyncConnectOverResolvedAddress) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) { connect_over_resolved<B>(rec, "127.0.0.1"); },
      expect_connected_over_resolved);
}

// "localhost" may also resolve to ::1, where nothing listens: the composed
// connect then moves on to the next endpoint.
TYPED_TEST_P(Socket, FreeAsyncConnectOverResolvedLocalhost) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) { connect_over_resolved<B>(rec, "localhost"); },
      expect_connected_over_resolved);
}

TYPED_TEST_P(Socket, ConnectToClosedPortIsRefused) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const loopback::unused_port<B> unused(ctx);
        const unsigned short port = unused.port();
        typename B::tcp::resolver resolver(ctx);
        const auto results = resolver.resolve("127.0.0.1", std::to_string(port));
        loopback::socket<B> member(ctx), other(ctx);
        outcome by_member, by_free;
        member.async_connect(loopback::local<B>(port), into(by_member));
        async_connect(other, results,
                      [&](const auto& ec, const loopback::endpoint<B>&) { into(by_free)(ec); });
        ctx.run();
        record(rec, "member async_connect", by_member);
        record(rec, "free async_connect", by_free);
      },
      [](const trace& t) {
        expect_events(t, {{"member async_connect", 0, "ECONNREFUSED"},
                          {"free async_connect", 0, "ECONNREFUSED"}});
      });
}

TYPED_TEST_P(Socket, AcceptorCloseCancelsPendingAccept) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> server(ctx);
        listener.async_accept(server, recording(rec, "accept"));
        post(ctx, [&] {
          rec.record("closing the acceptor");
          listener.close();
        });
        ctx.run();
        rec.record("socket left closed: " + yes_no(!server.is_open()));
      },
      [](const trace& t) {
        expect_events(
            t, {{"closing the acceptor"}, {"accept", 0, "ECANCELED"}, {"socket left closed: yes"}});
      });
}

// The read is started first and waits in the reactor; the write completes
// at once (speculatively), so its handler runs first.
TYPED_TEST_P(Socket, ReadSomeWriteSomeSmallMessage) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string message = "hello";
        char buf[64];
        p.server.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          rec.record("read: " + text(buf, n));
        });
        p.client.async_write_some(B::buffer(message), recording(rec, "write_some"));
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t, {{"write_some", 0, "", 5}, {"read_some", 0, "", 5}, {"read: hello"}});
      });
}

// 64 writes of 16 bytes (each started by the previous one's handler) make
// one async_read of 1024 bytes: it completes once, with every byte in order.
TYPED_TEST_P(Socket, ReadExactlyThroughManySmallWrites) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t chunks = 64, chunk = 16, total = chunks * chunk;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string data = loopback::pattern(total);
        std::string received(total, '\0');
        outcome read;
        std::size_t writes = 0;
        std::function<void()> write_next = [&] {
          async_write(p.server, B::buffer(data.data() + writes * chunk, chunk),
                      [&](const auto& ec, std::size_t) {
                        if (!ec && ++writes < chunks) write_next();
                      });
        };
        async_read(p.client, B::buffer(received.data(), received.size()), into(read));
        write_next();
        ctx.run();
        record(rec, "read", read);
        rec.record("writes completed: " + std::to_string(writes));
        rec.record("data intact: " + yes_no(received == data));
      },
      [](const trace& t) {
        expect_events(t, {{"read", 0, "", 1024}, {"writes completed: 64"}, {"data intact: yes"}});
      });
}

// 100 bytes in one segment: transfer_exactly(60) takes 60 although the
// buffer holds 4096, then transfer_at_least(10) takes all 40 that are there.
TYPED_TEST_P(Socket, TransferExactlyAndAtLeast) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(loopback::pattern(100)));
        std::string buf(4096, '\0');
        async_read(p.client, B::buffer(buf), B::transfer_exactly(60),
                   [&](const auto& ec, std::size_t n) {
                     rec.completion("transfer_exactly(60)", ec, n);
                     async_read(p.client, B::buffer(buf), B::transfer_at_least(10),
                                recording(rec, "transfer_at_least(10)"));
                   });
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t,
                      {{"transfer_exactly(60)", 0, "", 60}, {"transfer_at_least(10)", 0, "", 40}});
      });
}

// The peer wrote 3 bytes and closed: read_some gets them, then eof; a
// composed async_read reports eof with the bytes it did get.
TYPED_TEST_P(Socket, EofWhenPeerCloses) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        auto q = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("bye")));
        p.server.close();
        write(q.server, B::buffer(std::string("bye")));
        q.server.close();
        char buf[64];
        p.client.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
          rec.completion("read_some", ec, n);
          p.client.async_read_some(B::buffer(buf), [&](const auto& ec, std::size_t n) {
            rec.completion("read_some", ec, n);
            async_read(q.client, B::buffer(buf), recording(rec, "async_read of 64"));
          });
        });
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t, {{"read_some", 0, "", 3},
                          {"read_some", 0, "eof", 0},
                          {"async_read of 64", 0, "eof", 3}});
      });
}

// linger(true, 0) makes close() send a reset instead of a FIN.
TYPED_TEST_P(Socket, ResetOnAbortiveClose) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        p.server.set_option(typename B::socket_base::linger(true, 0));
        p.server.close();
        char buf[64];
        p.client.async_read_some(B::buffer(buf), recording(rec, "read_some"));
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t, {{"read_some", 0, "ECONNRESET"}});
      });
}

// "hello\r" is taken off the socket before "\nworld" is sent, so the "\r\n"
// delimiter is split across two reads; the match still ends after "\n".
TYPED_TEST_P(Socket, ReadUntilDelimiterSplitAcrossWrites) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        std::string inbox;
        outcome until;
        write(p.server, B::buffer(std::string("hello\r")));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (p.client.available() < 6 && std::chrono::steady_clock::now() < deadline)
          std::this_thread::yield();
        async_read_until(p.client, B::dynamic_buffer(inbox), "\r\n", into(until));
        while (p.client.available() > 0 && std::chrono::steady_clock::now() < deadline) ctx.poll();
        rec.record("first part consumed before the second was sent: " +
                   yes_no(p.client.available() == 0 && !until.done));
        write(p.server, B::buffer(std::string("\nworld")));
        ctx.run();
        record(rec, "read_until", until);
        rec.record("line: " + yes_no(inbox.substr(0, until.bytes) == "hello\r\n"));
        rec.record("after the line: " + inbox.substr(std::min(until.bytes, inbox.size())));
      },
      [](const trace& t) {
        expect_events(t, {{"first part consumed before the second was sent: yes"},
                          {"read_until", 0, "", 7},
                          {"line: yes"},
                          {"after the line: world"}});
      });
}

// A string delimiter with a streambuf: the first read takes the whole
// segment; the second line is found in the buffer without more input, and
// what follows it stays there.
TYPED_TEST_P(Socket, ReadUntilStringDelimiterKeepsExtraData) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("first\r\nsecond\r\nthi")));
        typename B::streambuf sb;
        std::istream in(&sb);
        auto take = [&](std::size_t n) {
          std::string line(n, '\0');
          in.read(line.data(), static_cast<std::streamsize>(n));
          return line.substr(0, line.find("\r\n"));
        };
        async_read_until(p.client, sb, "\r\n", [&](const auto& ec, std::size_t n) {
          rec.completion("read_until", ec, n);
          rec.record("line: " + take(n));
          async_read_until(p.client, sb, "\r\n", [&](const auto& ec, std::size_t n) {
            rec.completion("read_until", ec, n);
            rec.record("line: " + take(n));
            rec.record("left in the streambuf: " + std::to_string(sb.size()));
          });
        });
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t, {{"read_until", 0, "", 7},
                          {"line: first"},
                          {"read_until", 0, "", 8},
                          {"line: second"},
                          {"left in the streambuf: 3"}});
      });
}

// A dynamic buffer limited to 8 bytes fills up without a delimiter:
// not_found, 0 bytes, and the 8 bytes stay in the buffer.
TYPED_TEST_P(Socket, ReadUntilNotFoundWhenBufferFull) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("0123456789abcdef")));
        std::string inbox;
        async_read_until(p.client, B::dynamic_buffer(inbox, 8), '\n', recording(rec, "read_until"));
        ctx.run();
        rec.record("buffer: " + inbox);
      },
      [](const trace& t) {
        expect_events(t, {{"read_until", 0, "not_found", 0}, {"buffer: 01234567"}});
      });
}

// 64 MiB in one async_write, read 4 KiB at a time by a chain that posts each
// next read: the writer must wait for buffer space (EAGAIN, then EPOLLOUT)
// many times, and every byte must arrive once, in order.
TYPED_TEST_P(Socket, LargeWriteToSlowReaderDeliversEveryByte) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t size = std::size_t{64} << 20;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string data = loopback::pattern(size);
        std::vector<char> chunk(4096);
        std::size_t received = 0, mismatched = 0;
        outcome wrote, read_error;
        std::function<void()> read_next = [&] {
          p.client.async_read_some(B::buffer(chunk), [&](const auto& ec, std::size_t n) {
            for (std::size_t i = 0; i < n; ++i)
              mismatched += chunk[i] != loopback::pattern_byte(received + i);
            received += n;
            if (ec)
              into(read_error)(ec, n);
            else if (received < size)
              post(ctx, read_next);
          });
        };
        async_write(p.server, B::buffer(data), into(wrote));
        read_next();
        ctx.run();
        record(rec, "async_write", wrote);
        rec.record("bytes received: " + std::to_string(received));
        rec.record("bytes out of place: " + std::to_string(mismatched));
        rec.record("read error: " + (read_error.done ? read_error.error : "none"));
      },
      [](const trace& t) {
        expect_events(t, {{"async_write", 0, "", std::size_t{64} << 20},
                          {"bytes received: 67108864"},
                          {"bytes out of place: 0"},
                          {"read error: none"}});
      });
}

// Runs `attempt` with a recorder of its own until it returns true (the
// premise it needs held), at most 5 times, and copies that attempt's events
// to `rec`. For scenarios whose premise the kernel may, rarely, break (see
// fill_send_buffer), never for their property.
// How long fill_send_buffer waits for late acknowledgements where a
// scenario needs its write to stay pending.
inline constexpr std::chrono::milliseconds settle_time{50};

template <typename Attempt>
void until_premise_holds(recorder& rec, Attempt attempt) {
  for (int i = 0; i < 5; ++i) {
    recorder mine;
    if (attempt(mine)) {
      for (const event& e : mine.events()) rec.record(e.what, e.error, e.bytes);
      return;
    }
  }
  rec.record("premise never held in 5 attempts");
}

// Both directions pending — nothing to read, and a write behind a full send
// buffer — when one handler starts them and then closes the socket: both
// complete with operation_aborted, read first. The premise is that the
// write made no progress before close(): a loopback ACK can still free send
// space right after fill_send_buffer saw would_block, and Asio's composed
// write would then go on, after the close, and fail with EBADF instead. Such
// an attempt (it reports bytes written) is retried, not judged.
TYPED_TEST_P(Socket, CloseCancelsPendingReadAndWrite) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        until_premise_holds(rec, [](recorder& rec) {
          typename B::io_context ctx;
          auto p = connected_pair<B>(ctx);
          loopback::fill_send_buffer<B>(p.client, settle_time);
          const std::string more(1 << 20, 'm');
          char buf[64];
          std::size_t written = 0;
          post(ctx, [&] {
            p.client.async_read_some(B::buffer(buf), recording(rec, "read_some"));
            async_write(p.client, B::buffer(more), [&](const auto& ec, std::size_t n) {
              rec.completion("async_write", ec, n);
              written = n;
            });
            rec.record("closing");
            p.client.close();
          });
          ctx.run();
          return written == 0;
        });
      },
      [](const trace& t) {
        expect_events(
            t, {{"closing"}, {"read_some", 0, "ECANCELED"}, {"async_write", 0, "ECANCELED"}});
      });
}

// cancel() aborts the same two operations but leaves the socket open and
// usable: a read started afterwards gets the peer's next message. (Same
// premise as above.)
TYPED_TEST_P(Socket, CancelCancelsPendingOpsAndSocketStillWorks) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        until_premise_holds(rec, [](recorder& rec) {
          typename B::io_context ctx;
          auto p = connected_pair<B>(ctx);
          loopback::fill_send_buffer<B>(p.client, settle_time);
          const std::string more(1 << 20, 'm');
          char buf[64], again[64];
          std::size_t written = 0;
          post(ctx, [&] {
            p.client.async_read_some(B::buffer(buf), recording(rec, "read_some"));
            async_write(p.client, B::buffer(more), [&](const auto& ec, std::size_t n) {
              rec.completion("async_write", ec, n);
              written = n;
            });
            rec.record("cancelling");
            p.client.cancel();
            rec.record("still open: " + yes_no(p.client.is_open()));
            write(p.server, B::buffer(std::string("ping")));
            p.client.async_read_some(B::buffer(again), [&](const auto& ec, std::size_t n) {
              rec.completion("read_some after cancel", ec, n);
              rec.record("read: " + text(again, n));
              p.client.close();
            });
          });
          ctx.run();
          return written == 0;
        });
      },
      [](const trace& t) {
        expect_events(t, {{"cancelling"},
                          {"still open: yes"},
                          {"read_some", 0, "ECANCELED"},
                          {"async_write", 0, "ECANCELED"},
                          {"read_some after cancel", 0, "", 4},
                          {"read: ping"}});
      });
}

// Nothing is ever sent, yet zero-length reads and writes (also composed)
// complete within one poll(): no error, 0 bytes.
TYPED_TEST_P(Socket, ZeroLengthOperationsCompleteAtOnce) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        char buf[1];
        p.client.async_read_some(B::buffer(buf, 0), recording(rec, "read_some"));
        p.client.async_write_some(B::buffer(buf, 0), recording(rec, "write_some"));
        async_read(p.server, B::buffer(buf, 0), recording(rec, "async_read"));
        async_write(p.server, B::buffer(buf, 0), recording(rec, "async_write"));
        rec.record("initiated");
        ctx.poll();
        rec.record("polled");
      },
      [](const trace& t) {
        expect_events(t, {{"initiated"},
                          {"read_some"},
                          {"write_some"},
                          {"async_read"},
                          {"async_write"},
                          {"polled"}});
      });
}

// Operations that can complete at once (data already there, a pending
// connection, a delimiter already buffered, zero length), each started by
// the previous one's handler: the event right after the initiating call is
// always recorded before the completion.
TYPED_TEST_P(Socket, CompletionNeverRunsInsideInitiatingCall) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        auto p = connected_pair<B>(ctx);
        loopback::socket<B> waiting(ctx), accepted(ctx);
        waiting.connect(listener.local_endpoint());
        const std::string x = "x", yz = "yz";
        char buf[8];
        std::string lines = "line\nnext";
        using next_fn = std::function<void()>;
        const auto then = [&rec](std::string label, next_fn next) {
          return [&rec, label, next](const auto& ec, byte_count auto... bytes) {
            recording(rec, label + " completed")(ec, bytes...);
            next();
          };
        };
        std::vector<std::function<void(next_fn)>> steps = {
            [&](next_fn next) {
              p.client.async_write_some(B::buffer(x), then("write_some", next));
              rec.record("write_some initiated");
            },
            [&](next_fn next) {
              p.server.async_read_some(B::buffer(buf), then("read_some", next));
              rec.record("read_some initiated");
            },
            [&](next_fn next) {
              async_write(p.client, B::buffer(yz), then("async_write", next));
              rec.record("async_write initiated");
            },
            [&](next_fn next) {
              async_read(p.server, B::buffer(buf, 2), then("async_read", next));
              rec.record("async_read initiated");
            },
            [&](next_fn next) {
              p.server.async_read_some(B::buffer(buf, 0), then("empty read_some", next));
              rec.record("empty read_some initiated");
            },
            [&](next_fn next) {
              async_read_until(p.server, B::dynamic_buffer(lines), '\n', then("read_until", next));
              rec.record("read_until initiated");
            },
            [&](next_fn next) {
              listener.async_accept(accepted, then("async_accept", next));
              rec.record("async_accept initiated");
            },
        };
        std::size_t step = 0;
        next_fn next = [&] {
          if (step < steps.size()) steps[step++](next);
        };
        next();  // the first from outside run(), the rest from handlers
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t, {{"write_some initiated"},
                          {"write_some completed", 0, "", 1},
                          {"read_some initiated"},
                          {"read_some completed", 0, "", 1},
                          {"async_write initiated"},
                          {"async_write completed", 0, "", 2},
                          {"async_read initiated"},
                          {"async_read completed", 0, "", 2},
                          {"empty read_some initiated"},
                          {"empty read_some completed"},
                          {"read_until initiated"},
                          {"read_until completed", 0, "", 5},
                          {"async_accept initiated"},
                          {"async_accept completed"}});
      });
}

// Counts handlers in flight (and the most at once) and those that ran
// outside the strand; yields inside so that an overlap would show.
template <typename Strand>
class strand_meter {
public:
  explicit strand_meter(const Strand& strand) : strand_(strand) {}
  void enter() {
    const int now = ++in_flight_;
    int seen = most_.load();
    while (now > seen && !most_.compare_exchange_weak(seen, now)) {
    }
    if (!strand_.running_in_this_thread()) ++outside_;
    for (int i = 0; i < 20; ++i) std::this_thread::yield();
  }
  void leave() {
    --in_flight_;
    ++ran_;
  }
  int most() const { return most_; }
  int outside() const { return outside_; }
  int ran() const { return ran_; }

private:
  const Strand& strand_;
  std::atomic<int> in_flight_{0}, most_{0}, outside_{0}, ran_{0};
};

// One connection bouncing "ping" back and forth `rounds` times, every
// handler (of composed operations too) bound to the shared strand.
template <typename B, typename Strand>
class ping_pong {
public:
  ping_pong(typename B::io_context& ctx, Strand& strand, strand_meter<Strand>& meter, int rounds)
      : pair_(connected_pair<B>(ctx)), strand_(strand), meter_(meter), rounds_(rounds) {}

  void start() {
    client_write();
    server_read();
  }
  int rounds_done() const { return done_; }

private:
  template <typename F>
  auto bound(F f) {
    return bind_executor(strand_, [this, f](const auto& ec, std::size_t) {
      meter_.enter();
      if (!ec) f();
      meter_.leave();
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
  strand_meter<Strand>& meter_;
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
        strand_meter<strand_type> meter(strand);
        std::vector<std::unique_ptr<ping_pong<B, strand_type>>> games;
        for (int i = 0; i < connections; ++i)
          games.push_back(std::make_unique<ping_pong<B, strand_type>>(ctx, strand, meter, rounds));
        for (auto& game : games) game->start();
        run_threads runners(ctx, 2, rec);
        runners.join();
        int rounds_done = 0;
        for (auto& game : games) rounds_done += game->rounds_done();
        rec.record("rounds done: " + std::to_string(rounds_done));
        rec.record("handlers run: " + std::to_string(meter.ran()));
        rec.record("most handlers in flight: " + std::to_string(meter.most()));
        rec.record("ran outside the strand: " + std::to_string(meter.outside()));
      },
      [](const trace& t) {
        EXPECT_EQ(count(t, "rounds done: 400"), 1u);
        EXPECT_EQ(count(t, "handlers run: 1600"), 1u);
        EXPECT_EQ(count(t, "most handlers in flight: 1"), 1u);
        EXPECT_EQ(count(t, "ran outside the strand: 0"), 1u);
      });
}

TYPED_TEST_P(Socket, SyncConnectBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        const auto open = listener.local_endpoint();
        const loopback::unused_port<B> unused(ctx);
        const auto closed = loopback::local<B>(unused.port());
        typename B::tcp::resolver resolver(ctx);
        const auto to_open = resolver.resolve("127.0.0.1", std::to_string(open.port()));
        const auto to_closed = resolver.resolve("127.0.0.1", std::to_string(closed.port()));
        std::vector<loopback::socket<B>> s;
        for (int i = 0; i < 8; ++i) s.emplace_back(ctx);
        typename B::error_code ec;
        record_throwing<B>(rec, "connect", [&] { s[0].connect(open); });
        s[1].connect(open, ec);
        rec.completion("connect(ec)", ec);
        record_throwing<B>(rec, "connect to a closed port", [&] { s[2].connect(closed); });
        s[3].connect(closed, ec);
        rec.completion("connect(ec) to a closed port", ec);
        record_throwing<B>(rec, "free connect", [&] {
          rec.record("free connect chose the listener: " + yes_no(connect(s[4], to_open) == open));
        });
        connect(s[5], to_open, ec);
        rec.completion("free connect(ec)", ec);
        record_throwing<B>(rec, "free connect to a closed port", [&] { connect(s[6], to_closed); });
        connect(s[7], to_closed, ec);
        rec.completion("free connect(ec) to a closed port", ec);
      },
      [](const trace& t) {
        expect_events(t, {{"connect"},
                          {"connect(ec)"},
                          {"connect to a closed port threw", 0, "ECONNREFUSED"},
                          {"connect(ec) to a closed port", 0, "ECONNREFUSED"},
                          {"free connect chose the listener: yes"},
                          {"free connect"},
                          {"free connect(ec)"},
                          {"free connect to a closed port threw", 0, "ECONNREFUSED"},
                          {"free connect(ec) to a closed port", 0, "ECONNREFUSED"}});
      });
}

// Also: a non-blocking acceptor with nothing pending reports would_block
// (EAGAIN), and accepting into an open socket is already_open.
TYPED_TEST_P(Socket, SyncAcceptBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        const auto ep = listener.local_endpoint();
        loopback::socket<B> c1(ctx), c2(ctx), c3(ctx), s1(ctx), s2(ctx), s4(ctx);
        typename B::error_code ec;
        c1.connect(ep);
        record_throwing<B>(rec, "accept(socket)", [&] { listener.accept(s1); });
        rec.record("accepted the first client: " + peer_is<B>(s1, c1));
        c2.connect(ep);
        listener.accept(s2, ec);
        rec.completion("accept(socket, ec)", ec);
        rec.record("accepted the second client: " + peer_is<B>(s2, c2));
        c3.connect(ep);
        auto s3 = listener.accept();
        rec.record("accept() returned the third client: " + peer_is<B>(s3, c3));
        listener.non_blocking(true);
        listener.accept(s4, ec);
        rec.completion("non-blocking accept(socket, ec) with nothing pending", ec);
        record_throwing<B>(rec, "non-blocking accept(socket) with nothing pending",
                           [&] { listener.accept(s4); });
        listener.accept(s1, ec);
        rec.completion("accept(ec) into an open socket", ec);
      },
      [](const trace& t) {
        expect_events(t, {{"accept(socket)"},
                          {"accepted the first client: yes"},
                          {"accept(socket, ec)"},
                          {"accepted the second client: yes"},
                          {"accept() returned the third client: yes"},
                          {"non-blocking accept(socket, ec) with nothing pending", 0, "EAGAIN"},
                          {"non-blocking accept(socket) with nothing pending threw", 0, "EAGAIN"},
                          {"accept(ec) into an open socket", 0, "already_open"}});
      });
}

TYPED_TEST_P(Socket, SyncReadSomeWriteSomeBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        typename B::error_code ec;
        char buf[64];
        std::size_t n = 0;
        record_throwing<B>(rec, "write_some",
                           [&] { return p.server.write_some(B::buffer(std::string("hello"))); });
        record_throwing<B>(rec, "read_some",
                           [&] { return n = p.client.read_some(B::buffer(buf)); });
        rec.record("read: " + text(buf, n));
        n = p.server.write_some(B::buffer(std::string("world")), ec);
        rec.completion("write_some(ec)", ec, n);
        n = p.client.read_some(B::buffer(buf), ec);
        rec.completion("read_some(ec)", ec, n);
        rec.record("read: " + text(buf, n));
        p.server.close();
        record_throwing<B>(rec, "read_some after peer close",
                           [&] { return p.client.read_some(B::buffer(buf)); });
        n = p.client.read_some(B::buffer(buf), ec);
        rec.completion("read_some(ec) after peer close", ec, n);
      },
      [](const trace& t) {
        expect_events(t, {{"write_some", 0, "", 5},
                          {"read_some", 0, "", 5},
                          {"read: hello"},
                          {"write_some(ec)", 0, "", 5},
                          {"read_some(ec)", 0, "", 5},
                          {"read: world"},
                          {"read_some after peer close threw", 0, "eof"},
                          {"read_some(ec) after peer close", 0, "eof"}});
      });
}

// The composed read and write: 1 MiB written by another thread (more than
// the socket buffers hold at first) and read whole; then eof, reported with
// the count of the bytes that did come.
TYPED_TEST_P(Socket, SyncReadWriteBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        constexpr std::size_t size = 1 << 20;
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        const std::string data = loopback::pattern(size);
        std::string received(size, '\0');
        std::string writer_result = "writer did not finish";
        std::thread writer([&] {
          try {
            writer_result = "writer wrote " + std::to_string(write(p.server, B::buffer(data)));
          } catch (const typename B::system_error& e) {
            writer_result = "writer threw " + error_name(e.code());
          }
        });
        record_throwing<B>(rec, "read 1 MiB", [&] { return read(p.client, B::buffer(received)); });
        writer.join();
        rec.record(writer_result);
        rec.record("data intact: " + yes_no(received == data));
        typename B::error_code ec;
        char buf[8];
        std::size_t n = write(p.client, B::buffer(std::string("tail")), ec);
        rec.completion("write(ec)", ec, n);
        n = read(p.server, B::buffer(buf, 4), ec);
        rec.completion("read(ec)", ec, n);
        write(p.server, B::buffer(std::string("abc")));
        p.server.close();
        n = read(p.client, B::buffer(buf), ec);
        rec.completion("read(ec) of 8 when 3 came before eof", ec, n);
        record_throwing<B>(rec, "read after eof", [&] { return read(p.client, B::buffer(buf)); });
      },
      [](const trace& t) {
        expect_events(t, {{"read 1 MiB", 0, "", 1 << 20},
                          {"writer wrote 1048576"},
                          {"data intact: yes"},
                          {"write(ec)", 0, "", 4},
                          {"read(ec)", 0, "", 4},
                          {"read(ec) of 8 when 3 came before eof", 0, "eof", 3},
                          {"read after eof threw", 0, "eof"}});
      });
}

TYPED_TEST_P(Socket, SyncReadUntilBothOverloads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        write(p.server, B::buffer(std::string("line one\nline two\n")));
        std::string inbox;
        typename B::error_code ec;
        record_throwing<B>(rec, "read_until('\\n')",
                           [&] { return read_until(p.client, B::dynamic_buffer(inbox), '\n'); });
        inbox.erase(0, inbox.find('\n') + 1);
        std::size_t n = read_until(p.client, B::dynamic_buffer(inbox), "\n", ec);
        rec.completion("read_until(\"\\n\", ec)", ec, n);
        inbox.erase(0, n);
        write(p.server, B::buffer(std::string("partial")));
        p.server.close();
        n = read_until(p.client, B::dynamic_buffer(inbox), '\n', ec);
        rec.completion("read_until(ec) at eof", ec, n);
        record_throwing<B>(rec, "read_until at eof",
                           [&] { return read_until(p.client, B::dynamic_buffer(inbox), '\n'); });
        rec.record("left in the buffer: " + inbox);
      },
      [](const trace& t) {
        expect_events(t, {{"read_until('\\n')", 0, "", 9},
                          {"read_until(\"\\n\", ec)", 0, "", 9},
                          {"read_until(ec) at eof", 0, "eof", 0},
                          {"read_until at eof threw", 0, "eof"},
                          {"left in the buffer: partial"}});
      });
}

TYPED_TEST_P(Socket, SocketOptionsRoundTrip) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using socket_base = typename B::socket_base;
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        auto p = connected_pair<B>(ctx);
        auto& s = p.client;
        typename B::error_code ec;
        // Sets a boolean option to each value and reads it back.
        auto flip = [&]<class Option>(auto& object, const std::string& name, Option) {
          for (const bool value : {true, false}) {
            object.set_option(Option(value));
            Option read_back;
            object.get_option(read_back);
            rec.record(name + " set " + yes_no(value) + ", reads " + yes_no(read_back.value()));
          }
        };
        flip(s, "no_delay", typename B::tcp::no_delay());
        flip(s, "keep_alive", typename socket_base::keep_alive());
        flip(s, "reuse_address", typename socket_base::reuse_address());
        typename socket_base::reuse_address acceptor_reuse;
        listener.get_option(acceptor_reuse);
        rec.record("acceptor reuse_address by default: " + yes_no(acceptor_reuse.value()));
        // Linux doubles a requested buffer size (for its bookkeeping): read
        // back at least what was asked. Receive: throwing overloads; send:
        // the error_code ones.
        for (const int size : {32768, 65536}) {
          s.set_option(typename socket_base::receive_buffer_size(size));
          typename socket_base::receive_buffer_size rcv;
          s.get_option(rcv);
          rec.record("receive_buffer_size >= requested: " + yes_no(rcv.value() >= size));
          s.set_option(typename socket_base::send_buffer_size(size), ec);
          rec.completion("set_option(send_buffer_size, ec)", ec);
          typename socket_base::send_buffer_size snd;
          s.get_option(snd, ec);
          rec.completion("send_buffer_size >= requested: " + yes_no(snd.value() >= size), ec);
        }
        s.set_option(typename socket_base::linger(true, 7));
        typename socket_base::linger linger;
        s.get_option(linger);
        rec.record("linger enabled: " + yes_no(linger.enabled()) +
                   ", timeout: " + std::to_string(linger.timeout()));
        rec.record("non_blocking by default: " + yes_no(s.non_blocking()));
        s.non_blocking(true);
        rec.record("non_blocking after set: " + yes_no(s.non_blocking()));
        char buf[8];
        s.read_some(B::buffer(buf), ec);
        rec.completion("non-blocking read_some with nothing to read", ec);
        s.non_blocking(false);
        rec.record("non_blocking after reset: " + yes_no(s.non_blocking()));
        s.close();
        typename B::tcp::no_delay no_delay;
        s.get_option(no_delay, ec);
        rec.completion("get_option on a closed socket", ec);
      },
      [](const trace& t) {
        expect_events(t, {{"no_delay set yes, reads yes"},
                          {"no_delay set no, reads no"},
                          {"keep_alive set yes, reads yes"},
                          {"keep_alive set no, reads no"},
                          {"reuse_address set yes, reads yes"},
                          {"reuse_address set no, reads no"},
                          {"acceptor reuse_address by default: yes"},
                          {"receive_buffer_size >= requested: yes"},
                          {"set_option(send_buffer_size, ec)"},
                          {"send_buffer_size >= requested: yes"},
                          {"receive_buffer_size >= requested: yes"},
                          {"set_option(send_buffer_size, ec)"},
                          {"send_buffer_size >= requested: yes"},
                          {"linger enabled: yes, timeout: 7"},
                          {"non_blocking by default: no"},
                          {"non_blocking after set: yes"},
                          {"non-blocking read_some with nothing to read", 0, "EAGAIN"},
                          {"non_blocking after reset: no"},
                          {"get_option on a closed socket", 0, "EBADF"}});
      });
}

TYPED_TEST_P(Socket, EndpointsAgreeBetweenEnds) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto listener = loopback::listening<B>(ctx);
        loopback::socket<B> client(ctx), server(ctx), unconnected(ctx);
        client.connect(listener.local_endpoint());
        listener.accept(server);
        rec.record("server's peer is the client: " + peer_is<B>(server, client));
        rec.record("client's peer is the server: " + peer_is<B>(client, server));
        rec.record("server's port is the listener's: " +
                   yes_no(server.local_endpoint().port() == listener.local_endpoint().port()));
        rec.record("client's port differs: " +
                   yes_no(client.local_endpoint().port() != server.local_endpoint().port()));
        rec.record("client address: " + client.local_endpoint().address().to_string());
        rec.record("server address: " + server.local_endpoint().address().to_string());
        typename B::error_code ec;
        unconnected.open(B::tcp::v4());
        unconnected.remote_endpoint(ec);
        rec.completion("remote_endpoint of an unconnected socket", ec);
        unconnected.close();
        unconnected.local_endpoint(ec);
        rec.completion("local_endpoint of a closed socket", ec);
      },
      [](const trace& t) {
        expect_events(t, {{"server's peer is the client: yes"},
                          {"client's peer is the server: yes"},
                          {"server's port is the listener's: yes"},
                          {"client's port differs: yes"},
                          {"client address: 127.0.0.1"},
                          {"server address: 127.0.0.1"},
                          {"remote_endpoint of an unconnected socket", 0, "ENOTCONN"},
                          {"local_endpoint of a closed socket", 0, "EBADF"}});
      });
}

// One 10-byte write is one segment: once 4 bytes have been read, the other 6
// are all in the receive queue.
TYPED_TEST_P(Socket, AvailableCountsUnreadBytes) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        rec.record("available before any write: " + std::to_string(p.client.available()));
        write(p.server, B::buffer(std::string("0123456789")));
        char buf[4];
        read(p.client, B::buffer(buf));
        rec.record("available after reading 4 of 10: " + std::to_string(p.client.available()));
        typename B::error_code ec;
        rec.completion("available(ec)", ec, p.client.available(ec));
        p.client.close();
        rec.completion("available(ec) on a closed socket", ec, p.client.available(ec));
      },
      [](const trace& t) {
        expect_events(t, {{"available before any write: 0"},
                          {"available after reading 4 of 10: 6"},
                          {"available(ec)", 0, "", 6},
                          {"available(ec) on a closed socket", 0, "EBADF"}});
      });
}

// shutdown(send) ends one direction: the peer reads eof, this end can no
// longer write (EPIPE, no SIGPIPE), and the other direction still works.
TYPED_TEST_P(Socket, HalfCloseWithShutdownSend) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto p = connected_pair<B>(ctx);
        p.client.shutdown(B::socket_base::shutdown_send);
        typename B::error_code ec;
        const std::size_t n = p.client.write_some(B::buffer(std::string("late")), ec);
        rec.completion("write_some(ec) after shutdown(send)", ec, n);
        record_throwing<B>(rec, "write_some after shutdown(send)",
                           [&] { return p.client.write_some(B::buffer(std::string("late"))); });
        const std::string reply = "still here";
        char sbuf[16], cbuf[10];
        p.server.async_read_some(B::buffer(sbuf), [&](const auto& ec, std::size_t n) {
          rec.completion("server read_some", ec, n);
          async_write(p.server, B::buffer(reply), recording(rec, "server async_write"));
          async_read(p.client, B::buffer(cbuf), [&](const auto& ec, std::size_t n) {
            rec.completion("client async_read", ec, n);
            rec.record("client read: " + text(cbuf, n));
          });
        });
        ctx.run();
      },
      [](const trace& t) {
        expect_events(t, {{"write_some(ec) after shutdown(send)", 0, "EPIPE"},
                          {"write_some after shutdown(send) threw", 0, "EPIPE"},
                          {"server read_some", 0, "eof"},
                          {"server async_write", 0, "", 10},
                          {"client async_read", 0, "", 10},
                          {"client read: still here"}});
      });
}

// Seed 004's chat session, server side: messages are handed over by
// handlers posted from another thread, queued, and written one async_write
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
        if (finished.get_future().wait_for(std::chrono::seconds(20)) != std::future_status::ready)
          rec.record("messages never all arrived");
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
      [](const trace& t) {
        EXPECT_EQ(labels(t),
                  (std::vector<std::string>{"runner 0 started", "messages received: 300",
                                            "messages wrong or out of order: 0",
                                            "most writes outstanding: 1", "write errors: 0"}));
      });
}

// In a forked child, after notify_fork(fork_child): the inherited context
// runs a posted handler and an async_write on an inherited socket. Returns
// the child's exit status, 0 when both completed.
template <typename B>
int run_child_after_fork(typename B::io_context& ctx, loopback::socket<B>& socket) {
  ::alarm(20);  // a hung child dies instead of outliving the scenario
  ctx.notify_fork(B::io_context::fork_child);
  bool posted = false, wrote = false;
  const std::string message = "from child";
  post(ctx, [&] { posted = true; });
  async_write(socket, B::buffer(message),
              [&](const auto& ec, std::size_t n) { wrote = !ec && n == message.size(); });
  ctx.run();
  return posted && wrote ? 0 : 1;
}

// Waits at most 20 s for the child to exit (killing it after that) and
// describes how it ended.
inline std::string wait_for_child(pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0) return "waitpid failed";
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return "child hung";
    }
    std::this_thread::yield();
  }
  if (WIFEXITED(status)) return "child exited with status " + std::to_string(WEXITSTATUS(status));
  return "child killed by signal " + std::to_string(WTERMSIG(status));
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
      [](const trace& t) {
        expect_events(t, {{"child exited with status 0"},
                          {"parent async_read", 0, "", 10},
                          {"parent read: from child"},
                          {"parent's posted handler ran: yes"}});
      });
}

REGISTER_TYPED_TEST_SUITE_P(
    Socket, AcceptIntoSocketAndMemberConnect, MoveAcceptHandsOverConnectedSocket,
    FreeAsyncConnectOverResolvedAddress, FreeAsyncConnectOverResolvedLocalhost,
    ConnectToClosedPortIsRefused, AcceptorCloseCancelsPendingAccept, ReadSomeWriteSomeSmallMessage,
    ReadExactlyThroughManySmallWrites, TransferExactlyAndAtLeast, EofWhenPeerCloses,
    ResetOnAbortiveClose, ReadUntilDelimiterSplitAcrossWrites,
    ReadUntilStringDelimiterKeepsExtraData, ReadUntilNotFoundWhenBufferFull,
    LargeWriteToSlowReaderDeliversEveryByte, CloseCancelsPendingReadAndWrite,
    CancelCancelsPendingOpsAndSocketStillWorks, ZeroLengthOperationsCompleteAtOnce,
    CompletionNeverRunsInsideInitiatingCall, StrandBoundHandlersNeverOverlap,
    SyncConnectBothOverloads, SyncAcceptBothOverloads, SyncReadSomeWriteSomeBothOverloads,
    SyncReadWriteBothOverloads, SyncReadUntilBothOverloads, SocketOptionsRoundTrip,
    EndpointsAgreeBetweenEnds, AvailableCountsUnreadBytes, HalfCloseWithShutdownSend,
    ChatWriteQueueDeliversInOrder, ForkChildRunsItsOwnContext);

}  // namespace conformance::socket
