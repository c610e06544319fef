// Conformance category Composed (see suites/composed/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/composed/read.hpp"
#include "suites/composed/read_until.hpp"
#include "suites/composed/write.hpp"

namespace conformance::composed {

REGISTER_TYPED_TEST_SUITE_P(
    Composed, AsyncReadFillsAPlainBufferThroughShortReads, CompletionConditionsBoundAsyncRead,
    AsyncReadIntoADynamicBufferUntilEndOfFile, AsyncReadStopsAtTheDynamicBuffersLimit,
    SyncReadBothErrorStyles, AsyncReadUntilCharKeepsWhatFollows,
    AsyncReadUntilStringDelimiterSplitAcrossReads, AsyncReadUntilNotFoundAtTheLimit,
    AsyncReadUntilEndOfFileBeforeTheDelimiter, SyncReadUntilBothErrorStyles,
    AsyncWriteSendsEveryByteThroughShortWrites, CompletionConditionStopsAsyncWriteEarly,
    AsyncWriteConsumesTheDynamicBuffer, SyncWriteBothErrorStyles,
    AsyncReadUntilMatchConditionResumesWhereItSaid, SyncReadUntilMatchConditionBothErrorStyles,
    BuffersIteratorWalksASequenceAsOneArray);

}  // namespace conformance::composed
