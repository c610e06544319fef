// Conformance category ThreadPool (see suites/threadpool/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/threadpool/io_objects.hpp"
#include "suites/threadpool/lifecycle.hpp"
#include "suites/threadpool/running.hpp"

namespace conformance::threadpool {

REGISTER_TYPED_TEST_SUITE_P(
    ThreadPool, FunctionsRunOnPoolThreadsNeverTheCaller, JoinWaitsForWorkTheFunctionsPost,
    WaitReturnsOnceTheWorkHasRun, OneThreadRunsFunctionsInPostOrder,
    OneThreadKeepsAFunctionsPostsBehindEarlierWork, DispatchRunsInlineOnlyOnAPoolThread,
    AttachedThreadTakesWorkTheBusyThreadsCannot, AttachedThreadHelpsAOneThreadPool,
    StopLeavesQueuedFunctionsForTheDestructor, WorkGuardKeepsJoinWaiting, ExecutorsKnowTheirPool,
    TimersAndSocketsRunTheirHandlersOnThePool, PendingWaitIsWorkJoinWaitsFor, SignalSetOnThePool);

}  // namespace conformance::threadpool
