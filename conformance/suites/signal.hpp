// Conformance category Signal (see suites/signal/suite.hpp): every scenario
// of its themes, registered as one typed suite.
#pragma once

#include "suites/signal/delivery.hpp"
#include "suites/signal/fork.hpp"
#include "suites/signal/registration.hpp"
#include "suites/signal/waits.hpp"

namespace conformance::signal {

REGISTER_TYPED_TEST_SUITE_P(
    Signal, OneSignalCompletesEveryPendingWait, KeptSignalsGoToLaterWaitsLowestNumberFirst,
    EverySetHoldingTheSignalSeesIt, ASignalReachesSetsOnEveryContext,
    CancelAbortsWaitsAndKeepsCountedSignals, DestroyingTheSetAbortsItsWaits,
    AddAndRemoveReportTheirErrors, RemoveForgetsKeptSignals, ClearForgetsEverySignal,
    LastSetToLetGoRestoresTheDefaultAction, ASignalRaisedBeforeRunReachesThePendingWait,
    ClearAndRemoveLeaveAPendingWaitPending, AWaitAfterCancelTakesTheNextSignal,
    ASignalCountedThreeTimesCompletesThreeWaits, EachSetHoldingAKeptSignalCountsItOnce,
    OneSetsEndLeavesTheOtherHoldingTheSignal, ASecondSignalAfterEveryWaitCompletedIsKept,
    AStoppedContextKeepsTheWaitForItsNextRun, ASetMadeWithThreeSignalsHoldsThemAll,
    AHandlerThatWaitsAgainGetsTheNextSignal, AForkedChildHearsItsOwnSignalsOnly);

}  // namespace conformance::signal
