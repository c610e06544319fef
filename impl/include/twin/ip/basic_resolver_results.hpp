// twin::ip::basic_resolver_results — what a resolution returns (Asio's
// ip::basic_resolver_results): a forward range of basic_resolver_entry, in
// getaddrinfo's order (the order a client should try them in).
//
// Copies share the entries and are cheap; a successful resolution never
// returns an empty range, a failed one returns a default-constructed (empty)
// one. Two results compare equal when both are empty or they share entries.
// A value type; copies may be used from different threads.
#pragma once

#include <netdb.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "twin/ip/basic_resolver_entry.hpp"
#include "twin/ip/basic_resolver_iterator.hpp"

namespace twin::ip {

template <typename InternetProtocol>
class basic_resolver_results {
public:
  using protocol_type = InternetProtocol;
  using endpoint_type = typename InternetProtocol::endpoint;
  using value_type = basic_resolver_entry<InternetProtocol>;
  using const_reference = const value_type&;
  using reference = value_type&;
  using const_iterator = basic_resolver_iterator<InternetProtocol>;
  using iterator = const_iterator;
  using difference_type = std::ptrdiff_t;
  using size_type = std::size_t;

  // No entries.
  basic_resolver_results() = default;

  // The IPv4 and IPv6 entries of a getaddrinfo list (other families are
  // skipped). Every entry is named `host_name` — or the canonical name, when
  // getaddrinfo returned one — and `service_name`.
  static basic_resolver_results create(const addrinfo* list, const std::string& host_name,
                                       const std::string& service_name) {
    basic_resolver_results results;
    if (!list) return results;
    std::string name = list->ai_canonname ? std::string(list->ai_canonname) : host_name;
    auto values = std::make_shared<values_type>();
    for (const addrinfo* ai = list; ai; ai = ai->ai_next) {
      if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
      endpoint_type endpoint;
      endpoint.resize(ai->ai_addrlen);
      std::memcpy(endpoint.data(), ai->ai_addr, ai->ai_addrlen);
      values->emplace_back(endpoint, name, service_name);
    }
    results.values_ = std::move(values);
    return results;
  }

  // One entry: what a reverse resolution returns.
  static basic_resolver_results create(const endpoint_type& endpoint, const std::string& host_name,
                                       const std::string& service_name) {
    basic_resolver_results results;
    results.values_ =
        std::make_shared<values_type>(1, value_type(endpoint, host_name, service_name));
    return results;
  }

  size_type size() const noexcept { return values_ ? values_->size() : 0; }
  size_type max_size() const noexcept { return values_type().max_size(); }
  bool empty() const noexcept { return size() == 0; }

  const_iterator begin() const { return const_iterator(values_); }
  const_iterator end() const { return const_iterator(); }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }

  void swap(basic_resolver_results& other) noexcept { values_.swap(other.values_); }

  friend bool operator==(const basic_resolver_results& a,
                         const basic_resolver_results& b) noexcept {
    return a.values_ == b.values_ || (a.empty() && b.empty());
  }

private:
  using values_type = std::vector<value_type>;

  std::shared_ptr<const values_type> values_;
};

}  // namespace twin::ip
