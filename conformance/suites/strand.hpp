// Conformance category Strand (see suites/strand/suite.hpp): every scenario
// of its themes, registered as one typed suite.
#pragma once

#include "suites/strand/batches.hpp"
#include "suites/strand/completions.hpp"
#include "suites/strand/dispatch.hpp"
#include "suites/strand/exclusion.hpp"

namespace conformance::strand {

REGISTER_TYPED_TEST_SUITE_P(
    Strand, HandlersNeverOverlapOnTwoThreads, HandlersNeverOverlapOnFourThreads,
    HandlersNeverOverlapOnEightThreads, BoundHandlersPostedPlainlyNeverOverlap,
    PostFromOneThreadIsFifo, ForeignProducersKeepPerProducerOrder, DispatchInsideStrandRunsInline,
    DispatchFromPlainHandlerWhileStrandFreeRunsInline, DispatchOutsideRunIsQueued,
    DispatchBehindAQueuedHandlerIsQueued, DispatchWhileStrandBusyElsewhereIsQueued,
    NestedDispatchAndPostChains, RunningInThisThread, ExecutorIdentity, TwoStrandsRunInParallel,
    PlainHandlerIsNotStarvedByQueuedStrandWork, SelfPostingStrandTakesTurnsWithPlainHandlers,
    RunOneRunsOneStrandBatch, PostDeferDispatchInterleaveWithPlainPosts,
    ExceptionLeavesRunAndStrandKeepsWorking, DestroyingStrandThenContextDestroysQueuedHandlers,
    LegacyStrandPostDispatchRunningInThisThread, LegacyStrandWrap,
    BindExecutorRunsInStrandThroughPlainPost, FiveThreadsRunTenLegacyStrandPostsInOrder,
    StrandBoundWaitHoldsWorkThroughANestedPoll, WrappedCompletionContinuesTheLegacyStrandsHandler);

}  // namespace conformance::strand
