// Conformance category Udp (see suites/udp/suite.hpp): every scenario of
// its themes, registered as one typed suite.
#pragma once

#include "suites/udp/buffers.hpp"
#include "suites/udp/datagrams.hpp"
#include "suites/udp/endpoints.hpp"
#include "suites/udp/errors.hpp"
#include "suites/udp/local.hpp"
#include "suites/udp/options.hpp"
#include "suites/udp/pending.hpp"

namespace conformance::udp {

REGISTER_TYPED_TEST_SUITE_P(
    Udp, DatagramsArriveWholeInOrderFromTheirSender, ALongDatagramIsCutToTheBuffer,
    AZeroLengthDatagramIsADatagram, PeekAndAvailableSeeTheNextDatagram,
    AConnectedSocketHearsOnlyItsPeer, IPv6LoopbackCarriesDatagrams,
    AClosedPortRefusesTheNextReceive, AClosedPortRefusesAPendingReceive,
    SendWithoutADestinationFails, AClosedSocketIsABadDescriptor, BindingAPortInUse,
    PendingReceivesTakeDatagramsInOrder, CancelAbortsPendingReceives,
    CloseAndDestructionAbortPendingReceives, WaitingForReadinessLeavesTheDatagram,
    AsyncSendThenReceive, LocalPairCarriesDatagramsBothWays, LocalReceiveFromNamesTheSendersPath,
    LocalPathsWithNobodyThere, LocalPairAfterOneSideCloses, BufferSequencesMakeAndTakeOneDatagram,
    AnEmptyBufferStillTakesADatagram, ADatagramTooLongForUdpIsRefused,
    AnUnconnectedSocketIsNotToldOfAClosedPort, ANonBlockingReceiveWouldBlock,
    ANeverOpenedSocketIsABadDescriptor, ShutdownOfADatagramSocket, ASocketCanTalkToItself,
    AnIPv6SocketHearsIPv4AsMapped, DestinationsOfTheOtherFamily, AsyncConnectOpensAndNeedsNoPeer,
    OptionsReadBackAsSet, LocalAutobindNamesTheSocket, LocalAbstractNames,
    ARefusalCompletesReadAndErrorWaits, LocalNamesOfPairsAndLongPaths, AnAsyncPeekLeavesTheDatagram,
    OnlyTheFirst64BuffersCount, OutOfBandIsNotForDatagrams, IPv4MulticastOptionsReadBackAsSet,
    IPv6MulticastOptionsReadBackAsSet, IPOptionsOfASocketNotOpen, AtMarkIsForStreamSockets,
    OldBufferNamesCarryADatagram);

}  // namespace conformance::udp
