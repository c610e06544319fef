// Conformance category Timer (see suites/timer/suite.hpp): every scenario of
// its themes, registered as one typed suite.
#pragma once

#include "suites/timer/cancellation.hpp"
#include "suites/timer/clocks.hpp"
#include "suites/timer/deadline_order.hpp"
#include "suites/timer/deadlines_kept.hpp"
#include "suites/timer/run_loop_and_threads.hpp"

namespace conformance::timer {

REGISTER_TYPED_TEST_SUITE_P(
    Timer, CompletionsRunInDeadlineOrder, ExpiresAfterTimersRunInDeadlineOrder,
    EqualDeadlinesOrderIsEachBackendsOwn, EveryWaitOnOneTimerCompletesInWaitOrder,
    CancelAbortsEveryPendingWait, CancelWithoutWaitsReturnsZero, CancelOneAbortsOnlyTheOldestWait,
    CancelledWaitIsQueuedAtCancelTime, CancelInsideHandlerQueuesLikeAPost,
    ExpiresAfterOnPendingTimerAbortsItsWaits, ExpiresAtOnPendingTimerAbortsItsWaits,
    CancelAfterExpiryDoesNotAbortQueuedCompletion, ExpiredTimerCompletesThroughTheQueue,
    PendingTimerKeepsRunBlockedUntilItFires, TimerArmedFromForeignThreadWakesBlockedRunThread,
    DestroyingTimerAbortsItsPendingWait, DestroyingContextDestroysAbortedWaitWithoutInvoking,
    MovedTimerKeepsItsPendingWait, SynchronousWaitReturnsAfterExpiry, ExpiryReportsWhatWasSet,
    TimerAtTimePointMaxWaitsUntilCancelled, StrandBoundCompletionRunsInTheStrand,
    StrandBoundCompletionsNeverOverlapOnFourThreads, PeriodicTimerReArmsItself,
    ThousandTimersFireOnceInDeadlineOrder, CancellingFromTheMiddleKeepsDeadlineOrder,
    StopLeavesTimerPendingAndRestartCompletesIt, TimersOfTwoContextsDoNotInterfere,
    PollDoesNotWaitForAPendingTimer, RunOneRunsOneTimerCompletionAtATime,
    PollCompletesATimerJustDue, PollCompletesEveryDueTimerInDeadlineOrder,
    NoTimerCompletesBeforeItsExpiry, SystemTimersCompleteInDeadlineOrder,
    HighResolutionTimersCompleteInDeadlineOrder, SteadyAndSystemTimersInterleaveByDeadline,
    EachClocksTimerFiresWhileTheOtherClocksWaitsAnHour, SystemTimerCancelAndReArmAbortItsWaits,
    SystemTimerExpiryFromEveryConstructor, SystemTimerKeepsItsExpiryThroughWaitMoveAndDestruction,
    UserClockWaitTraitsBoundTheReactorsSleep);

}  // namespace conformance::timer
