// Composed scenarios: read_until and async_read_until with a char and a
// string delimiter — found in the first read, split across reads, already
// in the buffer, never found before the buffer's limit or end of file —
// and what stays in the buffer past the delimiter.
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

// A char delimiter: the count is just past it; bytes read after it stay in
// the buffer for the next call, which finds its line there first.
TYPED_TEST_P(Composed, AsyncReadUntilCharKeepsWhatFollows) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for_each_dynamic_buffer<B>([&](const std::string& kind, auto buffer, auto contents) {
          typename B::io_context ctx;
          test_stream<B> s(ctx, "one\ntwo\nthree", 6);
          async_read_until(s, buffer(), '\n', [&](const auto& ec, std::size_t n) {
            rec.completion(kind + " first line", ec, n);
            rec.record(kind + " holds " + contents());
            buffer().consume(n);
            async_read_until(s, buffer(), '\n', recording(rec, kind + " second line"));
          });
          ctx.run();
          rec.record(kind + " then holds " + contents());
          record_stream(rec, s);
        });
      },
      expect_outcomes(ElementsAreArray(for_each_kind([](const std::string& kind) {
        return std::vector<std::string>{kind + " first line 4B", kind + " holds one\ntw",
                                        kind + " second line 4B", kind + " then holds two\nthre",
                                        "reads 2, unread 1"};
      }))));
}

// A string delimiter split across two reads is found in the second.
TYPED_TEST_P(Composed, AsyncReadUntilStringDelimiterSplitAcrossReads) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        read_into_each_dynamic_buffer<B>(
            rec, "head\r\nbody", 5, [](auto& s, auto buffer, auto handler) {
              async_read_until(s, buffer(), std::string("\r\n"), std::move(handler));
            });
      },
      expect_outcomes(
          ElementsAreArray(each_kind_read(" 6B", "head\r\nbody", "reads 2, unread 0"))));
}

// No delimiter before the buffer's limit: not_found, 0, what was read kept.
TYPED_TEST_P(Composed, AsyncReadUntilNotFoundAtTheLimit) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        read_into_each_dynamic_buffer<B>(
            rec, "no delimiter in here at all", 4,
            [](auto& s, auto buffer, auto handler) {
              async_read_until(s, buffer(), '\n', std::move(handler));
            },
            9);
      },
      expect_outcomes(
          ElementsAreArray(each_kind_read(" [not_found]", "no delimi", "reads 3, unread 18"))));
}

// End of file before the delimiter: eof, 0, what was read kept.
TYPED_TEST_P(Composed, AsyncReadUntilEndOfFileBeforeTheDelimiter) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        read_into_each_dynamic_buffer<B>(rec, "abc;def", 3, [](auto& s, auto buffer, auto handler) {
          async_read_until(s, buffer(), std::string(";;"), std::move(handler));
        });
      },
      expect_outcomes(ElementsAreArray(each_kind_read(" [eof]", "abc;def", "reads 4, unread 0"))));
}

// The synchronous forms, char and string, both error styles.
TYPED_TEST_P(Composed, SyncReadUntilBothErrorStyles) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "key=value;next", 4);
        std::string line;
        record_throwing<B>(rec,
                           "until =", [&] { return read_until(s, B::dynamic_buffer(line), '='); });
        typename B::error_code ec;
        const std::size_t n = read_until(s, B::dynamic_buffer(line), std::string(";"), ec);
        rec.record("until ;", error_name(ec), n);
        record_throwing<B>(rec, "until #",
                           [&] { return read_until(s, B::dynamic_buffer(line), '#'); });
        rec.record("holds " + line);
        record_stream(rec, s);
      },
      expect_outcomes(ElementsAre("until = 4B", "until ; 10B", "until # threw [eof]",
                                  "holds key=value;next", "reads 5, unread 0")));
}

}  // namespace conformance::composed
