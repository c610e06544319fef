// conformance::error_name — an error code as a name both backends agree on.
//
// twin reports std::error_code, Asio boost::system::error_code, standalone
// Asio std::error_code in categories of its own; their messages may differ,
// their meaning may not. Traces record errno values by their symbolic name
// ("ECANCELED") whichever category carries them (std's and Boost's "system"
// and "generic", standalone Asio's "asio.system"), Asio's misc errors by
// Asio's name ("eof", "not_found"), anything else as "category:value".
#pragma once

#include <cstring>
#include <string>

namespace conformance {

template <typename ErrorCode>
std::string error_name(const ErrorCode& ec) {
  if (!ec) return "";
  const std::string category = ec.category().name();
  const int value = ec.value();
  if (category == "system" || category == "generic" || category == "asio.system") {
    if (const char* name = ::strerrorname_np(value)) return name;
  } else if (category == "asio.misc") {
    switch (value) {
      case 1: return "already_open";
      case 2: return "eof";
      case 3: return "not_found";
      case 4: return "fd_set_failure";
    }
  }
  return category + ":" + std::to_string(value);
}

}  // namespace conformance
