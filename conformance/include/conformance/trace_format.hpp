// conformance trace formatting: JSON for the report, and a side-by-side
// text view with the first difference marked, for a failing test's log.
#pragma once

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "conformance/trace.hpp"

namespace conformance {

// The trace as a JSON array of {"what","thread","error","bytes"} objects.
inline nlohmann::json to_json(const trace& t) {
  nlohmann::json out = nlohmann::json::array();
  for (const event& e : t)
    out.push_back({{"what", e.what}, {"thread", e.thread}, {"error", e.error}, {"bytes", e.bytes}});
  return out;
}

// One event as a short line: "h1 @1 [ECANCELED] 42B".
inline std::string describe(const event& e) {
  // Appended piece by piece: g++ 12 sees a false overlap (-Wrestrict) in
  // the concatenations once this is inlined into some scenarios.
  std::string s = e.what;
  s.append(" @").append(std::to_string(e.thread));
  if (!e.error.empty()) s.append(" [").append(e.error).append("]");
  if (e.bytes) s.append(" ").append(std::to_string(e.bytes)).append("B");
  return s;
}

// The trace, one numbered event per line.
inline std::string format(const trace& t) {
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i)
    out.append("  ").append(std::to_string(i)).append(" ").append(describe(t[i])).append("\n");
  return out;
}

// Index of the first event where `a` and `b` differ, or npos when equal.
inline std::size_t first_difference(const trace& a, const trace& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!(a[i] == b[i])) return i;
  return a.size() == b.size() ? std::string::npos : n;
}

// Two traces in columns, the first differing row marked with ">>".
inline std::string side_by_side(const trace& a, std::string_view a_name, const trace& b,
                                std::string_view b_name) {
  const std::size_t diff = first_difference(a, b);
  std::ostringstream out;
  char line[160];
  std::snprintf(line, sizeof line, "     %-36.36s | %s\n", std::string(a_name).c_str(),
                std::string(b_name).c_str());
  out << line;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string left = i < a.size() ? describe(a[i]) : "(end)";
    const std::string right = i < b.size() ? describe(b[i]) : "(end)";
    std::snprintf(line, sizeof line, "%s%3zu %-36.36s | %s\n", i == diff ? ">>" : "  ", i,
                  left.c_str(), right.c_str());
    out << line;
  }
  return out.str();
}

}  // namespace conformance
