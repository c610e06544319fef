// Composed scenarios: write and async_write — a plain buffer through short
// writes, a completion condition that stops early, and a dynamic buffer
// whose written bytes are consumed from it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/composed/suite.hpp"

namespace conformance::composed {

// What a scenario records about a stream it wrote to.
inline void record_written(recorder& rec, const auto& s) {
  rec.record("writes " + std::to_string(s.write_calls()) + ": " + s.written());
}

// async_write sends every byte, through as many short writes as it takes.
TYPED_TEST_P(Composed, AsyncWriteSendsEveryByteThroughShortWrites) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "", 4);
        const std::string data = "thirteen byte";
        async_write(s, B::buffer(data), recording(rec, "async_write"));
        ctx.run();
        record_written(rec, s);
      },
      expect_outcomes(ElementsAre("async_write 13B", "writes 4: thirteen byte")));
}

// transfer_at_least stops a write as soon as enough was sent.
TYPED_TEST_P(Composed, CompletionConditionStopsAsyncWriteEarly) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "", 3);
        const std::string data = "0123456789";
        async_write(s, B::buffer(data), B::transfer_at_least(5), recording(rec, "at least 5"));
        ctx.run();
        record_written(rec, s);
      },
      expect_outcomes(ElementsAre("at least 5 6B", "writes 2: 012345")));
}

// async_write from a dynamic buffer writes its readable bytes, then
// consumes them: the buffer is empty afterwards.
TYPED_TEST_P(Composed, AsyncWriteConsumesTheDynamicBuffer) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for_each_dynamic_buffer<B>(
            [&](const std::string& kind, auto buffer, auto contents) {
              typename B::io_context ctx;
              test_stream<B> s(ctx, "", 5);
              async_write(s, buffer(), recording(rec, kind));
              ctx.run();
              rec.record(kind + " then holds '" + contents() + "'");
              record_written(rec, s);
            },
            std::size_t(-1), "a payload of 21 bytes");
      },
      expect_outcomes(ElementsAreArray(for_each_kind([](const std::string& kind) {
        return std::vector<std::string>{kind + " 21B", kind + " then holds ''",
                                        "writes 5: a payload of 21 bytes"};
      }))));
}

// The synchronous forms: a plain buffer and a dynamic one, both error
// styles.
TYPED_TEST_P(Composed, SyncWriteBothErrorStyles) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "", 4);
        const std::string first = "plain-";
        record_throwing<B>(rec, "write plain", [&] { return write(s, B::buffer(first)); });
        std::string rest = "dynamic";
        typename B::error_code ec;
        const std::size_t n = write(s, B::dynamic_buffer(rest), ec);
        rec.record("write dynamic, left '" + rest + "'", error_name(ec), n);
        record_written(rec, s);
      },
      expect_outcomes(
          ElementsAre("write plain 6B", "write dynamic, left '' 7B", "writes 4: plain-dynamic")));
}

}  // namespace conformance::composed
