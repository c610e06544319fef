// main() of the GoogleTest programs without options of their own
// (conformance, conformance_uring, compat_client): GoogleTest's, with its
// command line checked strictly first (cli/gtest_args.hpp). Exit status: 0
// every test passed, 1 one failed, 2 bad usage (one line on stderr, nothing
// run), 3 a scenario hung (conformance/watchdog.hpp).
#include <gtest/gtest.h>

#include "cli/gtest_args.hpp"

int main(int argc, char** argv) {
  conformance::cli::gtest_args args;
  if (!args.parse(argc, argv)) return conformance::cli::exit_usage;
  ::testing::InitGoogleTest(&argc, argv);
  return args.finish(RUN_ALL_TESTS());
}
