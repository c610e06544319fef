// conformance::randomized — what the generated programs contain (census)
// and what they reach when run (reach), for the harness's own tests: a
// differential run that passes says little unless its programs exercise
// every step kind and reach every outcome listed here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "conformance/trace.hpp"
#include "random/program.hpp"
#include "random/punctuality.hpp"

namespace conformance::randomized {

// Counts step kinds by where they appear ("top post", "nested wait"), the
// executors and bindings of submissions, bodies, and program shapes.
struct census {
  std::map<std::string, int> seen;
  int most_steps = 0, deepest = 0;

  void count(const program& p) {
    most_steps = std::max(most_steps, static_cast<int>(step_ids(p.steps).size()));
    seen[p.threads    ? "threads " + std::to_string(p.threads)
         : p.hint_one ? "io_context(1)"
                      : "io_context()"]++;
    count(p.steps, 0);
  }

  void count(const std::vector<step>& steps, int depth) {
    for (const step& s : steps) {
      seen[(depth == 0 ? "top " : "nested ") + std::string(name(s.what))]++;
      if (submits(s.what)) {
        if (s.what == op::post || s.what == op::dispatch || s.what == op::defer)
          seen[std::string("to ") + name(s.target)]++;
        seen[std::string(name(s.bound)) + " " + name(s.what)]++;
        if (!s.body.empty()) seen[std::string("body of ") + name(s.what)]++;
      }
      if (s.relative) seen["expires_after"]++;
      if (s.what == op::read && s.size == 0) seen["read of 0 bytes"]++;
      deepest = std::max(deepest, depth);
      count(s.body, depth + 1);
    }
  }
};

inline std::vector<std::string> kinds_everywhere(std::initializer_list<op> ops) {
  std::vector<std::string> out;
  for (const op o : ops) {
    out.push_back(std::string("top ") + name(o));
    out.push_back(std::string("nested ") + name(o));
  }
  return out;
}

// What the census of a thousand driven programs must have seen.
inline std::vector<std::string> driven_kinds() {
  std::vector<std::string> out = kinds_everywhere(
      {op::post, op::dispatch, op::defer, op::wait, op::rearm, op::cancel, op::cancel_one,
       op::reset_guard, op::stop, op::observe, op::poll, op::poll_one, op::pair_wait, op::read,
       op::write, op::close_socket, op::cancel_socket, op::shutdown_send});
  for (const op o :
       {op::make_guard, op::restart, op::run, op::run_one, op::run_for, op::run_one_for})
    out.push_back(std::string("top ") + name(o));
  out.push_back(std::string("nested ") + name(op::throw_exception));
  for (const char* what :
       {"io_context(1)", "io_context()", "to ctx", "to strand", "to legacy strand",
        "to nested strand", "expires_after", "read of 0 bytes"})
    out.push_back(what);
  for (const op o : {op::post, op::dispatch, op::defer, op::wait, op::rearm, op::read, op::write}) {
    out.push_back(std::string("body of ") + name(o));
    for (const binding b : {binding::none, binding::strand, binding::wrap})
      out.push_back(std::string(name(b)) + " " + name(o));
  }
  for (const op o : {op::post, op::dispatch, op::wait, op::read})
    out.push_back(std::string(name(binding::nested)) + " " + name(o));
  return out;
}

// What no driven program may contain.
inline std::vector<std::string> never_nested() {
  std::vector<std::string> out = {std::string("top ") + name(op::throw_exception)};
  for (const op o : {op::make_guard, op::restart, op::run, op::run_one, op::run_for,
                     op::run_one_for, op::cancel_wait, op::settle})
    out.push_back(std::string("nested ") + name(o));
  return out;
}

// What the census of a thousand pool programs must have seen.
inline std::vector<std::string> pool_kinds() {
  std::vector<std::string> out =
      kinds_everywhere({op::post, op::dispatch, op::defer, op::wait, op::pair_wait});
  for (const char* what : {"threads 1", "threads 2", "threads 3", "top cancel_wait", "top settle",
                           "nested observe", "nested stop", "to ctx", "to strand",
                           "to legacy strand", "to nested strand", "body of post", "body of wait"})
    out.push_back(what);
  for (const op o : {op::post, op::wait})
    for (const binding b : {binding::strand, binding::wrap, binding::nested})
      out.push_back(std::string(name(b)) + " " + name(o));
  return out;
}

// What no pool program may contain.
inline std::vector<std::string> never_in_pool() {
  std::vector<std::string> out = kinds_everywhere(
      {op::rearm, op::cancel, op::cancel_one, op::make_guard, op::reset_guard, op::restart, op::run,
       op::run_one, op::poll, op::poll_one, op::throw_exception, op::run_for, op::run_one_for,
       op::read, op::write, op::close_socket, op::cancel_socket, op::shutdown_send});
  for (const op o : {op::cancel_wait, op::settle}) out.push_back(std::string("nested ") + name(o));
  out.push_back("top observe");
  out.push_back("top stop");
  return out;
}

// Counts outcomes in the oracle's runs.
struct reach {
  std::map<std::string, int> seen;

  static bool has(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
  }

  void count(const program& p, const run_result& r) {
    const trace& t = r.events;
    if (r.time.meets > 0) seen["pool: the handlers of a pair ran at once"]++;
    for (const event& e : t) {
      const std::string& w = e.what;
      if (p.threads > 0) {
        count_pool(w, e);
        continue;
      }
      const bool timer = w[0] == 'h' && has(w, " t") && !has(w, " invoked");
      if (timer && e.error.empty()) seen["timer fired"]++;
      if (timer && e.error == "ECANCELED") seen["timer wait aborted"]++;
      if (has(w, " cancel t") && !has(w, "-> 0")) seen["cancel aborted a wait"]++;
      if (has(w, " cancel_one t") && has(w, "-> 1")) seen["cancel_one aborted a wait"]++;
      if (has(w, "expires_at slot") && !has(w, "-> 0")) seen["expires_at aborted a wait"]++;
      if (has(w, "expires_after slot")) seen["expires_after armed a timer"]++;
      if (has(w, "run skipped (guard)")) seen["run skipped for a guard"]++;
      if (has(w, "run_one skipped (guard")) seen["run_one skipped for a guard"]++;
      if (has(w, "skipped (stuck reads)")) seen["a run skipped for stuck reads"]++;
      if (has(w, "(nested) -> ") && !has(w, "-> 0")) seen["nested poll ran handlers"]++;
      if (has(w, "inside:") && has(w, " s")) seen["observed inside a strand"]++;
      if (has(w, "inside:") && has(w, " n")) seen["observed inside a nested strand"]++;
      if (has(w, "inside:") && has(w, " l0")) seen["observed inside the legacy strand"]++;
      if (has(w, " run -> ") && has(w, "stopped")) seen["run returned"]++;
      if (has(w, "run_one -> 1")) seen["run_one ran one"]++;
      if (has(w, " run_for slot") && has(w, "running")) seen["run_for reached its deadline"]++;
      if (has(w, " run_for slot") && !has(w, "-> 0")) seen["run_for ran handlers"]++;
      if (has(w, "run_one_for slot") && has(w, "-> 1")) seen["run_one_for ran one"]++;
      if (has(w, "run_one_for slot") && has(w, "-> 0, running")) seen["run_one_for timed out"]++;
      if (has(w, " pair") && w[0] == 'h' && e.error.empty()) seen["an equal-deadline pair fired"]++;
      if (has(w, " read p") && e.bytes > 0) seen["a read got bytes"]++;
      if (has(w, " read p") && e.error == "eof") seen["a read saw end of stream"]++;
      if (has(w, " read p") && e.error == "ECANCELED") seen["a read was aborted"]++;
      if (has(w, " read p") && e.error == "EBADF") seen["a read on a closed socket"]++;
      if (has(w, " write p") && e.bytes > 0) seen["a write sent bytes"]++;
      if (has(w, " write p") && !e.error.empty()) seen["a write failed"]++;
      if (has(w, "shutdown_send p") && e.error.empty()) seen["a socket shut down sending"]++;
      if (has(w, "rescue: cancel")) seen["stuck reads rescued"]++;
      if (w.starts_with("final run") && !has(w, "threw") && &e != &t[t.size() - 2])
        seen["stop ended a run"]++;
      if (has(w, "-> threw")) seen["a handler threw out of run or poll"]++;
      if (has(w, "invoked again") || has(w, "(wrong bytes)")) seen["handler invoked twice"]++;
    }
  }

  void count_pool(const std::string& w, const event& e) {
    if (has(w, " pair_wait ran") && e.error.empty()) seen["pool: a pair ran"]++;
    if (has(w, " wait ran") && e.error.empty()) seen["pool: a wait fired"]++;
    if (has(w, " wait ran") && e.error == "ECANCELED") seen["pool: a wait was cancelled"]++;
    if (has(w, "cancel_wait") && has(w, "-> 1")) seen["pool: cancel_wait aborted a wait"]++;
    if (has(w, "cancel_wait") && has(w, "-> 0")) seen["pool: cancel_wait after the wait ran"]++;
    if (has(w, "run() ran")) seen["pool: run() counts compared"]++;
    if (has(w, " times")) seen["handler invoked twice"]++;
  }

  static std::vector<std::string> expected() {
    return {"timer fired",
            "timer wait aborted",
            "cancel aborted a wait",
            "cancel_one aborted a wait",
            "expires_at aborted a wait",
            "expires_after armed a timer",
            "run skipped for a guard",
            "run_one skipped for a guard",
            "a run skipped for stuck reads",
            "nested poll ran handlers",
            "observed inside a strand",
            "observed inside a nested strand",
            "observed inside the legacy strand",
            "run returned",
            "run_one ran one",
            "run_for reached its deadline",
            "run_for ran handlers",
            "run_one_for ran one",
            "run_one_for timed out",
            "an equal-deadline pair fired",
            "a read got bytes",
            "a read saw end of stream",
            "a read was aborted",
            "a read on a closed socket",
            "a write sent bytes",
            "a write failed",
            "a socket shut down sending",
            "stuck reads rescued",
            "stop ended a run",
            "a handler threw out of run or poll",
            "pool: a pair ran",
            "pool: a wait fired",
            "pool: a wait was cancelled",
            "pool: cancel_wait aborted a wait",
            "pool: cancel_wait after the wait ran",
            "pool: run() counts compared",
            "pool: the handlers of a pair ran at once"};
  }
};

}  // namespace conformance::randomized
