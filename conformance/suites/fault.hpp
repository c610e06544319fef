// Conformance category Fault (see suites/fault/suite.hpp): every scenario of
// its themes, registered as one typed suite.
#pragma once

#include "suites/fault/peer_failures.hpp"
#include "suites/fault/resource_limits.hpp"
#include "suites/fault/signal_interrupts.hpp"
#include "suites/fault/signal_storms.hpp"

namespace conformance::fault {

REGISTER_TYPED_TEST_SUITE_P(Fault, AcceptFailsWithEmfileThenAcceptorRecovers,
                            PeerResetMidReadAndMidWrite, HalfCloseKeepsTheOtherDirectionOpen,
                            WriteToClosedPeerRaisesNoSigpipe, TinyBuffersMakeEveryWritePartial,
                            SignalStormAtSleepingRunThreads, SignalStormAtBlockingSyncOps,
                            SignalInterruptsBlockingSyncCalls);

}  // namespace conformance::fault
