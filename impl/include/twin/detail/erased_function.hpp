// twin::detail::erased_function — a move-only void() function of any type,
// called at most once: what a type-erased executor (any_io_executor,
// executor) hands its target (one allocation per call). Not thread-safe;
// owned by whichever thread holds it.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace twin::detail {

class erased_function {
public:
  template <typename F>
  explicit erased_function(F&& f)
      : impl_(std::make_unique<model<std::decay_t<F>>>(std::forward<F>(f))) {}

  void operator()() { impl_->call(); }

private:
  struct base {
    virtual ~base() = default;
    virtual void call() = 0;
  };
  template <typename F>
  struct model final : base {
    template <typename G>
    explicit model(G&& g) : f(std::forward<G>(g)) {}
    void call() override { std::move(f)(); }
    F f;
  };
  std::unique_ptr<base> impl_;
};

}  // namespace twin::detail
