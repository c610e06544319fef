// conformance outcomes — completion handlers that record what an operation
// reported.
//
// Two ways to record a completion. recording(rec, label) records it at once,
// from the handler: for a chain, where each handler starts the next, or
// where Asio fixes the order itself. into(outcome) keeps it until run()
// returns, and record(rec, label, outcome) then records it: for operations
// in flight at the same time, whose completion order is the kernel's
// choice, so the trace does not depend on it. Both accept the (ec) and the
// (ec, bytes) forms.
#pragma once

#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "conformance/error_name.hpp"
#include "conformance/trace.hpp"

namespace conformance {

// A completion handler's byte count. Handlers are constrained so that Asio's
// overload checks (is this a move-accept handler? an iterator-connect one?)
// fail quietly instead of instantiating a body that cannot compile.
template <typename T>
concept byte_count = std::convertible_to<T, std::size_t>;

// What one operation's handler reported, and how many times it ran.
struct outcome {
  bool done = false;
  std::string error;
  std::size_t bytes = 0;
  int calls = 0;
};

// A completion handler, (ec) or (ec, bytes), that fills `o`.
inline auto into(outcome& o) {
  return [&o](const auto& ec, byte_count auto... bytes) {
    o.done = true;
    o.error = error_name(ec);
    o.bytes = (std::size_t{0} + ... + static_cast<std::size_t>(bytes));
    ++o.calls;
  };
}

// Records `label` with what the operation reported, that it never
// completed, or that its handler ran more than once.
inline void record(recorder& rec, const std::string& label, const outcome& o) {
  if (o.calls > 1)
    rec.record(label + " completed " + std::to_string(o.calls) + " times");
  else if (o.done)
    rec.record(label, o.error, o.bytes);
  else
    rec.record(label + " never completed");
}

// A completion handler, (ec) or (ec, bytes), that records `label` with the
// error and byte count.
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

// Posts to `target` (an io_context, executor or strand) handlers numbered
// first..end-1, in order; handler i records "<prefix> i", as
// expectations.hpp's numbered(prefix, n) expects.
template <typename Target>
void post_numbered(Target& target, recorder& rec, const std::string& prefix, int first, int end) {
  for (int i = first; i < end; ++i)
    post(target, [&rec, prefix, i] { rec.record(prefix + " " + std::to_string(i)); });
}

// Calls ctx.run() and records "run returned normally", or "run threw
// <what>" when a handler's std::runtime_error leaves it.
template <typename Context>
void record_run_or_throw(recorder& rec, Context& ctx) {
  try {
    ctx.run();
  } catch (const std::runtime_error& e) {
    rec.record(std::string("run threw ") + e.what());
    return;
  }
  rec.record("run returned normally");
}

}  // namespace conformance
