// Ordering scenarios: a user's own executor of the older (Networking TS)
// kind — no execute(), but context(), on_work_started/on_work_finished and
// dispatch/post/defer taking an allocator — bound to handlers with
// bind_executor: which of its members a post and a timer completion call,
// and that the work it is asked to count is balanced.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/ordering/suite.hpp"

namespace conformance::ordering {

// What a counting_legacy_executor was asked to do.
struct legacy_executor_calls {
  int dispatched = 0, posted = 0, deferred = 0, work_started = 0, work_finished = 0;
};

// Forwards to a context's executor and counts every call. Copies share the
// counts. Used by one run thread only.
template <typename B>
class counting_legacy_executor {
public:
  counting_legacy_executor(typename B::io_context& ctx, legacy_executor_calls& calls)
      : ctx_(&ctx), calls_(&calls) {}

  typename B::io_context& context() const noexcept { return *ctx_; }
  void on_work_started() const noexcept { ++calls_->work_started; }
  void on_work_finished() const noexcept { ++calls_->work_finished; }
  template <typename Function, typename Allocator>
  void dispatch(Function&& f, const Allocator& a) const {
    ++calls_->dispatched;
    ctx_->get_executor().dispatch(std::forward<Function>(f), a);
  }
  template <typename Function, typename Allocator>
  void post(Function&& f, const Allocator& a) const {
    ++calls_->posted;
    ctx_->get_executor().post(std::forward<Function>(f), a);
  }
  template <typename Function, typename Allocator>
  void defer(Function&& f, const Allocator& a) const {
    ++calls_->deferred;
    ctx_->get_executor().defer(std::forward<Function>(f), a);
  }
  friend bool operator==(const counting_legacy_executor& a,
                         const counting_legacy_executor& b) noexcept {
    return a.ctx_ == b.ctx_;
  }
  friend bool operator!=(const counting_legacy_executor& a,
                         const counting_legacy_executor& b) noexcept {
    return !(a == b);
  }

private:
  typename B::io_context* ctx_;
  legacy_executor_calls* calls_;
};

// A handler bound to the user's executor and posted to the context, and a
// timer wait whose handler is bound to it: each reaches the handler through
// the executor's dispatch, and every unit of work it was asked to count is
// given back.
TYPED_TEST_P(Ordering, HandlersBoundToAUsersLegacyExecutor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        legacy_executor_calls calls;
        counting_legacy_executor<B> ex(ctx, calls);
        post(ctx, B::bind_executor(ex, [&] { rec.record("posted handler"); }));
        typename B::steady_timer timer(ctx);
        timer.expires_after(std::chrono::milliseconds(1));
        timer.async_wait(B::bind_executor(ex, recording(rec, "wait")));
        ctx.run();
        rec.record("dispatched " + std::to_string(calls.dispatched) + ", posted " +
                   std::to_string(calls.posted) + ", deferred " + std::to_string(calls.deferred));
        rec.record("work started " + std::to_string(calls.work_started) + ", finished " +
                   std::to_string(calls.work_finished));
      },
      expect_outcomes(ElementsAre("posted handler", "wait", "dispatched 2, posted 0, deferred 0",
                                  "work started 2, finished 2")));
}

}  // namespace conformance::ordering
