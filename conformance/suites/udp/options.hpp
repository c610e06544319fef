// Udp scenarios: the IP options of a datagram socket — multicast hops,
// loopback and interface, group membership, unicast hops and v6_only, read
// back after they are set; the same options on a socket that is not open;
// at_mark, which only a stream socket answers. No multicast is sent.
#pragma once

#include <stdexcept>
#include <string>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/udp/suite.hpp"

namespace conformance::udp {

// Sets `option` on `s` (the error_code form) and records `label` with the
// error.
template <typename B, typename Socket, typename Option>
void record_set(recorder& rec, Socket& s, const std::string& label, const Option& option) {
  typename B::error_code ec;
  s.set_option(option, ec);
  rec.completion(label, ec);
}

// Reads `Option` from `s` (the error_code form) and records `label: value`
// with the error.
template <typename B, typename Option, typename Socket>
void record_get(recorder& rec, Socket& s, const std::string& label) {
  Option option;
  typename B::error_code ec;
  s.get_option(option, ec);
  rec.completion(label + ": " + std::to_string(static_cast<int>(option.value())), ec);
}

// Reads `Option` from `s`, sets it to `value`, reads it again; records
// each (record_get, record_set) under `label`.
template <typename B, typename Option, typename Socket, typename Value>
void record_round_trip(recorder& rec, Socket& s, const std::string& label, Value value) {
  record_get<B, Option>(rec, s, label);
  record_set<B>(rec, s, "set " + label + " " + std::to_string(static_cast<int>(value)),
                Option(value));
  record_get<B, Option>(rec, s, label);
}

// On an IPv4 socket: multicast hops start at 1 and loopback on, unicast
// hops at the kernel's default TTL (64); each reads back as set. Sending
// multicast from 127.0.0.1 is allowed; the group 239.255.0.1 is joined on
// the loopback interface (this needs no route: it succeeds in the test
// containers too, on every run seen) and left; joining twice is
// address_in_use, leaving twice address_not_available, and "joining"
// 127.0.0.1, no group, invalid_argument.
TYPED_TEST_P(Udp, IPv4MulticastOptionsReadBackAsSet) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s = bound<B>(ctx);
        record_round_trip<B, typename B::multicast_hops>(rec, s, "multicast hops", 5);
        record_round_trip<B, typename B::multicast_enable_loopback>(rec, s, "loopback", false);
        record_round_trip<B, typename B::unicast_hops>(rec, s, "unicast hops", 17);
        const auto lo = B::make_address("127.0.0.1").to_v4();
        record_set<B>(rec, s, "outbound interface 127.0.0.1",
                      typename B::multicast_outbound_interface(lo));
        const auto group = B::make_address("239.255.0.1").to_v4();
        record_set<B>(rec, s, "join 239.255.0.1 on 127.0.0.1",
                      typename B::multicast_join_group(group, lo));
        record_set<B>(rec, s, "join it again", typename B::multicast_join_group(group, lo));
        record_set<B>(rec, s, "leave it", typename B::multicast_leave_group(group, lo));
        record_set<B>(rec, s, "leave it again", typename B::multicast_leave_group(group, lo));
        record_set<B>(rec, s, "join 127.0.0.1, no group",
                      typename B::multicast_join_group(typename B::address(lo)));
      },
      expect_outcomes(
          ElementsAre("multicast hops: 1", "set multicast hops 5", "multicast hops: 5",
                      "loopback: 1", "set loopback 0", "loopback: 0", "unicast hops: 64",
                      "set unicast hops 17", "unicast hops: 17", "outbound interface 127.0.0.1",
                      "join 239.255.0.1 on 127.0.0.1", "join it again [EADDRINUSE]", "leave it",
                      "leave it again [EADDRNOTAVAIL]", "join 127.0.0.1, no group [EINVAL]")));
}

// On an IPv6 socket the same options are the IPV6_ ones: multicast hops
// start at 1, loopback on, unicast hops at 64; v6_only starts off (the
// default of net.ipv6.bindv6only) and reads back as set. The kernel
// refuses 256 unicast hops (Asio does not check); an IPv4 group given to an
// IPv6 socket leaves the IPv6 request all zero, and :: is no group.
TYPED_TEST_P(Udp, IPv6MulticastOptionsReadBackAsSet) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        socket<B> s(ctx, B::udp::v6());
        record_round_trip<B, typename B::multicast_hops>(rec, s, "multicast hops", 7);
        record_round_trip<B, typename B::multicast_enable_loopback>(rec, s, "loopback", false);
        record_round_trip<B, typename B::unicast_hops>(rec, s, "unicast hops", 33);
        record_round_trip<B, typename B::v6_only>(rec, s, "v6_only", true);
        record_set<B>(rec, s, "unicast hops 256", typename B::unicast_hops(256));
        record_set<B>(rec, s, "outbound interface index 1",
                      typename B::multicast_outbound_interface(1u));
        record_set<B>(rec, s, "an IPv4 group on an IPv6 socket",
                      typename B::multicast_join_group(B::make_address("239.255.0.1")));
      },
      expect_outcomes(ElementsAre("multicast hops: 1", "set multicast hops 7", "multicast hops: 7",
                                  "loopback: 1", "set loopback 0", "loopback: 0",
                                  "unicast hops: 64", "set unicast hops 33", "unicast hops: 33",
                                  "v6_only: 0", "set v6_only 1", "v6_only: 1",
                                  "unicast hops 256 [EINVAL]", "outbound interface index 1",
                                  "an IPv4 group on an IPv6 socket [EINVAL]")));
}

// Every option on a socket never opened: bad_descriptor, for setting and
// for reading. A hop count past 255 is refused by the option itself
// (std::out_of_range), before any socket sees it.
TYPED_TEST_P(Udp, IPOptionsOfASocketNotOpen) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        socket<B> s(ctx);
        record_set<B>(rec, s, "set multicast hops", typename B::multicast_hops(2));
        record_get<B, typename B::multicast_hops>(rec, s, "multicast hops");
        record_set<B>(rec, s, "set loopback", typename B::multicast_enable_loopback(true));
        record_get<B, typename B::multicast_enable_loopback>(rec, s, "loopback");
        record_set<B>(rec, s, "set unicast hops", typename B::unicast_hops(2));
        record_get<B, typename B::unicast_hops>(rec, s, "unicast hops");
        record_set<B>(rec, s, "set v6_only", typename B::v6_only(true));
        record_get<B, typename B::v6_only>(rec, s, "v6_only");
        record_set<B>(rec, s, "join",
                      typename B::multicast_join_group(B::make_address("239.255.0.1").to_v4()));
        try {
          typename B::multicast_hops too_many(256);
          rec.record("hops 256: " + std::to_string(too_many.value()));
        } catch (const std::out_of_range&) {
          rec.record("hops 256: out_of_range");
        }
        typename B::multicast_hops hops;
        try {
          hops = -1;
          rec.record("hops = -1: " + std::to_string(hops.value()));
        } catch (const std::out_of_range&) {
          rec.record("hops = -1: out_of_range, still " + std::to_string(hops.value()));
        }
      },
      expect_outcomes(ElementsAre("set multicast hops [EBADF]", "multicast hops: 0 [EBADF]",
                                  "set loopback [EBADF]", "loopback: 0 [EBADF]",
                                  "set unicast hops [EBADF]", "unicast hops: 0 [EBADF]",
                                  "set v6_only [EBADF]", "v6_only: 0 [EBADF]", "join [EBADF]",
                                  "hops 256: out_of_range", "hops = -1: out_of_range, still 0")));
}

// A datagram socket has no urgent data: at_mark is refused by the kernel
// (ENOTTY), which Asio reports as not_socket; on a socket not open it is
// bad_descriptor, and the throwing form throws that.
TYPED_TEST_P(Udp, AtMarkIsForStreamSockets) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto s = bound<B>(ctx);
        typename B::error_code ec;
        bool mark = s.at_mark(ec);
        rec.completion("at_mark: " + yes_no(mark), ec);
        s.close();
        mark = s.at_mark(ec);
        rec.completion("at_mark after close: " + yes_no(mark), ec);
        try {
          mark = s.at_mark();
          rec.record("at_mark throwing: " + yes_no(mark));
        } catch (const typename B::system_error& e) {
          rec.completion("at_mark threw", e.code());
        }
      },
      expect_outcomes(ElementsAre("at_mark: no [ENOTSOCK]", "at_mark after close: no [EBADF]",
                                  "at_mark threw [EBADF]")));
}

}  // namespace conformance::udp
