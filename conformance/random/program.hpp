// conformance::randomized::program — a program over the io_context API, as
// data: what the generator makes, the interpreters run on each backend and
// the shrinker cuts down.
//
// Two families share this shape:
// - a *driven* program (threads == 0): the test's own thread runs the top
//   level and drives the context itself (run, run_one, run_for, poll, ...);
//   its trace is deterministic and compared with the oracle's event for
//   event (interpreter.hpp);
// - a *pool* program (threads 1..3): that many threads call run() while the
//   test's thread submits the top level from outside; where the handlers
//   interleave is open, so only interleaving-independent facts are compared
//   and the rest is checked as properties on each backend (interpreter_pool.hpp).
//
// A step that submits a handler (post, dispatch, defer, a timer wait, a
// socket read or write) carries a body: the steps that handler runs when it
// is invoked, so handlers nest to any depth. Every step has an id, unique in
// the program and never renumbered: the handler of step #7 records "h7",
// and a shrunk program keeps the ids of the original.
//
// Objects are numbered per program: strands s0.., nested strands n0.. (a
// strand whose inner executor is strand s<nested[i]>), the legacy strand l0
// (io_context::strand), timers t0.., work guards g0.., socket ends p0c/p0s
// (the client and server end of connected loopback pair 0; end e is pair
// e/2, side e%2).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace conformance::randomized {

enum class op : std::uint8_t {
  // Submit a handler to `target` (bound as `bound` says); the handler runs
  // `body`. Outside run() all three queue; see the README for inline rules.
  post,
  dispatch,
  defer,
  // async_wait on timer `index`. `wait` joins the timer's pending waits when
  // it has some, else arms it `delay` deadline slots after the current one
  // (expires_after when `relative`, else expires_at); `rearm` always re-arms
  // it, cancelling its pending waits. In a pool program every wait step has
  // a timer of its own, armed `delay` (half-size) slots after it runs.
  wait,
  rearm,
  cancel,           // timer `index`: cancel(), records the count it returns
  cancel_one,       // timer `index`: cancel_one(), records the count it returns
  make_guard,       // top level only: work guard `index` = make_work_guard(ctx)
  reset_guard,      // work guard `index`.reset()
  stop,             // ctx.stop()
  restart,          // top level only: ctx.restart()
  observe,          // records running_in_this_thread() of ctx and every strand
  run,              // top level only: ctx.run(), records its count
  run_one,          // top level only: ctx.run_one(), records its count
  poll,             // ctx.poll(), records its count (in a handler: a nested poll)
  poll_one,         // ctx.poll_one(), records its count
  throw_exception,  // in a handler only: throws; the rest of the body is skipped
  // Top level of a driven program: run_for / run_one_for until `delay`
  // deadline slots after the current one.
  run_for,
  run_one_for,
  // Two timers of the step's own armed at one deadline (`delay` slots on),
  // one async_wait each; both handlers are leaves and record the same
  // label, since Asio leaves the order of equal deadlines open.
  pair_wait,
  // Socket end `index`: async_read_some into `size` bytes / async_write_some
  // of `size` bytes of the pattern (loopback.hpp); each submits a handler.
  read,
  write,
  close_socket,   // socket end `index`: close(ec)
  cancel_socket,  // socket end `index`: cancel(ec)
  shutdown_send,  // socket end `index`: shutdown(shutdown_send, ec)
  // Pool programs only: cancel_wait cancels the timer of wait step `index`
  // (top level); settle waits until every handler submitted so far ran.
  cancel_wait,
  settle,
};

// The executor a post/dispatch/defer goes to.
enum class where : std::uint8_t { context, strand, legacy, nested };

// What the submitted handler is bound to: nothing, a strand or nested strand
// through bind_executor(s_i, h), or the legacy strand through l_i.wrap(h).
enum class binding : std::uint8_t { none, strand, wrap, nested };

struct step {
  int id = 0;  // unique in the program; the handler records "h<id>"
  op what = op::post;
  where target = where::context;  // post/dispatch/defer
  // Strand, nested strand, timer (-1: a pool wait's own), guard, socket end
  // or wait step.
  int index = 0;
  binding bound = binding::none;  // post/dispatch/defer/wait/rearm/read/write
  int bound_index = 0;
  int delay = 1;           // wait/rearm/pair_wait/run_for/run_one_for: slots on
  int size = 0;            // read/write: bytes
  bool relative = false;   // wait/rearm: arm with expires_after
  std::vector<step> body;  // what the submitted handler runs

  friend bool operator==(const step&, const step&) = default;
};

struct program {
  std::uint64_t seed = 0;
  bool classic = false;   // the classic stream's alone (generator.hpp): seed text "c<seed>"
  int threads = 0;        // 0: a driven program; 1..3: run() threads of a pool program
  bool hint_one = false;  // io_context(1), else io_context()
  int strands = 0;
  int legacy_strands = 0;
  std::vector<int> nested;  // nested strand i runs on strand s<nested[i]>
  int timers = 0;
  int guards = 0;
  int socket_pairs = 0;
  std::vector<step> steps;  // the top level, run by the test's thread

  friend bool operator==(const program&, const program&) = default;
};

// Whether `o` submits a handler (and so may have a body).
inline bool submits(op o) {
  return o == op::post || o == op::dispatch || o == op::defer || o == op::wait || o == op::rearm ||
         o == op::read || o == op::write;
}

// How many handlers step `o` submits.
inline int handlers_of(op o) { return o == op::pair_wait ? 2 : submits(o) ? 1 : 0; }

inline const char* name(op o) {
  switch (o) {
    case op::post: return "post";
    case op::dispatch: return "dispatch";
    case op::defer: return "defer";
    case op::wait: return "wait";
    case op::rearm: return "rearm";
    case op::cancel: return "cancel";
    case op::cancel_one: return "cancel_one";
    case op::make_guard: return "make_work_guard";
    case op::reset_guard: return "reset";
    case op::stop: return "stop";
    case op::restart: return "restart";
    case op::observe: return "observe";
    case op::run: return "run";
    case op::run_one: return "run_one";
    case op::poll: return "poll";
    case op::poll_one: return "poll_one";
    case op::throw_exception: return "throw";
    case op::run_for: return "run_for";
    case op::run_one_for: return "run_one_for";
    case op::pair_wait: return "pair_wait";
    case op::read: return "read";
    case op::write: return "write";
    case op::close_socket: return "close";
    case op::cancel_socket: return "cancel_socket";
    case op::shutdown_send: return "shutdown_send";
    case op::cancel_wait: return "cancel_wait";
    case op::settle: return "settle";
  }
  return "?";
}

inline const char* name(where w) {
  switch (w) {
    case where::context: return "ctx";
    case where::strand: return "strand";
    case where::legacy: return "legacy strand";
    case where::nested: return "nested strand";
  }
  return "?";
}

inline const char* name(binding b) {
  switch (b) {
    case binding::none: return "unbound";
    case binding::strand: return "bind_executor";
    case binding::wrap: return "wrap";
    case binding::nested: return "bind_executor(nested)";
  }
  return "?";
}

// "p0c": socket end `end`.
inline std::string end_name(int end) {
  return "p" + std::to_string(end / 2) + (end % 2 == 0 ? "c" : "s");
}

// The step's own line, without its body: "#3 dispatch s1 (bind_executor s0)".
inline std::string describe(const step& s) {
  std::string out = "#" + std::to_string(s.id) + " " + name(s.what);
  const std::string n = std::to_string(s.index), slots = " +" + std::to_string(s.delay);
  switch (s.what) {
    case op::post:
    case op::dispatch:
    case op::defer: {
      static const char* const prefix[] = {" ctx", " s", " l", " n"};
      out += prefix[static_cast<int>(s.target)];
      if (s.target != where::context) out += n;
      break;
    }
    case op::wait:
    case op::rearm:
      if (s.index >= 0) out += " t" + n;  // (a pool wait has a timer of its own)
      out += slots + (s.relative ? " (expires_after)" : "");
      break;
    case op::cancel:
    case op::cancel_one: out += " t" + n; break;
    case op::make_guard:
    case op::reset_guard: out += " g" + n; break;
    case op::run_for:
    case op::run_one_for:
    case op::pair_wait: out += slots; break;
    case op::read:
    case op::write: out += " " + end_name(s.index) + " " + std::to_string(s.size) + "B"; break;
    case op::close_socket:
    case op::cancel_socket:
    case op::shutdown_send: out += " " + end_name(s.index); break;
    case op::cancel_wait: out += " #" + n; break;
    default: break;
  }
  const std::string b = std::to_string(s.bound_index);
  if (s.bound == binding::strand) out += " (bind_executor s" + b + ")";
  if (s.bound == binding::nested) out += " (bind_executor n" + b + ")";
  if (s.bound == binding::wrap) out += " (wrap l" + b + ")";
  return out;
}

namespace detail {

inline void print(const std::vector<step>& steps, int depth, std::string& out) {
  for (const step& s : steps) {
    out += std::string(2 * depth + 2, ' ') + describe(s);
    if (s.body.empty()) {
      out += "\n";
      continue;
    }
    out += " {\n";
    print(s.body, depth + 1, out);
    out += std::string(2 * depth + 2, ' ') + "}\n";
  }
}

inline void collect_ids(const std::vector<step>& steps, std::vector<int>& out) {
  for (const step& s : steps) {
    out.push_back(s.id);
    collect_ids(s.body, out);
  }
}

inline std::vector<step> keep_only(const std::vector<step>& steps, const std::set<int>& keep) {
  std::vector<step> out;
  for (const step& s : steps) {
    if (!keep.contains(s.id)) continue;
    step copy = s;
    copy.body = keep_only(s.body, keep);
    out.push_back(std::move(copy));
  }
  return out;
}

}  // namespace detail

// "123" for a driven program, "c123" for its classic part alone, "p123" for
// the pool program of seed 123.
inline std::string seed_text(const program& p) {
  std::string out = p.threads > 0 ? "p" : p.classic ? "c" : "";
  out += std::to_string(p.seed);  // (not `"p" + to_string`: g++ 12 warns falsely, -Wrestrict)
  return out;
}

// The whole program as indented text, one step per line.
inline std::string to_text(const program& p) {
  std::string out = "program " + seed_text(p) + ": ";
  out += p.threads > 0 ? std::to_string(p.threads) + " run() thread(s), "
                       : std::string(p.hint_one ? "io_context(1), " : "io_context(), ");
  out += std::to_string(p.strands) + " strand(s), ";
  for (std::size_t i = 0; i < p.nested.size(); ++i)
    out += "n" + std::to_string(i) + " on s" + std::to_string(p.nested[i]) + ", ";
  out += std::to_string(p.legacy_strands) + " legacy strand(s), " + std::to_string(p.timers) +
         " timer(s), " + std::to_string(p.guards) + " work guard(s)";
  if (p.socket_pairs) out += ", " + std::to_string(p.socket_pairs) + " socket pair(s)";
  out += "\n";
  detail::print(p.steps, 0, out);
  out += p.threads > 0 ? "  then: the guard is reset and the threads joined; restart() + run() "
                         "until no handler is left\n"
                       : "  then: every guard reset; restart() + run() until no handler is left\n";
  return out;
}

// Every step id, in program order (a parent before its body).
inline std::vector<int> step_ids(const std::vector<step>& steps) {
  std::vector<int> out;
  detail::collect_ids(steps, out);
  return out;
}

// `p` with only the steps whose id is in `keep` (a step whose id is not kept
// goes with its whole body).
inline program keep_only(const program& p, const std::set<int>& keep) {
  program out = p;
  out.steps = detail::keep_only(p.steps, keep);
  return out;
}

// Ids as a compact list: "1-4,7,9-10".
inline std::string format_ids(const std::set<int>& ids) {
  std::string out;
  for (auto it = ids.begin(); it != ids.end();) {
    const int first = *it;
    int last = first;
    for (++it; it != ids.end() && *it == last + 1; ++it) last = *it;
    if (!out.empty()) out += ",";
    out += std::to_string(first);
    if (last != first) {
      out += '-';  // (not `"-" + to_string`: g++ 12 warns falsely, -Wrestrict)
      out += std::to_string(last);
    }
  }
  return out;
}

// The inverse of format_ids; nullopt when `text` is not such a list.
inline std::optional<std::set<int>> parse_ids(const std::string& text) {
  std::set<int> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(',', at);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(at, end - at);
    const std::size_t dash = item.find('-');
    try {
      std::size_t used = 0;
      const int first = std::stoi(item.substr(0, dash), &used);
      if (used != item.substr(0, dash).size()) return std::nullopt;
      int last = first;
      if (dash != std::string::npos) {
        last = std::stoi(item.substr(dash + 1), &used);
        if (used != item.size() - dash - 1) return std::nullopt;
      }
      if (first < 0 || last < first) return std::nullopt;
      for (int i = first; i <= last; ++i) out.insert(i);
    } catch (...) {
      return std::nullopt;
    }
    at = end + 1;
  }
  return out;
}

}  // namespace conformance::randomized
