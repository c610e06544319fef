// Composed scenarios: the DynamicBuffer v2 members of dynamic_buffer over a
// std::string and a std::vector<char> — grow, data(pos, n), shrink and
// consume — where each clamps or throws, and what v1's prepare and commit
// leave them on the same object. No operation runs: each scenario calls the
// buffer directly and records its size() and the container's bytes, never
// capacity(), which depends on the allocator.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/composed/suite.hpp"

namespace conformance::composed {

// The container's bytes as text, a zero byte (what grow adds) shown as '.'.
inline std::string shown(std::string_view bytes) {
  std::string out(bytes);
  std::replace(out.begin(), out.end(), '\0', '.');
  return out;
}

// A buffer's bytes as text, as shown() writes them.
inline std::string shown(const auto& buffer) {
  return shown(std::string_view(static_cast<const char*>(buffer.data()), buffer.size()));
}

// Copies `text` into the mutable buffer `target`, as far as it reaches.
inline void fill(const auto& target, std::string_view text) {
  std::memcpy(target.data(), text.data(), std::min(target.size(), text.size()));
}

// Calls body(kind, buffer, held) for a dynamic buffer over a std::string,
// then one over a std::vector<char>, each holding `initial` and limited to
// `max_size` bytes: `buffer` is the one buffer object, `held()` the
// container's bytes as shown() writes them.
template <typename B, typename Body>
void for_string_and_vector(Body body, std::size_t max_size, const std::string& initial) {
  {
    std::string s = initial;
    auto buffer = B::dynamic_buffer(s, max_size);
    body(std::string("string"), buffer, [&] { return shown(s); });
  }
  {
    std::vector<char> v(initial.begin(), initial.end());
    auto buffer = B::dynamic_buffer(v, max_size);
    body(std::string("vector"), buffer,
         [&] { return shown(std::string_view(v.data(), v.size())); });
  }
}

// The labels for_string_and_vector's two rounds record, each the same but
// for its kind.
template <typename Expect>
std::vector<std::string> for_string_and_vector_kinds(Expect expect) {
  std::vector<std::string> out;
  for (const char* kind : {"string", "vector"}) {
    const std::vector<std::string> round = expect(std::string(kind));
    out.insert(out.end(), round.begin(), round.end());
  }
  return out;
}

// grow(n) lengthens the container with zero bytes that data(pos, n) can fill;
// shrink(n) cuts the end and consume(n) the front, each emptying it when n
// is larger than what is there.
TYPED_TEST_P(Composed, DynamicBufferV2GrowFillShrinkConsume) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for_string_and_vector<B>(
            [&](const std::string& kind, auto& b, auto held) {
              b.grow(5);
              rec.record(kind + " grown to " + std::to_string(b.size()) + ": " + held());
              fill(b.data(2, 4), "cdef");
              rec.record(kind + " filled: " + held());
              b.shrink(2);
              b.consume(1);
              rec.record(kind + " cut to " + std::to_string(b.size()) + ": " + held());
              b.shrink(10);
              b.consume(10);
              rec.record(kind + " emptied to " + std::to_string(b.size()) + ": " + held());
            },
            std::size_t(-1), "ab");
      },
      expect_outcomes(ElementsAreArray(for_string_and_vector_kinds([](const std::string& kind) {
        return std::vector<std::string>{kind + " grown to 7: ab.....", kind + " filled: abcdef.",
                                        kind + " cut to 4: bcde", kind + " emptied to 0: "};
      }))));
}

// grow(n) past max_size() throws std::length_error and leaves the container
// alone. A container already longer than max_size() counts as max_size()
// bytes: grow(0) cuts it there, and a large consume erases a vector's bytes
// only up to max_size(), a string's all of them.
TYPED_TEST_P(Composed, DynamicBufferV2GrowPastMaxSizeThrows) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for_string_and_vector<B>(
            [&](const std::string& kind, auto& b, auto held) {
              b.grow(2);
              try {
                b.grow(1);
                rec.record(kind + " grew past max_size");
              } catch (const std::length_error&) {
                rec.record(kind + " threw length_error");
              }
              rec.record(kind + " holds " + std::to_string(b.size()) + ": " + held());
            },
            5, "abc");
        for_string_and_vector<B>(
            [&](const std::string& kind, auto& b, auto held) {
              rec.record(kind + " over the limit: size " + std::to_string(b.size()) + ", data() " +
                         shown(b.data()));
              b.consume(100);
              rec.record(kind + " after consume(100): " + held());
            },
            5, "abcdefgh");
        for_string_and_vector<B>(
            [&](const std::string& kind, auto& b, auto held) {
              b.grow(0);
              rec.record(kind + " after grow(0): " + held());
            },
            5, "abcdefgh");
      },
      expect_outcomes(ElementsAre(
          "string threw length_error", "string holds 5: abc..", "vector threw length_error",
          "vector holds 5: abc..", "string over the limit: size 5, data() abcdefgh",
          "string after consume(100): ", "vector over the limit: size 5, data() abcdefgh",
          "vector after consume(100): fgh", "string after grow(0): abcde",
          "vector after grow(0): abcde")));
}

// data(pos, n) views the container's first max_size() bytes: cut short where
// they end, empty past them, the same through a const buffer.
TYPED_TEST_P(Composed, DynamicBufferV2DataIsClampedAtTheEnd) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for_string_and_vector<B>(
            [&](const std::string& kind, auto& b, auto) {
              const auto& cb = b;
              rec.record(kind + " data(6, 10) " + shown(b.data(6, 10)));
              rec.record(kind + " data(20, 3) size " + std::to_string(b.data(20, 3).size()));
              rec.record(kind + " const data(0, 100) " + shown(cb.data(0, 100)));
              rec.record(kind + " const data(3, 2) " + shown(cb.data(3, 2)));
            },
            8, "hello world");
      },
      expect_outcomes(ElementsAreArray(for_string_and_vector_kinds([](const std::string& kind) {
        return std::vector<std::string>{kind + " data(6, 10) wo", kind + " data(20, 3) size 0",
                                        kind + " const data(0, 100) hello wo",
                                        kind + " const data(3, 2) lo"};
      }))));
}

// v1's prepare and commit, then v2's members on the same object: once it has
// prepared, size() stays the committed size; grow and shrink resize the
// container from that size without changing it, data(pos, n) sees the whole
// container, and consume erases committed bytes. A fresh buffer over the
// same container sees the container's size.
TYPED_TEST_P(Composed, DynamicBufferV1ThenV2OnOneObject) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        for_string_and_vector<B>(
            [&](const std::string& kind, auto& b, auto held) {
              fill(b.prepare(3), "cde");
              b.commit(2);
              b.grow(3);
              fill(b.data(4, 3), "xyz");
              rec.record(kind + " size " + std::to_string(b.size()) + ", data() " +
                         shown(b.data()) + ", holds " + held() + ", data(2, 10) " +
                         shown(b.data(2, 10)));
              b.consume(1);
              rec.record(kind + " consumed: size " + std::to_string(b.size()) + ", holds " +
                         held());
              b.shrink(1);
              rec.record(kind + " shrunk: size " + std::to_string(b.size()) + ", data() " +
                         shown(b.data()) + ", holds " + held());
            },
            std::size_t(-1), "ab");
      },
      expect_outcomes(ElementsAreArray(for_string_and_vector_kinds([](const std::string& kind) {
        return std::vector<std::string>{
            kind + " size 4, data() abcd, holds abcdxyz, data(2, 10) cdxyz",
            kind + " consumed: size 3, holds bcdxyz",
            kind + " shrunk: size 3, data() bc, holds bc"};
      }))));
}

}  // namespace conformance::composed
