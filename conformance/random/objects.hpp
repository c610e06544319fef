// conformance::randomized::objects — the io_context and the strands a
// program names, on backend B, and the one way every interpreter submits a
// handler to them. post, dispatch, defer and bind_executor are called
// unqualified, so argument-dependent lookup picks twin's or Asio's.
//
// Thread safety: as the backend's own objects (submitting from any thread is
// safe; constructing and destroying is the owner's business).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "random/program.hpp"

namespace conformance::randomized {

// Converts to Inner only. A strand<strand<E>> built from a strand<E>
// directly is no strand over it in Asio 1.81: the converting constructor
// (template, from strand<OtherExecutor>) is the better match than the one
// from an executor, and it shares the given strand's implementation (its
// queue) while its own inner executor becomes a new strand over E. twin's
// strand has no such constructor and nests. Passing the inner strand as
// this type selects the executor constructor on both: a new strand whose
// inner executor is the given one.
template <typename Inner>
struct as_inner {
  Inner inner;
  operator Inner() const { return inner; }  // NOLINT: implicit on purpose
};

template <typename B>
class objects {
public:
  using io_context = typename B::io_context;
  using executor = typename io_context::executor_type;
  using strand_type = typename B::template strand<executor>;
  using nested_type = typename B::template strand<strand_type>;  // a strand over a strand
  using legacy_type = typename io_context::strand;

  // The context (io_context(1) when the program says so) and its strands.
  explicit objects(const program& p) {
    if (p.hint_one)
      ctx_.emplace(1);
    else
      ctx_.emplace();
    for (int i = 0; i < p.strands; ++i) strands_.push_back(make_strand(*ctx_));
    for (const int inner : p.nested)
      nested_.emplace_back(as_inner<strand_type>{strands_[static_cast<std::size_t>(inner)]});
    for (int i = 0; i < p.legacy_strands; ++i) legacy_.emplace_back(*ctx_);
  }

  objects(const objects&) = delete;
  objects& operator=(const objects&) = delete;

  io_context& ctx() { return *ctx_; }

  // post/dispatch/defer (as s.what says) of `h` to s.target, bound as
  // s.bound says. The legacy strand takes plain handlers only.
  template <typename Handler>
  void submit(const step& s, Handler&& h) {
    if (s.target == where::legacy) {
      legacy_type& l = legacy_[static_cast<std::size_t>(s.index)];
      if (s.what == op::post)
        l.post(std::forward<Handler>(h));
      else if (s.what == op::dispatch)
        l.dispatch(std::forward<Handler>(h));
      else
        l.defer(std::forward<Handler>(h), std::allocator<void>());
      return;
    }
    with_binding(s, std::forward<Handler>(h), [&](auto&& bound) {
      using bound_type = decltype(bound);
      switch (s.target) {
        case where::strand:
          return submit_via(s.what, strands_[at(s.index)], std::forward<bound_type>(bound));
        case where::nested:
          return submit_via(s.what, nested_[at(s.index)], std::forward<bound_type>(bound));
        default: return submit_via(s.what, *ctx_, std::forward<bound_type>(bound));
      }
    });
  }

  // Calls `initiate(h')`, h' being `h` bound as s.bound says (for waits and
  // socket operations, whose initiating function takes the handler).
  template <typename Handler, typename Initiate>
  void with_binding(const step& s, Handler&& h, Initiate&& initiate) {
    switch (s.bound) {
      case binding::none: return initiate(std::forward<Handler>(h));
      case binding::strand:
        return initiate(bind_executor(strands_[at(s.bound_index)], std::forward<Handler>(h)));
      case binding::nested:
        return initiate(bind_executor(nested_[at(s.bound_index)], std::forward<Handler>(h)));
      case binding::wrap:
        return initiate(legacy_[at(s.bound_index)].wrap(std::forward<Handler>(h)));
    }
  }

  // " ctx s1 n0": the executors whose running_in_this_thread() holds, or
  // " nothing".
  std::string inside() {
    std::string out;
    if (ctx_->get_executor().running_in_this_thread()) out += " ctx";
    for (std::size_t i = 0; i < strands_.size(); ++i)
      if (strands_[i].running_in_this_thread()) out += " s" + std::to_string(i);
    for (std::size_t i = 0; i < nested_.size(); ++i)
      if (nested_[i].running_in_this_thread()) out += " n" + std::to_string(i);
    for (std::size_t i = 0; i < legacy_.size(); ++i)
      if (legacy_[i].running_in_this_thread()) out += " l" + std::to_string(i);
    return out.empty() ? " nothing" : out;
  }

  // Whether strand `key` (strand_keys below) reports running_in_this_thread().
  bool running_in(int key) const {
    if (key < nested_key) return strands_[at(key)].running_in_this_thread();
    if (key < legacy_key) return nested_[at(key - nested_key)].running_in_this_thread();
    return legacy_[at(key - legacy_key)].running_in_this_thread();
  }

  // Strands as small integers: s_i is i, n_i is nested_key + i, l_i is
  // legacy_key + i.
  static constexpr int nested_key = 100;
  static constexpr int legacy_key = 200;

private:
  static std::size_t at(int i) { return static_cast<std::size_t>(i); }

  template <typename Executor, typename Handler>
  static void submit_via(op how, Executor&& ex, Handler&& h) {
    if (how == op::post)
      post(ex, std::forward<Handler>(h));
    else if (how == op::dispatch)
      dispatch(ex, std::forward<Handler>(h));
    else
      defer(ex, std::forward<Handler>(h));
  }

  // Destroyed in reverse: strands before the context.
  std::optional<io_context> ctx_;
  std::vector<strand_type> strands_;
  std::vector<nested_type> nested_;
  std::deque<legacy_type> legacy_;
};

// The strands (objects<B> keys) a handler of `s` is sure to run in: the one
// it is bound to, else the strand it was submitted to — and, for a nested
// strand, the strand under it. A handler submitted to one strand but bound
// to another runs in the bound one only (whether it also runs inside the
// first depends on whether the bound strand was free).
inline std::vector<int> strand_keys(const program& p, const step& s) {
  constexpr int nested_key = 100, legacy_key = 200;
  auto nested = [&](int i) {
    return std::vector<int>{nested_key + i, p.nested[static_cast<std::size_t>(i)]};
  };
  switch (s.bound) {
    case binding::strand: return {s.bound_index};
    case binding::nested: return nested(s.bound_index);
    case binding::wrap: return {legacy_key + s.bound_index};
    case binding::none: break;
  }
  if (s.what != op::post && s.what != op::dispatch && s.what != op::defer) return {};
  switch (s.target) {
    case where::strand: return {s.index};
    case where::nested: return nested(s.index);
    case where::legacy: return {legacy_key + s.index};
    case where::context: break;
  }
  return {};
}

}  // namespace conformance::randomized
