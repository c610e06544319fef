// Conformance category Composed: the composed operations — read, read_until
// and write, synchronous and asynchronous — over every kind of buffer (a
// plain buffer, dynamic_buffer over std::string and std::vector, streambuf),
// on the harness's own test stream (conformance/test_stream.hpp) rather
// than a socket. The stream moves a set number of bytes per call and its
// initiating functions take the handler by value, as the streams of Asio's
// own tests do: how an operation splits its work into calls, what it
// commits and consumes, where it stops (a completion condition, a
// delimiter, a size limit, end of file) and what it reports are all
// deterministic, so twin's trace must equal Asio's, and the properties
// state Asio's answers.
#pragma once

#include <cstddef>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "conformance/backend_test.hpp"
#include "conformance/outcome.hpp"
#include "conformance/test_stream.hpp"
#include "conformance/trace.hpp"

namespace conformance::composed {

template <typename Backend>
class Composed : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Composed);

// What a scenario records about the stream after an operation: how many
// calls it made, and what is left unread or was written.
inline void record_stream(recorder& rec, const auto& s) {
  rec.record("reads " + std::to_string(s.read_calls()) + ", unread " + std::to_string(s.unread()));
}

// A streambuf's readable bytes, as text (leaves them in place).
template <typename Streambuf>
std::string contents(const Streambuf& sb) {
  const auto data = sb.data();
  std::string out;
  for (auto it = buffer_sequence_begin(data); it != buffer_sequence_end(data); ++it)
    out.append(static_cast<const char*>((*it).data()), (*it).size());
  return out;
}

// Calls body(kind, buffer, contents) once for each kind of dynamic buffer —
// over a std::string, over a std::vector<char>, and a streambuf — each
// holding `initial` and growing to at most `max_size` bytes. buffer()
// returns what a composed operation takes: a new dynamic buffer over the
// storage each time (as programs write `dynamic_buffer(str)` at each call),
// or the streambuf itself, by reference; contents() is the text held.
template <typename B, typename Body>
void for_each_dynamic_buffer(Body body, std::size_t max_size = std::size_t(-1),
                             const std::string& initial = "") {
  {
    std::string s = initial;
    body(
        "string", [&] { return B::dynamic_buffer(s, max_size); }, [&] { return s; });
  }
  {
    std::vector<char> v(initial.begin(), initial.end());
    body(
        "vector", [&] { return B::dynamic_buffer(v, max_size); },
        [&] { return std::string(v.begin(), v.end()); });
  }
  {
    typename B::streambuf sb(max_size);
    std::ostream(&sb) << initial;
    body(
        "streambuf", [&]() -> typename B::streambuf& { return sb; }, [&] { return contents(sb); });
  }
}

// The labels for_each_dynamic_buffer's three rounds record, each the same
// but for its kind: expect("string"), expect("vector"), expect("streambuf").
template <typename Expect>
std::vector<std::string> for_each_kind(Expect expect) {
  std::vector<std::string> out;
  for (const char* kind : {"string", "vector", "streambuf"}) {
    const std::vector<std::string> round = expect(std::string(kind));
    out.insert(out.end(), round.begin(), round.end());
  }
  return out;
}

// Runs one asynchronous read on each kind of dynamic buffer, as
// for_each_dynamic_buffer does, each round on a fresh io_context and a
// test_stream reading `input` at most `chunk` bytes per call:
// start(s, buffer, handler) starts the read, `handler` recording `kind`
// with the read's error and count; once run() returns, what the buffer
// holds ("<kind> holds ...") and record_stream(s) are recorded.
template <typename B, typename Start>
void read_into_each_dynamic_buffer(recorder& rec, const std::string& input, std::size_t chunk,
                                   Start start, std::size_t max_size = std::size_t(-1)) {
  for_each_dynamic_buffer<B>(
      [&](const std::string& kind, auto buffer, auto contents) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, input, chunk);
        start(s, buffer, recording(rec, kind));
        ctx.run();
        rec.record(kind + " holds " + contents());
        record_stream(rec, s);
      },
      max_size);
}

// The labels read_into_each_dynamic_buffer records: for each kind,
// "<kind><completion>" (the read's error and count, as recording() writes
// them after the label), "<kind> holds <held>", then `stream`.
inline std::vector<std::string> each_kind_read(const std::string& completion,
                                               const std::string& held, const std::string& stream) {
  return for_each_kind([&](const std::string& kind) {
    return std::vector<std::string>{kind + completion, kind + " holds " + held, stream};
  });
}

}  // namespace conformance::composed
