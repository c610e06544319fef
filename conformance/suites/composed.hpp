// Conformance category Composed (see suites/composed/suite.hpp): every
// scenario of its themes, registered as one typed suite.
#pragma once

#include "suites/composed/dynamic_buffer_v2.hpp"
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
    BuffersIteratorWalksASequenceAsOneArray, DynamicBufferV2GrowFillShrinkConsume,
    DynamicBufferV2GrowPastMaxSizeThrows, DynamicBufferV2DataIsClampedAtTheEnd,
    DynamicBufferV1ThenV2OnOneObject);

}  // namespace conformance::composed
