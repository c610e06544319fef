// conformance::randomized::program — a single-threaded program over the
// io_context API, as data: what the generator makes, the interpreter runs on
// each backend and the shrinker cuts down.
//
// A program is a list of steps run by the test's own thread. A step that
// submits a handler (post, dispatch, defer, a timer wait) carries a body: the
// steps that handler runs when it is invoked, so handlers nest to any depth.
// Every step has an id, unique in the program and never renumbered: the
// handler of step #7 records "h7", and a shrunk program keeps the ids of
// the original, so its trace reads against the same text.
//
// Objects are numbered per program: strands s0.. (make_strand), the legacy
// strand l0 (io_context::strand), timers t0.., work guards g0.. .
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
  // it has some, else arms it (expires_at) `delay` deadline slots after the
  // current one; `rearm` always re-arms it, cancelling its pending waits.
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
};

// The executor a post/dispatch/defer goes to.
enum class where : std::uint8_t { context, strand, legacy };

// What the submitted handler is bound to: nothing, a strand through
// bind_executor(s_i, h), or the legacy strand through l_i.wrap(h).
enum class binding : std::uint8_t { none, strand, wrap };

struct step {
  int id = 0;  // unique in the program; the handler records "h<id>"
  op what = op::post;
  where target = where::context;  // post/dispatch/defer
  int index = 0;                  // strand, legacy strand, timer or guard number
  binding bound = binding::none;  // post/dispatch/defer/wait/rearm
  int bound_index = 0;
  int delay = 1;           // wait/rearm: deadline slots after the current one
  std::vector<step> body;  // what the submitted handler runs

  friend bool operator==(const step&, const step&) = default;
};

struct program {
  std::uint64_t seed = 0;
  bool hint_one = false;  // io_context(1), else io_context()
  int strands = 0;
  int legacy_strands = 0;
  int timers = 0;
  int guards = 0;
  std::vector<step> steps;  // the top level, run by the test's thread

  friend bool operator==(const program&, const program&) = default;
};

// Whether `o` submits a handler (and so has a body).
inline bool submits(op o) {
  return o == op::post || o == op::dispatch || o == op::defer || o == op::wait || o == op::rearm;
}

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
  }
  return "?";
}

inline const char* name(where w) {
  return w == where::context ? "ctx" : w == where::strand ? "strand" : "legacy strand";
}

inline const char* name(binding b) {
  return b == binding::none ? "unbound" : b == binding::strand ? "bind_executor" : "wrap";
}

// The step's own line, without its body: "#3 dispatch s1 (bind_executor s0)".
inline std::string describe(const step& s) {
  std::string out = "#" + std::to_string(s.id) + " " + name(s.what);
  const std::string n = std::to_string(s.index);
  switch (s.what) {
    case op::post:
    case op::dispatch:
    case op::defer:
      out += s.target == where::context ? " ctx" : (s.target == where::strand ? " s" : " l") + n;
      break;
    case op::wait:
    case op::rearm: out += " t" + n + " +" + std::to_string(s.delay); break;
    case op::cancel:
    case op::cancel_one: out += " t" + n; break;
    case op::make_guard:
    case op::reset_guard: out += " g" + n; break;
    default: break;
  }
  if (s.bound == binding::strand) out += " (bind_executor s" + std::to_string(s.bound_index) + ")";
  if (s.bound == binding::wrap) out += " (wrap l" + std::to_string(s.bound_index) + ")";
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

// The whole program as indented text, one step per line.
inline std::string to_text(const program& p) {
  std::string out = "program " + std::to_string(p.seed) + ": " +
                    (p.hint_one ? "io_context(1)" : "io_context()") + ", " +
                    std::to_string(p.strands) + " strand(s), " + std::to_string(p.legacy_strands) +
                    " legacy strand(s), " + std::to_string(p.timers) + " timer(s), " +
                    std::to_string(p.guards) + " work guard(s)\n";
  detail::print(p.steps, 0, out);
  out += "  then: every guard reset; restart() + run() until no handler is left\n";
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
    if (last != first) out += "-" + std::to_string(last);
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
