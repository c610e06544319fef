// conformance::verify — runs one scenario on a backend and judges it.
//
// A scenario is written once, as a generic lambda over the backend traits:
//
//   verify<TypeParam>(determinism::deterministic,
//       []<class B>(recorder& rec) { typename B::io_context ctx; ... },
//       expect_labels(ElementsAre(...)));
//
// (expectations.hpp: the properties are GoogleTest matchers on the trace.)
// verify() runs it under a watchdog on the backend under test and asserts
// the properties on that backend's own trace (a properties function that
// also takes a std::string_view gets the backend's name, for behaviours
// Asio's documentation leaves open and twin decides differently). When the backend names an
// oracle (`using oracle = reference::asio;`) and the scenario is
// deterministic, it also runs the scenario on the oracle and requires the
// two traces to be equal, event for event; a divergence prints both traces
// side by side with the first difference marked.
//
// Every verdict and trace is attached to the test as GoogleTest properties,
// so `--gtest_output=json` carries them to the report: backend, determinism,
// trace, and (with an oracle) oracle, oracle_trace and verdict.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <type_traits>

#include "conformance/trace.hpp"
#include "conformance/trace_format.hpp"
#include "conformance/watchdog.hpp"

namespace conformance {

enum class determinism {
  deterministic,     // Asio's trace is the same on every run: compare with it
  nondeterministic,  // thread interleaving decides the order: properties only
};

// A backend checked against an oracle: the instantiation for twin says
// `checked_against<reference::twin, reference::asio>`.
template <typename Backend, typename Oracle>
struct checked_against : Backend {
  using oracle = Oracle;
};

template <typename Backend>
concept has_oracle = requires {
  typename Backend::oracle;
};

namespace detail {

inline std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return info ? std::string(info->test_suite_name()) + "." + info->name() : "scenario";
}

template <typename Backend, typename Run>
trace run_on(Run& run) {
  recorder rec;
  run.template operator()<Backend>(rec);
  return rec.events();
}

}  // namespace detail

template <typename Backend, typename Run, typename Properties>
void verify(determinism kind, Run run, Properties properties) {
  const std::string name = detail::current_test_name();
  watchdog dog(name, watchdog::default_limit());

  const trace observed = detail::run_on<Backend>(run);
  ::testing::Test::RecordProperty("backend", std::string(Backend::name));
  ::testing::Test::RecordProperty(
      "determinism", kind == determinism::deterministic ? "deterministic" : "nondeterministic");
  ::testing::Test::RecordProperty("trace", to_json(observed).dump());

  {
    SCOPED_TRACE("trace of " + std::string(Backend::name) + ":\n" + format(observed));
    // Where Asio's contract leaves a behaviour open, a scenario may state
    // each backend's own choice: its properties then take the backend name.
    if constexpr (std::is_invocable_v<Properties&, const trace&, std::string_view>)
      properties(observed, Backend::name);
    else
      properties(observed);
  }

  if constexpr (has_oracle<Backend>) {
    using oracle = typename Backend::oracle;
    if (kind != determinism::deterministic) {
      ::testing::Test::RecordProperty("verdict", "properties-only");
      return;
    }
    const trace expected = detail::run_on<oracle>(run);
    const bool equal = observed == expected;
    ::testing::Test::RecordProperty("oracle", std::string(oracle::name));
    ::testing::Test::RecordProperty("oracle_trace", to_json(expected).dump());
    ::testing::Test::RecordProperty("verdict", equal ? "equal" : "diverged");
    EXPECT_TRUE(equal) << Backend::name << " diverges from " << oracle::name << " at event "
                       << first_difference(observed, expected) << ":\n"
                       << side_by_side(observed, Backend::name, expected, oracle::name);
  } else {
    ::testing::Test::RecordProperty("verdict", "properties-only");
  }
}

}  // namespace conformance
