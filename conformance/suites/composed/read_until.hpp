// Composed scenarios: read_until and async_read_until with a char and a
// string delimiter — found in the first read, split across reads, already
// in the buffer, never found before the buffer's limit or end of file —
// and what stays in the buffer past the delimiter; then with a match
// condition, and the buffers_iterator it walks.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
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

// A match condition (a class with result_type, as Asio requires) that
// finds an empty line, "\r\n\r\n", and records the bytes it is shown. A
// partial match at the end of the data is where the next search must
// start: it returns that position, unmatched.
struct blank_line_condition {
  using result_type = void;
  recorder* rec;

  template <typename Iterator>
  std::pair<Iterator, bool> operator()(Iterator first, Iterator last) const {
    rec->record("shown " + std::string(first, last));
    constexpr std::string_view blank = "\r\n\r\n";
    for (Iterator start = first; start != last; ++start) {
      Iterator it = start;
      std::size_t matched = 0;
      while (matched < blank.size() && it != last && *it == blank[matched]) {
        ++it;
        ++matched;
      }
      if (matched == blank.size()) return {it, true};
      if (it == last) return {start, false};
    }
    return {last, false};
  }
};

// The condition is shown only what it has not ruled out: each search
// starts where the previous one said (the start of a partial match, or the
// end), and its count is where it said the match ends.
TYPED_TEST_P(Composed, AsyncReadUntilMatchConditionResumesWhereItSaid) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        read_into_each_dynamic_buffer<B>(
            rec, "GET /\r\n\r\nbody", 4, [&rec](auto& s, auto buffer, auto handler) {
              async_read_until(s, buffer(), blank_line_condition{&rec}, std::move(handler));
            });
      },
      expect_outcomes(ElementsAreArray(for_each_kind([](const std::string& kind) {
        return std::vector<std::string>{"shown ",           "shown GET ",
                                        "shown /\r\n\r",    "shown \r\n\r\nbod",
                                        kind + " 9B",       kind + " holds GET /\r\n\r\nbod",
                                        "reads 3, unread 1"};
      }))));
}

// A match condition that is a function: the first space ends a word.
template <typename Iterator>
std::pair<Iterator, bool> through_first_space(Iterator first, Iterator last) {
  for (; first != last; ++first)
    if (*first == ' ') return {first + 1, true};
  return {last, false};
}

// The synchronous forms with a function as the condition: no read when
// the buffer already matches; eof, and not_found at the buffer's limit,
// as with a delimiter.
TYPED_TEST_P(Composed, SyncReadUntilMatchConditionBothErrorStyles) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        test_stream<B> s(ctx, "one two three", 5);
        std::string text;
        using data_type = typename decltype(B::dynamic_buffer(text))::const_buffers_type;
        using iterator = decltype(buffers_begin(std::declval<data_type>()));
        const auto word = &through_first_space<iterator>;
        record_throwing<B>(rec, "word",
                           [&] { return read_until(s, B::dynamic_buffer(text), word); });
        typename B::error_code ec;
        const std::size_t again = read_until(s, B::dynamic_buffer(text), word, ec);
        rec.record("word again", error_name(ec), again);
        B::dynamic_buffer(text).consume(again);
        record_throwing<B>(rec, "next word",
                           [&] { return read_until(s, B::dynamic_buffer(text), word); });
        B::dynamic_buffer(text).consume(4);
        const std::size_t limited = read_until(s, B::dynamic_buffer(text, 3), word, ec);
        rec.record("limited to 3", error_name(ec), limited);
        rec.record("holds " + text);
        record_stream(rec, s);
      },
      expect_outcomes(ElementsAre("word 4B", "word again 4B", "next word 4B",
                                  "limited to 3 [not_found]", "holds thr", "reads 3, unread 2")));
}

// buffers_iterator walks a sequence of several buffers, an empty one among
// them, as one array: forwards, backwards, by index and by distance, and
// writes through it when the buffers are mutable.
TYPED_TEST_P(Composed, BuffersIteratorWalksASequenceAsOneArray) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        char first[] = "ab", second[] = "cde";
        const std::array buffers{B::buffer(first, 2), B::buffer(first, 0), B::buffer(second, 3)};
        auto begin = buffers_begin(buffers);
        const auto end = buffers_end(buffers);
        rec.record("length " + std::to_string(end - begin) + ": " + std::string(begin, end));
        auto it = begin + 3;
        rec.record(std::string("begin + 3: ") + *it + ", [-2]: " + it[-2] +
                   ", end - 1: " + *(end - 1));
        it -= 3;
        rec.record("back at begin: " + yes_no(it == begin) +
                   ", ordered: " + yes_no(begin < end && begin + 2 < begin + 3));
        for (std::ptrdiff_t i = 0; i < end - begin; i += 2) begin[i] = '_';
        rec.record(std::string("written: ") + first + second);
      },
      expect_outcomes(ElementsAre("length 5: abcde", "begin + 3: d, [-2]: b, end - 1: e",
                                  "back at begin: yes, ordered: yes", "written: _b_d_")));
}

}  // namespace conformance::composed
