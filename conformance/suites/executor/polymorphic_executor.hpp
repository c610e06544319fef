// Executor scenarios: Asio's older polymorphic executor (`executor`) — an
// empty one is false and throws bad_executor from dispatch, post and defer
// (and so from the free post, which falls back to its members); one holding
// an io_context's executor posts into run(), dispatches inline from the
// context's handlers, names the io_context as its context(), and counts
// work as the context's executor does; two are equal when their targets
// are, target<E>() gives the target back and nothing for another type; one
// holding a strand keeps the strand's order.
#pragma once

#include <memory>
#include <string>
#include <typeinfo>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/executor/suite.hpp"

namespace conformance::executor {

// Records "<label>: threw bad_executor" when `call` throws it, else
// "<label>: returned".
template <typename B, typename Call>
void record_bad_executor(recorder& rec, const std::string& label, Call call) {
  try {
    call();
    rec.record(label + ": returned");
  } catch (const typename B::bad_executor&) {
    rec.record(label + ": threw bad_executor");
  }
}

// A default-constructed executor is empty: false, equal to another empty
// one, target_type() void; dispatch, post and defer throw bad_executor,
// and so does the free post. (context() and on_work_started/finished are
// noexcept in Asio: on an empty one they end the program, not tested.)
TYPED_TEST_P(Executor, EmptyPolymorphicExecutorThrowsBadExecutor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        const typename B::executor empty, another;
        const std::allocator<void> alloc;
        rec.record("true: " + yes_no(static_cast<bool>(empty)));
        rec.record("equals another empty one: " + yes_no(empty == another));
        rec.record("target_type is void: " + yes_no(empty.target_type() == typeid(void)));
        record_bad_executor<B>(rec, "dispatch", [&] { empty.dispatch([&] {}, alloc); });
        record_bad_executor<B>(rec, "post", [&] { empty.post([&] {}, alloc); });
        record_bad_executor<B>(rec, "defer", [&] { empty.defer([&] {}, alloc); });
        record_bad_executor<B>(rec, "free post", [&] { post(empty, [&] {}); });
      },
      expect_labels(ElementsAre("true: no", "equals another empty one: yes",
                                "target_type is void: yes", "dispatch: threw bad_executor",
                                "post: threw bad_executor", "defer: threw bad_executor",
                                "free post: threw bad_executor")));
}

// Holding an io_context's executor: context() is the io_context; post
// queues for run(); inside a handler of the context dispatch runs inline,
// post and defer after the handler — the deferred function after the one
// posted after it (Asio keeps a continuation in the running thread's own
// queue until the handler returns); the free functions go through it.
TYPED_TEST_P(Executor, PolymorphicExecutorRunsOnItsIoContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const typename B::executor ex(ctx.get_executor());
        const std::allocator<void> alloc;
        rec.record("true: " + yes_no(static_cast<bool>(ex)));
        rec.record("context is the io_context: " + yes_no(&ex.context() == &ctx));
        ex.post(
            [&] {
              rec.record("posted: in context " +
                         yes_no(ctx.get_executor().running_in_this_thread()));
              ex.defer([&] { rec.record("deferred inside"); }, alloc);
              ex.post([&] { rec.record("posted inside"); }, alloc);
              ex.dispatch([&] { rec.record("dispatched inside"); }, alloc);
              dispatch(ex, [&] { rec.record("free dispatch inside"); });
              rec.record("handler ends");
            },
            alloc);
        rec.record("posted before run");
        ctx.run();
      },
      expect_labels(ElementsAre("true: yes", "context is the io_context: yes", "posted before run",
                                "posted: in context yes", "dispatched inside",
                                "free dispatch inside", "handler ends", "posted inside",
                                "deferred inside")));
}

// on_work_started through it is work of the io_context: poll() leaves the
// context not stopped until on_work_finished; a work guard on it too.
TYPED_TEST_P(Executor, PolymorphicExecutorCountsWorkOfItsContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const typename B::executor ex(ctx.get_executor());
        ex.on_work_started();
        ctx.poll();
        rec.record("stopped after on_work_started: " + yes_no(ctx.stopped()));
        post(ex, [&] {
          rec.record("handler finishes the work");
          ex.on_work_finished();
        });
        ctx.restart();
        ctx.run();
        rec.record("run returned, stopped: " + yes_no(ctx.stopped()));
        ctx.restart();
        auto guard = make_work_guard(ex);
        ctx.poll();
        rec.record("stopped with a guard: " + yes_no(ctx.stopped()));
        guard.reset();
        ctx.poll();
        rec.record("stopped after reset: " + yes_no(ctx.stopped()));
      },
      expect_labels(ElementsAre("stopped after on_work_started: no", "handler finishes the work",
                                "run returned, stopped: yes", "stopped with a guard: no",
                                "stopped after reset: yes")));
}

// Equality follows the targets, target<E>() gives the target back when it
// is an E, and nothing when it is not; target_type() names it.
TYPED_TEST_P(Executor, PolymorphicExecutorsCompareAndGiveTheirTargetBack) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using poly = typename B::executor;
        using context_executor = typename B::io_context::executor_type;
        typename B::io_context ctx, other;
        const auto strand = make_strand(ctx);
        const poly on_context(ctx.get_executor()), on_strand(strand);
        rec.record("context executor twice: " + yes_no(on_context == poly(ctx.get_executor())));
        rec.record("strand and its copy: " + yes_no(on_strand == poly(strand)));
        rec.record("two strands: " + yes_no(on_strand == poly(make_strand(ctx))));
        rec.record("strand and context executor: " + yes_no(on_strand == on_context));
        rec.record("two contexts unequal: " + yes_no(on_context != poly(other.get_executor())));
        rec.record("empty and context executor: " + yes_no(poly() == on_context));
        const auto* context_target = on_context.template target<context_executor>();
        const auto* strand_target = on_strand.template target<strand_of_context<B>>();
        rec.record("context's executor back: " +
                   yes_no(context_target && *context_target == ctx.get_executor()));
        rec.record("strand back: " + yes_no(strand_target && *strand_target == strand));
        rec.record("context's executor as a strand: " +
                   yes_no(on_context.template target<strand_of_context<B>>() != nullptr));
        rec.record("strand as a context executor: " +
                   yes_no(on_strand.template target<context_executor>() != nullptr));
        rec.record("target_type: " +
                   yes_no(on_strand.target_type() == typeid(strand_of_context<B>)));
      },
      expect_labels(ElementsAre("context executor twice: yes", "strand and its copy: yes",
                                "two strands: no", "strand and context executor: no",
                                "two contexts unequal: yes", "empty and context executor: no",
                                "context's executor back: yes", "strand back: yes",
                                "context's executor as a strand: no",
                                "strand as a context executor: no", "target_type: yes")));
}

// Holding a strand: functions posted through it and through the strand
// itself run in the strand, in the order they were posted, each after the
// one before has returned; plain handlers posted between them do not
// interleave with a strand's turn that began; dispatch from inside the
// strand runs inline.
TYPED_TEST_P(Executor, PolymorphicExecutorOnAStrandKeepsItsOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        const typename B::executor ex(strand);
        const std::allocator<void> alloc;
        const auto strand_step = [&](std::string label) {
          return [&rec, &strand, label] {
            rec.record(label + ": in strand " + yes_no(strand.running_in_this_thread()));
          };
        };
        ex.post(
            [&] {
              strand_step("first through executor")();
              ex.dispatch(strand_step("dispatched inside"), alloc);
              ex.post(strand_step("posted inside"), alloc);
              rec.record("first ends");
            },
            alloc);
        post(ctx, [&] { rec.record("plain"); });
        post(strand, strand_step("second through strand"));
        ex.defer(strand_step("third through executor"), alloc);
        ctx.run();
      },
      expect_labels(
          ElementsAre("first through executor: in strand yes", "dispatched inside: in strand yes",
                      "first ends", "plain", "second through strand: in strand yes",
                      "third through executor: in strand yes", "posted inside: in strand yes")));
}

}  // namespace conformance::executor
