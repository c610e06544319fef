// conformance::randomized::shrink — the smallest part of a program that
// still fails, found by deleting steps.
//
// Deleting a step deletes its body with it; every subset of a program's
// steps is again a valid program (the interpreter decides at run time what
// could hang), so the shrinker needs no knowledge of what steps mean. It
// first tries to drop runs of top-level steps (halves, quarters, ...), then
// each remaining step on its own, nested ones included, and repeats until
// no single deletion keeps the failure. The result is 1-minimal: removing
// any one more step (with its body) makes the failure go away.
#pragma once

#include <cstddef>
#include <set>
#include <vector>

#include "random/program.hpp"

namespace conformance::randomized {

namespace detail {

// The ids of `s` and of everything in its body.
inline void subtree_ids(const step& s, std::set<int>& out) {
  out.insert(s.id);
  for (const step& inner : s.body) subtree_ids(inner, out);
}

inline const step* find_step(const std::vector<step>& steps, int id) {
  for (const step& s : steps) {
    if (s.id == id) return &s;
    if (const step* inner = find_step(s.body, id)) return inner;
  }
  return nullptr;
}

}  // namespace detail

// The ids to keep (see keep_only) for a smallest program that still
// `fails`. `fails(p)` must hold for `p` itself; it is called once per
// candidate, each time on a program with fewer steps.
template <typename Fails>
std::set<int> shrink(const program& p, Fails&& fails) {
  const std::vector<int> all = step_ids(p.steps);
  std::set<int> keep(all.begin(), all.end());

  // Keeps the deletion of `ids` (with their bodies) if the program still fails.
  auto try_delete = [&](const std::vector<int>& ids) {
    const program current = keep_only(p, keep);
    std::set<int> gone;
    for (const int id : ids)
      if (const step* s = detail::find_step(current.steps, id)) detail::subtree_ids(*s, gone);
    if (gone.empty()) return false;
    std::set<int> candidate;
    for (const int id : keep)
      if (!gone.contains(id)) candidate.insert(id);
    if (!fails(keep_only(p, candidate))) return false;
    keep = std::move(candidate);
    return true;
  };

  for (bool progress = true; progress;) {
    progress = false;
    // Runs of top-level steps, largest first.
    std::vector<int> top;
    for (const step& s : keep_only(p, keep).steps) top.push_back(s.id);
    for (std::size_t chunk = top.size() / 2; chunk >= 2; chunk /= 2) {
      for (std::size_t at = 0; at + chunk <= top.size(); at += chunk) {
        const std::vector<int> run(top.begin() + static_cast<std::ptrdiff_t>(at),
                                   top.begin() + static_cast<std::ptrdiff_t>(at + chunk));
        progress |= try_delete(run);
      }
    }
    // Single steps, in program order (a parent before its body).
    for (const int id : step_ids(keep_only(p, keep).steps))
      if (keep.contains(id)) progress |= try_delete({id});
  }
  return keep;
}

}  // namespace conformance::randomized
