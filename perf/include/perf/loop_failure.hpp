// perf::stop_on_failure — how the TCP fixtures' completion handlers treat an
// error: the first one is kept (as "what: message") and the loop is
// stopped, since the connection's other end would otherwise wait for its
// peer forever. Call it from a thread running `ctx`, with `first_error`
// owned by that thread.
#pragma once

#include <string>

namespace perf {

// True (and the loop stopped) when `ec` is an error.
template <typename Context, typename Error>
bool stop_on_failure(Context& ctx, std::string& first_error, const Error& ec, const char* what) {
  if (!ec) return false;
  if (first_error.empty()) first_error = std::string(what) + ": " + ec.message();
  ctx.stop();
  return true;
}

}  // namespace perf
