// conformance::backend_test — the fixture every typed suite derives from,
// and the name generator that makes test names read `Ordering/twin.X`-style
// (the backend's name, never a type index).
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace conformance {

template <typename Backend>
class backend_test : public ::testing::Test {
protected:
  // Skips (with the reason) on a machine that cannot run this backend, such
  // as a kernel that refuses io_uring.
  void SetUp() override {
    if constexpr (requires { Backend::unavailable_reason(); })
      if (const auto reason = Backend::unavailable_reason())
        GTEST_SKIP() << Backend::name << " skipped: " << *reason;
  }
};

struct backend_name {
  template <typename Backend>
  static std::string GetName(int) {
    return std::string(Backend::name);
  }
};

}  // namespace conformance
