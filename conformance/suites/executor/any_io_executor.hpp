// Executor scenarios: any_io_executor itself — a default-constructed one is
// empty; two are equal when their targets are (the same context's
// executor, a strand and its copy), unequal otherwise; target() gives the
// held executor back, and nothing for another type; context() is the
// io_context; post, dispatch and defer through it behave as through its
// target; a work guard on it keeps the context from running out of work;
// an I/O object made on one holding a strand runs its handlers there.
#pragma once

#include <string>
#include <typeinfo>

#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "suites/executor/suite.hpp"

namespace conformance::executor {

// A default-constructed any_io_executor is empty: false as a bool, equal
// to another empty one, no target, target_type() void.
TYPED_TEST_P(Executor, DefaultAnyIoExecutorIsEmpty) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        const typename B::any_io_executor empty, another;
        rec.record("true: " + yes_no(static_cast<bool>(empty)));
        rec.record("equals another empty one: " + yes_no(empty == another));
        rec.record(
            "has a context executor target: " +
            yes_no(empty.template target<typename B::io_context::executor_type>() != nullptr));
        rec.record("target_type is void: " + yes_no(empty.target_type() == typeid(void)));
      },
      expect_labels(ElementsAre("true: no", "equals another empty one: yes",
                                "has a context executor target: no", "target_type is void: yes")));
}

// Equality follows the targets: the same context's executor taken twice is
// equal, a strand equals its copy; two strands of one context, a strand
// and the context's executor, and two contexts' executors are unequal.
TYPED_TEST_P(Executor, AnyIoExecutorsAreEqualWhenTheirTargetsAre) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx, other;
        const auto strand = make_strand(ctx);
        const auto strand_copy = strand;
        rec.record("context executor twice: " +
                   yes_no(any(ctx.get_executor()) == any(ctx.get_executor())));
        rec.record("strand and its copy: " + yes_no(any(strand) == any(strand_copy)));
        rec.record("two strands: " + yes_no(any(strand) == any(make_strand(ctx))));
        rec.record("strand and context executor: " +
                   yes_no(any(strand) == any(ctx.get_executor())));
        rec.record("two contexts: " + yes_no(any(ctx.get_executor()) == any(other.get_executor())));
        rec.record("empty and context executor: " + yes_no(any() == any(ctx.get_executor())));
      },
      expect_labels(ElementsAre("context executor twice: yes", "strand and its copy: yes",
                                "two strands: no", "strand and context executor: no",
                                "two contexts: no", "empty and context executor: no")));
}

// target<E>() gives back the executor held when it is an E, and
// target_type() names its type.
TYPED_TEST_P(Executor, TargetGivesTheHeldExecutorBack) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        const any on_context(ctx.get_executor()), on_strand(strand);
        const auto* context_target =
            on_context.template target<typename B::io_context::executor_type>();
        const auto* strand_target = on_strand.template target<strand_of_context<B>>();
        rec.record("context's executor: " +
                   yes_no(context_target && *context_target == ctx.get_executor()));
        rec.record("strand: " + yes_no(strand_target && *strand_target == strand));
        rec.record("target_type: " +
                   yes_no(on_strand.target_type() == typeid(strand_of_context<B>)));
      },
      expect_labels(ElementsAre("context's executor: yes", "strand: yes", "target_type: yes")));
}

// target<E>() is null when the executor held is not an E: a strand's
// any_io_executor has no io_context::executor_type target, the context
// executor's no strand. (Asio 1.22 casts whatever it holds: declared
// unsupported on asio_standalone.)
TYPED_TEST_P(Executor, TargetOfAnotherTypeIsNull) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx;
        const any on_context(ctx.get_executor()), on_strand(make_strand(ctx));
        rec.record("context's executor as a strand: " +
                   yes_no(on_context.template target<strand_of_context<B>>() != nullptr));
        rec.record(
            "strand as a context executor: " +
            yes_no(on_strand.template target<typename B::io_context::executor_type>() != nullptr));
      },
      expect_labels(
          ElementsAre("context's executor as a strand: no", "strand as a context executor: no")));
}

// context() is the io_context, whether the target is its executor or a
// strand over it.
TYPED_TEST_P(Executor, ContextIsTheIoContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using any = typename B::any_io_executor;
        typename B::io_context ctx;
        rec.record("context's executor: " + yes_no(&any(ctx.get_executor()).context() == &ctx));
        rec.record("strand: " + yes_no(&any(make_strand(ctx)).context() == &ctx));
      },
      expect_labels(ElementsAre("context's executor: yes", "strand: yes")));
}

// post through an any_io_executor queues the function for run(), where it
// runs on the context; from inside a handler it runs after the handler.
TYPED_TEST_P(Executor, PostThroughAnyIoExecutorRunsInRun) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const typename B::any_io_executor ex(ctx.get_executor());
        post(ex, [&] {
          rec.record("posted: in context " + yes_no(ctx.get_executor().running_in_this_thread()));
          post(ex, [&] { rec.record("posted from the handler"); });
          rec.record("handler ends");
        });
        rec.record("posted before run");
        ctx.run();
      },
      expect_labels(ElementsAre("posted before run", "posted: in context yes", "handler ends",
                                "posted from the handler")));
}

// dispatch through an any_io_executor on the context: inline inside one of
// its handlers, queued outside run(); defer is queued even inside.
TYPED_TEST_P(Executor, DispatchThroughAnyIoExecutorRunsInlineInAHandler) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const typename B::any_io_executor ex(ctx.get_executor());
        dispatch(ex, [&] { rec.record("dispatched outside run"); });
        post(ctx, [&] {
          rec.record("handler begins");
          dispatch(ex, [&] { rec.record("dispatched inside"); });
          defer(ex, [&] { rec.record("deferred inside"); });
          rec.record("handler ends");
        });
        rec.record("before run");
        ctx.run();
      },
      expect_labels(ElementsAre("before run", "dispatched outside run", "handler begins",
                                "dispatched inside", "handler ends", "deferred inside")));
}

// A plain handler of the context dispatches through an any_io_executor
// holding a strand, and so does a handler of the strand. The strand's
// handler is posted before run() (`strand_queued_first`: the plain
// handler's dispatch then finds it queued) or by a later plain handler.
template <typename B>
void dispatch_from_plain_and_from_strand(recorder& rec, bool strand_queued_first) {
  typename B::io_context ctx;
  const auto strand = make_strand(ctx);
  const typename B::any_io_executor ex(strand);
  post(ctx, [&] {
    rec.record("plain handler begins");
    dispatch(ex, [&] {
      rec.record("dispatched from plain: in strand " + yes_no(strand.running_in_this_thread()));
    });
    rec.record("plain handler ends");
  });
  const auto strand_handler = [&] {
    rec.record("strand handler begins");
    dispatch(ex, [&] { rec.record("dispatched from strand"); });
    rec.record("strand handler ends");
  };
  if (strand_queued_first)
    post(strand, strand_handler);
  else
    post(ctx, [&] { post(strand, strand_handler); });
  ctx.run();
}

// From a plain handler while the strand is free, dispatch runs the
// function inline, inside the strand; from inside the strand, inline too.
TYPED_TEST_P(Executor, DispatchThroughAFreeStrandsAnyIoExecutor) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) { dispatch_from_plain_and_from_strand<B>(rec, false); },
      expect_labels(ElementsAre("plain handler begins", "dispatched from plain: in strand yes",
                                "plain handler ends", "strand handler begins",
                                "dispatched from strand", "strand handler ends")));
}

// With a strand handler queued (posted before run), the plain handler's
// dispatch goes behind it, and runs in the same turn of the strand.
TYPED_TEST_P(Executor, DispatchThroughAStrandWithQueuedWorkGoesBehindIt) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) { dispatch_from_plain_and_from_strand<B>(rec, true); },
      expect_labels(ElementsAre("plain handler begins", "plain handler ends",
                                "strand handler begins", "dispatched from strand",
                                "strand handler ends", "dispatched from plain: in strand yes")));
}

// A work guard on an any_io_executor keeps the context from running out of
// work: poll() leaves it not stopped until the guard is reset.
TYPED_TEST_P(Executor, WorkGuardOnAnyIoExecutorKeepsTheContextBusy) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto guard = make_work_guard(typename B::any_io_executor(ctx.get_executor()));
        ctx.poll();
        rec.record("stopped with the guard: " + yes_no(ctx.stopped()));
        guard.reset();
        ctx.poll();
        rec.record("stopped after reset: " + yes_no(ctx.stopped()));
      },
      expect_labels(ElementsAre("stopped with the guard: no", "stopped after reset: yes")));
}

// A timer made on an any_io_executor that holds a strand is on the strand:
// its handler runs there.
TYPED_TEST_P(Executor, ObjectOnAnAnyIoExecutorUsesItsTarget) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        const auto strand = make_strand(ctx);
        typename B::steady_timer timer{typename B::any_io_executor(strand)};
        timer.async_wait(recording_strand(rec, "wait", strand));
        ctx.run();
      },
      expect_outcomes(ElementsAre("wait: in strand yes")));
}

}  // namespace conformance::executor
