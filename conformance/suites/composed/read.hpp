// Composed scenarios: read and async_read — into a plain buffer until it is
// full or a completion condition says done, and into a dynamic buffer until
// end of file or its size limit — through reads of a few bytes each.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/composed/suite.hpp"

namespace conformance::composed {

// async_read fills a plain buffer through as many short reads as it takes,
// and stops when it is full: the rest of the input stays unread.
TYPED_TEST_P(Composed, AsyncReadFillsAPlainBufferThroughShortReads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "hello, world! and more", 5);
        char data[13] = {};
        async_read(s, B::buffer(data, sizeof data), recording(rec, "async_read"));
        ctx.run();
        rec.record("data " + std::string(data, sizeof data));
        record_stream(rec, s);
      },
      expect_outcomes(ElementsAre("async_read 13B", "data hello, world!", "reads 3, unread 9")));
}

// transfer_exactly and transfer_at_least decide how much each read may ask
// for and when the operation is done.
TYPED_TEST_P(Composed, CompletionConditionsBoundAsyncRead) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, std::string(40, 'x'), 4);
        char data[32] = {};
        async_read(s, B::buffer(data, sizeof data), B::transfer_exactly(6),
                   [&](const auto& ec, std::size_t n) {
                     rec.completion("exactly 6", ec, n);
                     record_stream(rec, s);
                     async_read(s, B::buffer(data, sizeof data), B::transfer_at_least(5),
                                [&](const auto& ec2, std::size_t n2) {
                                  rec.completion("at least 5", ec2, n2);
                                  record_stream(rec, s);
                                });
                   });
        ctx.run();
      },
      expect_outcomes(ElementsAre("exactly 6 6B", "reads 2, unread 34", "at least 5 8B",
                                  "reads 4, unread 26")));
}

// async_read into a dynamic buffer reads until end of file, which it
// reports with every byte read committed to the buffer.
TYPED_TEST_P(Composed, AsyncReadIntoADynamicBufferUntilEndOfFile) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        read_into_each_dynamic_buffer<B>(rec, "the whole input, 31 bytes long.", 7,
                                         [](auto& s, auto buffer, auto handler) {
                                           async_read(s, buffer(), std::move(handler));
                                         });
      },
      expect_outcomes(ElementsAreArray(
          each_kind_read(" [eof] 31B", "the whole input, 31 bytes long.", "reads 6, unread 0"))));
}

// A dynamic buffer's size limit ends the read: no error, the buffer full,
// the rest of the input unread.
TYPED_TEST_P(Composed, AsyncReadStopsAtTheDynamicBuffersLimit) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        read_into_each_dynamic_buffer<B>(
            rec, "0123456789abcdefghij", 3,
            [](auto& s, auto buffer, auto handler) { async_read(s, buffer(), std::move(handler)); },
            10);
      },
      expect_outcomes(
          ElementsAreArray(each_kind_read(" 10B", "0123456789", "reads 4, unread 10"))));
}

// The synchronous forms: read into a plain buffer, and into a dynamic
// buffer until end of file (reported through `ec`, or thrown).
TYPED_TEST_P(Composed, SyncReadBothErrorStyles) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "abcdefghijklmnopqrstuvwxyz", 4);
        char data[10] = {};
        record_throwing<B>(rec, "read plain", [&] { return read(s, B::buffer(data, 10)); });
        rec.record("data " + std::string(data, 10));
        typename B::error_code ec;
        std::string rest;
        const std::size_t n = read(s, B::dynamic_buffer(rest, 8), ec);
        rec.record("read dynamic " + rest, error_name(ec), n);
        std::string tail;
        record_throwing<B>(rec, "read to eof", [&] { return read(s, B::dynamic_buffer(tail)); });
        rec.record("tail " + tail);
        record_stream(rec, s);
      },
      expect_outcomes(ElementsAre("read plain 10B", "data abcdefghij", "read dynamic klmnopqr 8B",
                                  "read to eof threw [eof]", "tail stuvwxyz",
                                  "reads 8, unread 0")));
}

}  // namespace conformance::composed
