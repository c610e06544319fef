// Conformance category Ordering (see suites/ordering/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/ordering/handler_order.hpp"
#include "suites/ordering/run_loop.hpp"
#include "suites/ordering/user_executors.hpp"

namespace conformance::ordering {

REGISTER_TYPED_TEST_SUITE_P(
    Ordering, PostIsFifo, PostNeverRunsInline, DispatchRunsInlineInsideRun,
    DispatchOutsideRunIsQueued, DispatchFromAnotherContextsHandlerIsQueued,
    DeferredContinuationRunsAfterLaterPost, DeferAndPostKeepOrderUnderHintOne,
    DeferOutsideRunIsQueued, NestedPostsRunAfterWhatWasAlreadyQueued, OneHandlerAtATimeOnOneThread,
    RunReturnsHandlerCount, RunOneRunsExactlyOne, PollRunsEveryReadyHandlerIncludingNewOnes,
    PollOneRunsAtMostOne, PollWithNothingReadyReturnsZeroAndKeepsRunning,
    RunWithoutWorkReturnsZeroAndStops, WorkGuardKeepsContextRunningUntilReset,
    ExecutorWorkCountingKeepsRunAlive, StopInsideHandlerThenRestartRunsTheRest,
    StopBeforeRunRunsNothing, ExceptionLeavesRunAndRunContinues,
    ExceptionUnderHintOneLeavesTheWorkCountExact, StopUnderHintOneKeepsTheQueueOrder,
    DestructionDestroysQueuedHandlersWithoutInvoking, RunningInThisThreadOnlyInsideRun,
    ExecutorsCompareEqualPerContext, ExecutorMembersPostDispatchDefer, LegacyMemberPostAndDispatch,
    NestedPollRunsWhatTheOuterHandlerPosted, RunForReturnsWhenWorkRunsOut,
    RunOneForWithNothingReadyReturnsZero, TwoRunThreadsRunTwoHandlersConcurrently,
    HandlersBoundToAUsersLegacyExecutor);

}  // namespace conformance::ordering
