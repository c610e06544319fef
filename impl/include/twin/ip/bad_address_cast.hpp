// twin::ip::bad_address_cast — thrown when an address is converted to a
// version it is not (address::to_v4() on an IPv6 address, or
// make_address_v4(v4_mapped, a) on an IPv6 address that is not v4-mapped).
#pragma once

#include <typeinfo>

namespace twin::ip {

class bad_address_cast : public std::bad_cast {
public:
  const char* what() const noexcept override { return "bad address cast"; }
};

}  // namespace twin::ip
