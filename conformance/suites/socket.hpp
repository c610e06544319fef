// Conformance category Socket (see suites/socket/suite.hpp): every scenario
// of its themes, registered as one typed suite.
#pragma once

#include "suites/socket/addresses.hpp"
#include "suites/socket/at_mark.hpp"
#include "suites/socket/completion.hpp"
#include "suites/socket/connect_sequences.hpp"
#include "suites/socket/connections.hpp"
#include "suites/socket/read_write.hpp"
#include "suites/socket/sync_ops.hpp"
#include "suites/socket/threads_and_processes.hpp"

namespace conformance::socket {

REGISTER_TYPED_TEST_SUITE_P(
    Socket, AcceptIntoSocketAndMemberConnect, MoveAcceptHandsOverConnectedSocket,
    FreeAsyncConnectOverResolvedAddress, FreeAsyncConnectOverResolvedLocalhost,
    ConnectToClosedPortIsRefused, AcceptorCloseCancelsPendingAccept, ReadSomeWriteSomeSmallMessage,
    ReadExactlyThroughManySmallWrites, TransferExactlyAndAtLeast, EofWhenPeerCloses,
    QueuedReadsGetTheBytesThenEofWhenPeerCloses, ResetOnAbortiveClose,
    ReadUntilDelimiterSplitAcrossWrites, ReadUntilStringDelimiterKeepsExtraData,
    ReadUntilNotFoundWhenBufferFull, LargeWriteToSlowReaderDeliversEveryByte,
    CloseCancelsPendingReadAndWrite, CancelCancelsPendingOpsAndSocketStillWorks,
    ZeroLengthOperationsCompleteAtOnce, ZeroLengthOperationsOnAClosedSocketFail,
    ReadyWriteCompletesBeforeReadyRead, CompletionNeverRunsInsideInitiatingCall,
    StrandBoundHandlersNeverOverlap, SyncConnectBothOverloads, SyncAcceptBothOverloads,
    SyncReadSomeWriteSomeBothOverloads, SyncReadWriteBothOverloads, SyncReadUntilBothOverloads,
    SocketOptionsRoundTrip, EndpointsAgreeBetweenEnds, AvailableCountsUnreadBytes,
    HalfCloseWithShutdownSend, ChatWriteQueueDeliversInOrder, ForkChildRunsItsOwnContext,
    ConnectOverIteratorsSkipsRefusedEndpoints, ConnectConditionIsAskedBeforeEachAttempt,
    LegacyConnectConditionChoosesTheNextIterator, ConnectConditionRefusingTheRest,
    ConnectFromAResolverIteratorAlone, DeprecatedFromStringParsesAsMakeAddress,
    ClassfulAddressesAndTheirMasks, V4MappedAndCompatibleConvertBack, AtMarkFindsTheOutOfBandByte,
    AtMarkOfAClosedSocket);

}  // namespace conformance::socket
