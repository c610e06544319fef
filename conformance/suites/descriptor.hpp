// Conformance category Descriptor (see suites/descriptor/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/descriptor/local_stream.hpp"
#include "suites/descriptor/pending.hpp"
#include "suites/descriptor/stream_descriptor.hpp"
#include "suites/descriptor/wait.hpp"

namespace conformance::descriptor {

REGISTER_TYPED_TEST_SUITE_P(
    Descriptor, LocalEchoThroughAPath, EndpointsOfBothEndsOfAPathConnection,
    AbstractNamespaceEndpoint, ConnectWhereNobodyListens, BindToAnExistingPathIsAddressInUse,
    PeerCloseGivesEofThenBrokenPipe, ConnectPairConnectsBothWays, ConnectPairOnAnOpenSocketFails,
    PipeWriteThenRead, ReadAfterTheWriteEndClosedIsEof, WriteWithNoReaderIsBrokenPipe,
    CloseAbortsAPendingRead, CancelAbortsAPendingReadAndTheDescriptorStillWorks, ReleaseAndAssign,
    OperationsOnAClosedDescriptorFail, ZeroLengthOperationsCompleteAtOnce,
    NativeNonBlockingFollowsTheDescriptorsFlag, ComposedReadOverSeveralWrites, EventfdCounter,
    SocketWaitReadLeavesTheDataUnread, WaitsThatAreAlreadySatisfied, DescriptorWaitOnAPipe,
    CancelAbortsAPendingWait, SyncWait, ReleaseAbortsAPendingRead,
    DestroyingTheDescriptorAbortsItsRead, CloseAbortsAWriteWaitingOnAFullPipe,
    BytesReadableCountsWhatThePipeHolds, OneMebibyteThroughAPipe);

}  // namespace conformance::descriptor
