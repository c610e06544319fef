// Conformance category Stress (see suites/stress/suite.hpp): every scenario
// of its themes, registered as one typed suite.
#pragma once

#include "suites/stress/soak.hpp"
#include "suites/stress/strands_and_timers.hpp"
#include "suites/stress/teardown.hpp"
#include "suites/stress/wakeups.hpp"

namespace conformance::stress {

REGISTER_TYPED_TEST_SUITE_P(Stress, LostWakeupOnePostAtATime, LostWakeupBursts,
                            StopRestartFromForeignThreadWhileHandlersRun,
                            StrandFromEightProducersIntoFourRunThreads,
                            TimersArmedAndCancelledFromForeignThreads,
                            SocketsClosedFromAnotherThreadWhilePending,
                            DestroyWithWorkQueuedDestroysWithoutInvoking,
                            SoakMixedWorkloadStaysFlat);

}  // namespace conformance::stress
