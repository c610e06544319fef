// conformance::cli — GoogleTest's command line, checked strictly, for every
// GoogleTest program here (conformance, conformance_uring, compat_client,
// conformance_random).
//
// GoogleTest alone is lenient in ways a script cannot act on: an argument
// it does not know is ignored and every test runs; an unknown --gtest_ flag
// or a bad number prints the whole help to stdout and exits 0 without
// running anything; "--gtest_shuffle=no" means yes (only a leading 0 or f
// means false); an unwritable --gtest_output aborts after every test has
// run. Here each of those is one line on stderr and exit status 2 before
// anything runs, and the --gtest_output file is written under a temporary
// name beside it and renamed over it only when the run is complete, so a
// crash or a hang never leaves a half-written file in its place.
//
// Accepted: --help, and GoogleTest 1.12's --gtest_* flags spelled with two
// dashes and '=' (boolean values 0, 1, true, false; --gtest_output=json[:PATH]
// or xml[:PATH]; GTEST_OUTPUT in the environment is checked the same way).
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace conformance::cli {

// Exit status for bad usage, as the scripts use it.
inline constexpr int exit_usage = 2;

// argv[0] without its folder, the prefix of every message.
inline const char* program_name(const char* argv0) {
  const char* slash = std::strrchr(argv0, '/');
  return slash ? slash + 1 : argv0;
}

namespace detail {

inline bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed)
    if (value == a) return true;
  return false;
}

inline bool is_int32(const std::string& text) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long n = std::strtol(text.c_str(), &end, 10);
  return *end == '\0' && errno == 0 && n >= -2147483647L - 1 && n <= 2147483647L;
}

// The folder a file would be created in ("." for a bare name).
inline std::string folder_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Why no file can be created in `folder`, or nothing (probed with a
// temporary file, removed at once).
inline std::optional<std::string> unwritable_folder(const std::string& folder) {
  std::string probe = folder + "/.gtest-probe-XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) return std::string(std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  return std::nullopt;
}

}  // namespace detail

// Why the --gtest_output value (or GTEST_OUTPUT) is bad, or nothing.
inline std::optional<std::string> bad_output(const std::string& value) {
  const std::size_t colon = value.find(':');
  const std::string format = value.substr(0, colon);
  if (!detail::one_of(format, {"json", "xml"})) return "expects json[:PATH] or xml[:PATH]";
  if (colon == std::string::npos) return std::nullopt;  // test_detail.<format> here
  const std::string path = value.substr(colon + 1);
  if (path.empty()) return "expects a file name after ':'";
  const bool folder = path.back() == '/';  // GoogleTest picks a name in it
  struct stat st {};
  if (!folder && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return "cannot write " + path + ": it is a folder (end it with '/')";
  const std::string where = folder ? path : detail::folder_of(path);
  if (const auto why = detail::unwritable_folder(where))
    return "cannot write to " + where + ": " + *why;
  return std::nullopt;
}

// Why `arg` is not a GoogleTest flag it would accept as given, or nothing.
inline std::optional<std::string> bad_gtest_flag(const std::string& arg) {
  if (arg == "--help") return std::nullopt;
  if (arg.rfind("--gtest_", 0) != 0) return "unknown option";
  const std::size_t eq = arg.find('=');
  const bool has_value = eq != std::string::npos;
  const std::string name = arg.substr(8, has_value ? eq - 8 : std::string::npos);
  const std::string value = has_value ? arg.substr(eq + 1) : "";
  using detail::one_of;
  if (one_of(name,
             {"also_run_disabled_tests", "break_on_failure", "catch_exceptions",
              "death_test_use_fork", "fail_fast", "list_tests", "brief", "print_time", "print_utf8",
              "recreate_environments_when_repeating", "shuffle", "throw_on_failure"})) {
    if (has_value && !one_of(value, {"0", "1", "true", "false"}))
      return "expects 0, 1, true or false";
  } else if (one_of(name, {"repeat", "random_seed", "stack_trace_depth"})) {
    if (!detail::is_int32(value)) return "expects a whole number";
  } else if (name == "color") {
    if (!one_of(value, {"auto", "yes", "no", "true", "false", "1", "0"}))
      return "expects auto, yes or no";
  } else if (name == "death_test_style") {
    if (!one_of(value, {"fast", "threadsafe"})) return "expects fast or threadsafe";
  } else if (name == "output") {
    return has_value ? bad_output(value) : std::optional<std::string>("expects =json[:PATH]");
  } else if (one_of(name, {"filter", "stream_result_to", "internal_run_death_test"})) {
    if (!has_value) return "expects a value after '='";
  } else {
    return "unknown option";
  }
  return std::nullopt;
}

// Checks every argument left in argv (the program's own options already
// taken out) and points --gtest_output at a temporary file; after the run,
// finish() renames it over the real one. Construct before
// testing::InitGoogleTest.
class gtest_args {
public:
  // False, after one line on stderr, when an argument is bad.
  bool parse(int argc, char** argv) {
    program_ = program_name(argv[0]);
    int output_at = 0;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (const auto why = bad_gtest_flag(arg)) {
        std::fprintf(stderr, "%s: %s '%s' (GoogleTest's --gtest_* flags or --help)\n", program_,
                     why->c_str(), arg.c_str());
        return false;
      }
      if (arg.rfind("--gtest_output=", 0) == 0) output_at = i;
    }
    const char* env = std::getenv("GTEST_OUTPUT");
    if (!output_at && env && *env) {
      if (const auto why = bad_output(env)) {
        std::fprintf(stderr, "%s: GTEST_OUTPUT='%s' %s\n", program_, env, why->c_str());
        return false;
      }
    }
    const std::string value =
        output_at ? std::string(argv[output_at]).substr(15) : std::string(env ? env : "");
    const std::size_t colon = value.find(':');
    if (colon == std::string::npos || value.back() == '/') return true;
    target_ = value.substr(colon + 1);
    partial_ = detail::folder_of(target_) + "/." + target_.substr(target_.rfind('/') + 1) +
               ".partial-" + std::to_string(::getpid());
    flag_ = "--gtest_output=" + value.substr(0, colon) + ":" + partial_;
    if (output_at)
      argv[output_at] = flag_.data();
    else
      ::setenv("GTEST_OUTPUT", flag_.c_str() + 15, 1);
    return true;
  }

  // RUN_ALL_TESTS()'s `status`, or exit_usage (one line on stderr) when the
  // finished output file cannot be put in place.
  int finish(int status) {
    if (partial_.empty() || ::access(partial_.c_str(), F_OK) != 0) return status;
    if (std::rename(partial_.c_str(), target_.c_str()) != 0) {
      std::fprintf(stderr, "%s: cannot write %s: %s\n", program_, target_.c_str(),
                   std::strerror(errno));
      std::remove(partial_.c_str());
      return exit_usage;
    }
    return status;
  }

private:
  const char* program_ = "";
  std::string target_;
  std::string partial_;
  std::string flag_;  // the rewritten --gtest_output; argv points into it
};

}  // namespace conformance::cli
