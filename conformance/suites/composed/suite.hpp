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

}  // namespace conformance::composed
