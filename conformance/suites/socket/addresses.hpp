// Socket scenarios: the address functions Asio 1.81 keeps as deprecated —
// from_string on good and bad text, to_string(ec), to_ulong, the classful
// is_class_a/b/c with netmask and broadcast(addr, mask), and the IPv6
// v4_mapped / v4_compatible forms with to_v4.
#pragma once

#include <string>

#include "conformance/expectations.hpp"
#include "conformance/outcome.hpp"
#include "conformance/scenario.hpp"
#include "suites/socket/suite.hpp"

namespace conformance::socket {

// Calls `parse` (a from_string of the throwing form) and records `label`
// with the text of what it returned, or the error it threw.
template <typename B, typename Parse>
void record_parse_or_throw(recorder& rec, const std::string& label, Parse parse) {
  try {
    rec.record(label + ": " + parse().to_string());
  } catch (const typename B::system_error& e) {
    rec.completion(label + " threw", e.code());
  }
}

// from_string is make_address* under the old name: good text gives the
// address, bad text invalid_argument (thrown by the form without an
// error_code); address tries IPv6, then IPv4. A success clears an error
// already in `ec`; so does to_string(ec).
TYPED_TEST_P(Socket, DeprecatedFromStringParsesAsMakeAddress) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using v4 = typename B::address_v4;
        using v6 = typename B::address_v6;
        using any = typename B::address;
        typename B::error_code ec = B::eof();
        const auto a = v4::from_string("192.168.1.20", ec);
        rec.completion(
            "v4 \"192.168.1.20\": " + a.to_string() + " = " + std::to_string(a.to_ulong()), ec);
        rec.completion(
            "v4 \"10.1.2.3\": " + v4::from_string(std::string("10.1.2.3"), ec).to_string(), ec);
        rec.completion("v4 \"1.2.3\": " + v4::from_string("1.2.3", ec).to_string(), ec);
        rec.completion("v4 \"::1\": " + v4::from_string(std::string("::1"), ec).to_string(), ec);
        record_parse_or_throw<B>(rec, "v4 \"256.0.0.1\"",
                                 [] { return v4::from_string("256.0.0.1"); });
        record_parse_or_throw<B>(rec, "v4 \"127.0.0.1\"",
                                 [] { return v4::from_string(std::string("127.0.0.1")); });
        rec.completion("v6 \"2001:DB8::1\": " + v6::from_string("2001:DB8::1", ec).to_string(), ec);
        rec.completion("v6 \"1.2.3.4\": " + v6::from_string(std::string("1.2.3.4"), ec).to_string(),
                       ec);
        record_parse_or_throw<B>(rec, "v6 \"zz::\"", [] { return v6::from_string("zz::"); });
        record_parse_or_throw<B>(rec, "v6 \"::ffff:10.0.0.1\"",
                                 [] { return v6::from_string(std::string("::ffff:10.0.0.1")); });
        const any four = any::from_string("10.0.0.1", ec);
        rec.completion("address \"10.0.0.1\": " + four.to_string() + " v4: " + yes_no(four.is_v4()),
                       ec);
        const any six = any::from_string(std::string("::1"), ec);
        rec.completion("address \"::1\": " + six.to_string() + " v6: " + yes_no(six.is_v6()), ec);
        rec.completion("address \"nonsense\": " + any::from_string("nonsense", ec).to_string(), ec);
        record_parse_or_throw<B>(rec, "address \"\"", [] { return any::from_string(""); });
        ec = B::eof();
        const std::string v4_text = a.to_string(ec);
        rec.completion("v4 to_string(ec): " + v4_text, ec);
        ec = B::eof();
        const std::string v6_text = six.to_v6().to_string(ec);
        rec.completion("v6 to_string(ec): " + v6_text, ec);
        ec = B::eof();
        const std::string any_text = four.to_string(ec);
        rec.completion("address to_string(ec): " + any_text, ec);
      },
      expect_outcomes(
          ElementsAre("v4 \"192.168.1.20\": 192.168.1.20 = 3232235796", "v4 \"10.1.2.3\": 10.1.2.3",
                      "v4 \"1.2.3\": 0.0.0.0 [EINVAL]", "v4 \"::1\": 0.0.0.0 [EINVAL]",
                      "v4 \"256.0.0.1\" threw [EINVAL]", "v4 \"127.0.0.1\": 127.0.0.1",
                      "v6 \"2001:DB8::1\": 2001:db8::1", "v6 \"1.2.3.4\": :: [EINVAL]",
                      "v6 \"zz::\" threw [EINVAL]", "v6 \"::ffff:10.0.0.1\": ::ffff:10.0.0.1",
                      "address \"10.0.0.1\": 10.0.0.1 v4: yes", "address \"::1\": ::1 v6: yes",
                      "address \"nonsense\": 0.0.0.0 [EINVAL]", "address \"\" threw [EINVAL]",
                      "v4 to_string(ec): 192.168.1.20", "v6 to_string(ec): ::1",
                      "address to_string(ec): 10.0.0.1")));
}

// The classful predicates look at the leading bits only (so 127/8 is class
// A and 224/4 and 240/4 are none); netmask is the class's mask, all ones
// for no class; broadcast(addr, mask) sets every bit outside the mask.
TYPED_TEST_P(Socket, ClassfulAddressesAndTheirMasks) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using v4 = typename B::address_v4;
        for (const char* text :
             {"0.0.0.0", "10.1.2.3", "127.0.0.1", "128.0.0.0", "172.16.5.4", "191.255.255.255",
              "192.168.1.20", "223.1.2.3", "224.0.0.1", "240.0.0.1", "255.255.255.255"}) {
          const v4 a = v4::from_string(text);
          const std::string cls = a.is_class_a()   ? "A"
                                  : a.is_class_b() ? "B"
                                  : a.is_class_c() ? "C"
                                                   : "-";
          const v4 mask = v4::netmask(a);
          rec.record(std::string(text) + ": class " + cls + ", netmask " + mask.to_string() +
                     ", broadcast " + v4::broadcast(a, mask).to_string());
        }
        rec.record("broadcast(10.1.2.3, 255.255.255.248): " +
                   v4::broadcast(v4::from_string("10.1.2.3"), v4::from_string("255.255.255.248"))
                       .to_string());
        rec.record("broadcast(10.1.2.3, 0.0.0.0): " +
                   v4::broadcast(v4::from_string("10.1.2.3"), v4()).to_string());
        rec.record("to_ulong of 255.255.255.255: " + std::to_string(v4::broadcast().to_ulong()));
      },
      expect_outcomes(ElementsAre(
          "0.0.0.0: class A, netmask 255.0.0.0, broadcast 0.255.255.255",
          "10.1.2.3: class A, netmask 255.0.0.0, broadcast 10.255.255.255",
          "127.0.0.1: class A, netmask 255.0.0.0, broadcast 127.255.255.255",
          "128.0.0.0: class B, netmask 255.255.0.0, broadcast 128.0.255.255",
          "172.16.5.4: class B, netmask 255.255.0.0, broadcast 172.16.255.255",
          "191.255.255.255: class B, netmask 255.255.0.0, broadcast 191.255.255.255",
          "192.168.1.20: class C, netmask 255.255.255.0, broadcast 192.168.1.255",
          "223.1.2.3: class C, netmask 255.255.255.0, broadcast 223.1.2.255",
          "224.0.0.1: class -, netmask 255.255.255.255, broadcast 224.0.0.1",
          "240.0.0.1: class -, netmask 255.255.255.255, broadcast 240.0.0.1",
          "255.255.255.255: class -, netmask 255.255.255.255, broadcast 255.255.255.255",
          "broadcast(10.1.2.3, 255.255.255.248): 10.1.2.7",
          "broadcast(10.1.2.3, 0.0.0.0): 255.255.255.255",
          "to_ulong of 255.255.255.255: 4294967295")));
}

// v4_mapped makes ::ffff:a.b.c.d and v4_compatible ::a.b.c.d; to_v4 takes
// either back and throws bad_address_cast for any other address — ::
// and ::1 included, which are not v4-compatible (so v4_compatible of
// 0.0.0.1 does not convert back).
TYPED_TEST_P(Socket, V4MappedAndCompatibleConvertBack) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using v4 = typename B::address_v4;
        using v6 = typename B::address_v6;
        const auto describe = [&rec](const std::string& label, const v6& a) {
          std::string back;
          try {
            back = a.to_v4().to_string();
          } catch (const typename B::bad_address_cast&) {
            back = "bad_address_cast";
          }
          rec.record(label + ": " + a.to_string() + " mapped " + yes_no(a.is_v4_mapped()) +
                     " compatible " + yes_no(a.is_v4_compatible()) + " to_v4 " + back);
        };
        const v4 a = v4::from_string("192.0.2.33");
        describe("v4_mapped(192.0.2.33)", v6::v4_mapped(a));
        describe("v4_compatible(192.0.2.33)", v6::v4_compatible(a));
        describe("v4_compatible(0.0.0.1)", v6::v4_compatible(v4(1)));
        describe("v4_compatible(0.0.0.2)", v6::v4_compatible(v4(2)));
        describe("any()", v6());
        describe("loopback()", v6::loopback());
        describe("::1:0:0", v6::from_string("::1:0:0"));
        describe("2001:db8::1", v6::from_string("2001:db8::1"));
        describe("::ffff:0.0.0.0", v6::from_string("::ffff:0.0.0.0"));
      },
      expect_outcomes(ElementsAre(
          "v4_mapped(192.0.2.33): ::ffff:192.0.2.33 mapped yes compatible no to_v4 192.0.2.33",
          "v4_compatible(192.0.2.33): ::192.0.2.33 mapped no compatible yes to_v4 192.0.2.33",
          "v4_compatible(0.0.0.1): ::1 mapped no compatible no to_v4 bad_address_cast",
          "v4_compatible(0.0.0.2): ::2 mapped no compatible yes to_v4 0.0.0.2",
          "any(): :: mapped no compatible no to_v4 bad_address_cast",
          "loopback(): ::1 mapped no compatible no to_v4 bad_address_cast",
          "::1:0:0: ::1:0:0 mapped no compatible no to_v4 bad_address_cast",
          "2001:db8::1: 2001:db8::1 mapped no compatible no to_v4 bad_address_cast",
          "::ffff:0.0.0.0: ::ffff:0.0.0.0 mapped yes compatible no to_v4 0.0.0.0")));
}

}  // namespace conformance::socket
