// Conformance category Descriptor: Asio's local (AF_UNIX) stream sockets
// and POSIX stream descriptors — a local acceptor on a filesystem path and
// on an abstract name, what the endpoints of both ends report, the errors
// of connecting where nobody listens and of binding a path in use, end of
// stream and a broken pipe; connect_pair; a stream_descriptor over a pipe
// and an eventfd (read and write, eof, close() and cancel() with a read
// pending, release(), assign() and operations on a closed descriptor,
// native_non_blocking(), a composed read); and async_wait/wait on sockets
// and descriptors. The scenarios are in the headers beside this one;
// suites/descriptor.hpp registers them.
//
// Every path is made unique to the process (its pid) and scenario, and
// unlinked before and after use. A scenario's trace never depends on timing:
// it drives one io_context from one thread, each handler starting the next
// (a chain), or keeps the outcomes of operations in flight together until
// run() returns (into/record, outcome.hpp).
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "conformance/backend_test.hpp"
#include "conformance/trace.hpp"

namespace conformance::descriptor {

template <typename Backend>
class Descriptor : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Descriptor);

template <typename B>
using local_socket = typename B::local_stream::socket;
template <typename B>
using local_acceptor = typename B::local_stream::acceptor;
template <typename B>
using local_endpoint = typename B::local_stream::endpoint;

// A filesystem path for a local socket, /tmp/asio-twin-<pid>-<tag>, unlinked
// when made and when destroyed (a bound socket leaves its file behind).
class socket_path {
public:
  explicit socket_path(const std::string& tag)
      : path_("/tmp/asio-twin-" + std::to_string(::getpid()) + "-" + tag) {
    ::unlink(path_.c_str());
  }
  ~socket_path() { ::unlink(path_.c_str()); }
  socket_path(const socket_path&) = delete;
  socket_path& operator=(const socket_path&) = delete;

  const std::string& str() const { return path_; }

private:
  std::string path_;
};

// A name in Linux's abstract socket namespace: a NUL, then
// asio-twin-<pid>-<tag>. It leaves no file; it goes away with its socket.
inline std::string abstract_name(const std::string& tag) {
  return std::string(1, '\0') + "asio-twin-" + std::to_string(::getpid()) + "-" + tag;
}

// What an endpoint's path() is, for a label: "the path" when it is
// `expected`, "empty" when it is empty, otherwise its size.
inline std::string path_as(const std::string& path, const std::string& expected) {
  if (path == expected) return "the path";
  if (path.empty()) return "empty";
  return std::to_string(path.size()) + " other bytes";
}

// A listening local acceptor and a socket connected to it, with the
// accepted end: made with blocking connect and accept.
template <typename B>
struct local_pair {
  local_acceptor<B> acceptor;
  local_socket<B> client;
  local_socket<B> server;
};

template <typename B>
local_pair<B> connected_local_pair(typename B::io_context& ctx, const std::string& path) {
  local_pair<B> p{local_acceptor<B>(ctx, local_endpoint<B>(path)), local_socket<B>(ctx),
                  local_socket<B>(ctx)};
  p.client.connect(local_endpoint<B>(path));
  p.acceptor.accept(p.server);
  return p;
}

// Two local sockets connected to each other by connect_pair.
template <typename B>
struct socket_pair {
  local_socket<B> a;
  local_socket<B> b;
};

template <typename B>
socket_pair<B> connected_by_pair(typename B::io_context& ctx) {
  socket_pair<B> p{local_socket<B>(ctx), local_socket<B>(ctx)};
  connect_pair(p.a, p.b);
  return p;
}

// The two ends of a pipe (pipe2 with O_CLOEXEC), each a stream_descriptor.
template <typename B>
struct pipe_pair {
  typename B::stream_descriptor read_end;
  typename B::stream_descriptor write_end;
};

template <typename B>
pipe_pair<B> make_pipe(typename B::io_context& ctx) {
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
  return pipe_pair<B>{typename B::stream_descriptor(ctx, fds[0]),
                      typename B::stream_descriptor(ctx, fds[1])};
}

// One synchronous read_some from `stream` (a socket or a descriptor), of
// at most 64 bytes, as text.
template <typename B, typename Stream>
std::string read_once(Stream& stream) {
  char buf[64];
  return text(buf, stream.read_some(B::buffer(buf)));
}

// "yes" when the descriptor `fd` has O_NONBLOCK set.
inline std::string o_nonblock(int fd) { return yes_no((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0); }

}  // namespace conformance::descriptor
