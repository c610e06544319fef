// conformance expectations — how a scenario states what its trace must be:
// GoogleTest matchers over one of two views of the trace, usually handed to
// verify() as its properties:
//
//   verify<TypeParam>(determinism::deterministic, body,
//                     expect_labels(ElementsAre("outer begins", "dispatched", "outer ends")));
//   ... expect_outcomes(ElementsAre("write_some 5B", "read_some [ECANCELED]"))
//
// labels() (trace.hpp) keeps what each event says, for scenarios whose
// events are plain labels or whose threads are the kernel's choice;
// outcomes() keeps all an event carries — its thread, error and bytes — for
// the rest. A list that comes out of a loop goes to ElementsAreArray.
// Properties beyond one list (positions, a backend's own choice) are a
// lambda of their own that applies the same matchers.
#pragma once

#include <gmock/gmock.h>

#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conformance/trace.hpp"

namespace conformance {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::Matcher;
using ::testing::UnorderedElementsAre;

// Each event as one line: its label, then " @<thread>" unless it is the
// scenario's own thread (0), " [<error>]" if it has one and " <bytes>B" if
// it moved bytes: "read_some [ECANCELED]", "runner 0 started @1",
// "read [eof] 3B".
inline std::vector<std::string> outcomes(const trace& t) {
  std::vector<std::string> out;
  out.reserve(t.size());
  for (const event& e : t) {
    // Appended piece by piece: g++ 12 sees a false overlap (-Wrestrict) in
    // `line += " @" + std::to_string(...)`.
    std::string line = e.what;
    if (e.thread) line.append(" @").append(std::to_string(e.thread));
    if (!e.error.empty()) line.append(" [").append(e.error).append("]");
    if (e.bytes) line.append(" ").append(std::to_string(e.bytes)).append("B");
    out.push_back(std::move(line));
  }
  return out;
}

// Properties for verify(): the trace's labels match `matcher`.
template <typename LabelsMatcher>
auto expect_labels(LabelsMatcher matcher) {
  return [matcher](const trace& t) { EXPECT_THAT(labels(t), matcher); };
}

// Properties for verify(): the trace's outcomes match `matcher`.
template <typename OutcomesMatcher>
auto expect_outcomes(OutcomesMatcher matcher) {
  return [matcher](const trace& t) { EXPECT_THAT(outcomes(t), matcher); };
}

// "<prefix> 0" ... "<prefix> n-1": what n numbered handlers record.
inline std::vector<std::string> numbered(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + " " + std::to_string(i));
  return out;
}

// The lists one after another.
inline std::vector<std::string> joined(std::initializer_list<std::vector<std::string>> lists) {
  std::vector<std::string> out;
  for (const auto& list : lists) out.insert(out.end(), list.begin(), list.end());
  return out;
}

// The parts one after another, as matchers for ElementsAreArray: each part
// a list of lines (numbered(...), say), or one line or matcher
// (at_least(...)).
template <typename... Parts>
std::vector<Matcher<std::string>> in_sequence(const Parts&... parts) {
  std::vector<Matcher<std::string>> out;
  const auto add = [&out](const auto& part) {
    if constexpr (std::is_convertible_v<decltype(part), const std::vector<std::string>&>)
      out.insert(out.end(), part.begin(), part.end());
    else
      out.push_back(part);
  };
  (add(parts), ...);
  return out;
}

// `once`, `times` times over: what a scenario that does the same thing
// several times (with and without the reactor, say) expects.
inline std::vector<std::string> repeated(const std::vector<std::string>& once, int times) {
  std::vector<std::string> out;
  for (int i = 0; i < times; ++i) out.insert(out.end(), once.begin(), once.end());
  return out;
}

// Matches "<prefix> N" for any N >= n. Asio's io_uring backend counts its
// own timeout operations among the handlers that run(), run_one() and
// poll() report, so a property can only require at least the scenario's
// own; twin's exact count is still compared with Asio on epoll.
MATCHER_P2(at_least, prefix, n,
           std::string(negation ? "isn't" : "is") + " \"" + std::string(prefix) +
               " N\" with N >= " + std::to_string(n)) {
  const std::string head = std::string(prefix) + " ";
  if (arg.rfind(head, 0) != 0) return false;
  const std::string number = arg.substr(head.size());
  if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos) return false;
  return std::stoul(number) >= static_cast<unsigned long>(n);
}

}  // namespace conformance
