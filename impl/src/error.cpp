#include "twin/error.hpp"

#include <netdb.h>

#include <span>
#include <string>

namespace twin::error {

namespace {

// A category whose messages come from a fixed table; values not in it get
// the fallback message.
class table_category final : public std::error_category {
public:
  struct entry {
    int value;
    const char* message;
  };

  constexpr table_category(const char* name, std::span<const entry> messages,
                           const char* fallback) noexcept
      : name_(name), messages_(messages), fallback_(fallback) {}

  const char* name() const noexcept override { return name_; }
  std::string message(int value) const override {
    for (const entry& e : messages_)
      if (e.value == value) return e.message;
    return fallback_;
  }

private:
  const char* name_;
  std::span<const entry> messages_;
  const char* fallback_;
};

constexpr table_category::entry misc_messages[] = {
    {already_open, "Already open"},
    {eof, "End of file"},
    {not_found, "Element not found"},
    {fd_set_failure, "The descriptor does not fit into the select call's fd_set"},
};

constexpr table_category::entry netdb_messages[] = {
    {host_not_found, "Host not found (authoritative)"},
    {host_not_found_try_again, "Host not found (non-authoritative), try again later"},
    {no_data, "The query is valid, but it does not have associated data"},
    {no_recovery, "A non-recoverable error occurred during database lookup"},
};

class addrinfo_category final : public std::error_category {
public:
  const char* name() const noexcept override { return "asio.addrinfo"; }
  std::string message(int value) const override { return ::gai_strerror(value); }
};

}  // namespace

const std::error_category& get_misc_category() noexcept {
  static const table_category category("asio.misc", misc_messages, "asio.misc error");
  return category;
}

const std::error_category& get_netdb_category() noexcept {
  static const table_category category("asio.netdb", netdb_messages, "asio.netdb error");
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
