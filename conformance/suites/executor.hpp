// Conformance category Executor (see suites/executor/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/executor/accept.hpp"
#include "suites/executor/any_io_executor.hpp"
#include "suites/executor/exclusion.hpp"
#include "suites/executor/io_objects.hpp"
#include "suites/executor/polymorphic_executor.hpp"
#include "suites/executor/system_executor.hpp"

namespace conformance::executor {

REGISTER_TYPED_TEST_SUITE_P(
    Executor, IoObjectsDefaultToAnyIoExecutor, TimerOnAStrandReportsThatStrand,
    TimerOnTheContextRunsOnTheContext, TimerHandlerRunsInItsStrand, BoundHandlerRunsOnItsOwnStrand,
    MovedTimerKeepsItsStrand, TwoTimersOfOneStrandDueTogetherCompleteInStartOrder,
    SocketHandlersRunInTheirStrand, ComposedOperationsFinishInTheStrand,
    SignalSetHandlerRunsInItsStrand, StreamDescriptorHandlerRunsInItsStrand,
    AbortedWaitsRunInTheStrand, ResolverHandlerRunsInItsStrand,
    TimerCompletionAmongQueuedStrandAndPlainHandlers, AcceptOntoAStrandGivesTheSocketThatStrand,
    AcceptHandlerRunsOnTheAcceptorsStrand, PlainAcceptGivesTheSocketTheAcceptorsExecutor,
    AcceptOntoAnotherContext, AcceptedSocketRunsItsHandlersOnItsStrand, DefaultAnyIoExecutorIsEmpty,
    AnyIoExecutorsAreEqualWhenTheirTargetsAre, TargetGivesTheHeldExecutorBack,
    TargetOfAnotherTypeIsNull, ContextIsTheIoContext, PostThroughAnyIoExecutorRunsInRun,
    DispatchThroughAnyIoExecutorRunsInlineInAHandler, DispatchThroughAFreeStrandsAnyIoExecutor,
    DispatchThroughAStrandWithQueuedWorkGoesBehindIt, WorkGuardOnAnyIoExecutorKeepsTheContextBusy,
    ObjectOnAnAnyIoExecutorUsesItsTarget, StrandTimersNeverOverlapOnTwoThreads,
    StrandTimersNeverOverlapOnFourThreads, StrandSocketHandlersNeverOverlap,
    SystemExecutorRunsDispatchInlineAndPostElsewhere, SystemExecutorsAreAllOneExecutor,
    QueriedPropertiesNameContextMappingAndAllocator, EmptyPolymorphicExecutorThrowsBadExecutor,
    PolymorphicExecutorRunsOnItsIoContext, PolymorphicExecutorCountsWorkOfItsContext,
    PolymorphicExecutorsCompareAndGiveTheirTargetBack, PolymorphicExecutorOnAStrandKeepsItsOrder);

}  // namespace conformance::executor
