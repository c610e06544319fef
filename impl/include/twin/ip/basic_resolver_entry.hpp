// twin::ip::basic_resolver_entry — one result of a resolution (Asio's
// ip::basic_resolver_entry): an endpoint with the host and service names it
// was found for. Converts implicitly to the endpoint, so an entry can be
// passed wherever an endpoint is expected. A value type; any thread.
#pragma once

#include <string>
#include <string_view>

namespace twin::ip {

template <typename InternetProtocol>
class basic_resolver_entry {
public:
  using protocol_type = InternetProtocol;
  using endpoint_type = typename InternetProtocol::endpoint;

  basic_resolver_entry() = default;
  basic_resolver_entry(const endpoint_type& endpoint, std::string_view host_name,
                       std::string_view service_name)
      : endpoint_(endpoint), host_name_(host_name), service_name_(service_name) {}

  endpoint_type endpoint() const { return endpoint_; }
  operator endpoint_type() const { return endpoint_; }
  // The host asked for, or its canonical name (resolver_base::canonical_name);
  // for a reverse resolution, the name found.
  std::string host_name() const { return host_name_; }
  // The service asked for; for a reverse resolution, the name found.
  std::string service_name() const { return service_name_; }

private:
  endpoint_type endpoint_;
  std::string host_name_;
  std::string service_name_;
};

}  // namespace twin::ip
