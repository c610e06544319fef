#include "twin/error.hpp"

#include <netdb.h>

namespace twin::error {

namespace {

class misc_category final : public std::error_category {
public:
  const char* name() const noexcept override { return "asio.misc"; }
  std::string message(int value) const override {
    switch (value) {
      case already_open: return "Already open";
      case eof: return "End of file";
      case not_found: return "Element not found";
      case fd_set_failure: return "The descriptor does not fit into the select call's fd_set";
      default: return "asio.misc error";
    }
  }
};

class netdb_category final : public std::error_category {
public:
  const char* name() const noexcept override { return "asio.netdb"; }
  std::string message(int value) const override {
    switch (value) {
      case host_not_found: return "Host not found (authoritative)";
      case host_not_found_try_again: return "Host not found (non-authoritative), try again later";
      case no_data: return "The query is valid, but it does not have associated data";
      case no_recovery: return "A non-recoverable error occurred during database lookup";
      default: return "asio.netdb error";
    }
  }
};

class addrinfo_category final : public std::error_category {
public:
  const char* name() const noexcept override { return "asio.addrinfo"; }
  std::string message(int value) const override { return ::gai_strerror(value); }
};

}  // namespace

const std::error_category& get_misc_category() noexcept {
  static const misc_category category;
  return category;
}

const std::error_category& get_netdb_category() noexcept {
  static const netdb_category category;
  return category;
}

const std::error_category& get_addrinfo_category() noexcept {
  static const addrinfo_category category;
  return category;
}

}  // namespace twin::error

namespace twin::detail {

void throw_error(const std::error_code& ec, const char* what) {
  if (ec) throw std::system_error(ec, what);
}

}  // namespace twin::detail
