// Services scenarios: the registry — use_service creates a service on first
// use only (constructed from what it was given: the io_context or an
// execution_context reference), make_service passes its arguments and
// refuses a second service of a key (destroying the one it made),
// add_service adopts a service made for the context and refuses one of
// another context (that check first) or of a taken key; a key is the `id`
// member, or the type for a service naming itself key_type; each context
// has its own services; four threads asking at once all get one service.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "conformance/expectations.hpp"
#include "conformance/on_threads.hpp"
#include "conformance/scenario.hpp"
#include "suites/services/suite.hpp"

namespace conformance::services {

// Calls `f` and records "<label> threw <what>" for each of the two service
// errors, or "<label> did not throw".
template <typename B, typename F>
void record_service_error(recorder& rec, const std::string& label, F f) {
  try {
    f();
    rec.record(label + " did not throw");
  } catch (const typename B::service_already_exists& e) {
    rec.record(label + " threw service_already_exists: " + e.what());
  } catch (const typename B::invalid_service_owner& e) {
    rec.record(label + " threw invalid_service_owner: " + e.what());
  }
}

TYPED_TEST_P(Services, UseServiceCreatesTheServiceOnFirstUseOnly) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        logging_to log(rec);
        {
          typename B::io_context ctx;
          rec.record("has_service before: " + yes_no(B::template has_service<a>(ctx)));
          a& first = B::template use_service<a>(ctx);
          rec.record("has_service after: " + yes_no(B::template has_service<a>(ctx)));
          a& second = B::template use_service<a>(ctx);
          rec.record("same service: " + yes_no(&first == &second));
          rec.record("its context is the io_context: " +
                     yes_no(&first.context() == static_cast<typename B::execution_context*>(&ctx)));
          rec.record("destroying the context");
        }
        rec.record("context destroyed");
      },
      expect_labels(
          ElementsAre("has_service before: no", "service A constructed from io_context (value 0)",
                      "has_service after: yes", "same service: yes",
                      "its context is the io_context: yes", "destroying the context",
                      "service A shutdown", "service A destroyed (value 0)", "context destroyed")));
}

// Through an execution_context reference the service is constructed from
// that reference; through the io_context afterwards it is the same one.
TYPED_TEST_P(Services, UseServiceThroughAnExecutionContextConstructsFromIt) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        logging_to log(rec);
        typename B::io_context ctx;
        typename B::execution_context& base = ctx;
        a& first = B::template use_service<a>(base);
        rec.record("then through the io_context: same service: " +
                   yes_no(&B::template use_service<a>(ctx) == &first));
      },
      expect_labels(ElementsAre("service A constructed from execution_context (value 0)",
                                "then through the io_context: same service: yes",
                                "service A shutdown", "service A destroyed (value 0)")));
}

TYPED_TEST_P(Services, MakeServicePassesArgumentsAndRefusesASecond) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        using b = traced_service<B, 'B'>;
        logging_to log(rec);
        typename B::io_context ctx;
        a& made = B::template make_service<a>(ctx, 42);
        record_service_error<B>(rec, "make_service again",
                                [&] { B::template make_service<a>(ctx, 7); });
        rec.record("use_service finds the first: " +
                   yes_no(&B::template use_service<a>(ctx) == &made && made.value() == 42));
        B::template use_service<b>(ctx);
        record_service_error<B>(rec, "make_service after use_service",
                                [&] { B::template make_service<b>(ctx, 9); });
      },
      expect_labels(ElementsAre(
          "service A constructed from execution_context (value 42)",
          "service A constructed from execution_context (value 7)", "service A destroyed (value 7)",
          "make_service again threw service_already_exists: Service already exists.",
          "use_service finds the first: yes", "service B constructed from io_context (value 0)",
          "service B constructed from execution_context (value 9)", "service B destroyed (value 9)",
          "make_service after use_service threw service_already_exists: Service already exists.",
          "service B shutdown", "service A shutdown", "service B destroyed (value 0)",
          "service A destroyed (value 42)")));
}

// add_service adopts a service made for the context; a second one of the
// same key is refused and stays the caller's.
TYPED_TEST_P(Services, AddServiceAdoptsAndRefusesATakenKey) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        logging_to log(rec);
        typename B::io_context ctx;
        auto* adopted = new a(ctx, 1);
        B::add_service(ctx, adopted);
        rec.record("has_service: " + yes_no(B::template has_service<a>(ctx)));
        rec.record("use_service finds it: " + yes_no(&B::template use_service<a>(ctx) == adopted));
        auto refused = std::make_unique<a>(ctx, 2);
        record_service_error<B>(rec, "add_service of a second",
                                [&] { B::add_service(ctx, refused.get()); });
        refused.reset();
      },
      expect_labels(ElementsAre(
          "service A constructed from io_context (value 1)", "has_service: yes",
          "use_service finds it: yes", "service A constructed from io_context (value 2)",
          "add_service of a second threw service_already_exists: Service already exists.",
          "service A destroyed (value 2)", "service A shutdown", "service A destroyed (value 1)")));
}

// A service made for another context is refused with invalid_service_owner
// — before the key is looked at — and can then join its own context.
TYPED_TEST_P(Services, AddServiceOfAnotherContextThrowsInvalidServiceOwner) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        using b = traced_service<B, 'B'>;
        logging_to log(rec);
        typename B::io_context one, two;
        auto* of_two = new a(two, 2);
        record_service_error<B>(rec, "add_service to the wrong context",
                                [&] { B::add_service(one, of_two); });
        rec.record("has_service in either: " +
                   yes_no(B::template has_service<a>(one) || B::template has_service<a>(two)));
        B::add_service(two, of_two);
        rec.record("added to its own: " + yes_no(B::template has_service<a>(two)));
        B::template use_service<b>(one);
        auto other_b = std::make_unique<b>(two, 3);
        record_service_error<B>(rec, "add_service to the wrong context with the key taken",
                                [&] { B::add_service(one, other_b.get()); });
      },
      expect_labels(ElementsAre(
          "service A constructed from io_context (value 2)",
          "add_service to the wrong context threw invalid_service_owner: Invalid service owner.",
          "has_service in either: no", "added to its own: yes",
          "service B constructed from io_context (value 0)",
          "service B constructed from io_context (value 3)",
          "add_service to the wrong context with the key taken threw invalid_service_owner: "
          "Invalid service owner.",
          "service B destroyed (value 3)", "service A shutdown", "service A destroyed (value 2)",
          "service B shutdown", "service B destroyed (value 0)")));
}

// The key is the `id` member — a derived class that inherits it is the same
// service — or, for a service naming itself key_type, the type: a derived
// class inherits key_type, a base of itself, and is a service of its own.
TYPED_TEST_P(Services, ServiceKeyIsItsIdMemberOrElseItsType) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        logging_to log(rec);
        typename B::io_context ctx;
        typename B::execution_context& base = ctx;
        B::template use_service<a>(ctx);
        rec.record("derived from A, sharing its id: has_service " +
                   yes_no(B::template has_service<derived_from_id_keyed<B>>(ctx)));
        rec.record("B: has_service " +
                   yes_no(B::template has_service<traced_service<B, 'B'>>(ctx)));
        auto& keyed = B::template use_service<type_keyed_service<B>>(base);
        rec.record("type-keyed: has_service " +
                   yes_no(B::template has_service<type_keyed_service<B>>(ctx)) + ", same again: " +
                   yes_no(&B::template use_service<type_keyed_service<B>>(base) == &keyed));
        rec.record("derived from the type-keyed: has_service " +
                   yes_no(B::template has_service<derived_from_type_keyed<B>>(ctx)));
        auto& derived = B::template use_service<derived_from_type_keyed<B>>(base);
        rec.record("derived from the type-keyed: a service of its own: " +
                   yes_no(static_cast<void*>(&derived) != static_cast<void*>(&keyed)));
      },
      expect_labels(ElementsAre("service A constructed from io_context (value 0)",
                                "derived from A, sharing its id: has_service yes",
                                "B: has_service no", "type-keyed: has_service yes, same again: yes",
                                "derived from the type-keyed: has_service no",
                                "derived from the type-keyed: a service of its own: yes",
                                "service A shutdown", "service A destroyed (value 0)")));
}

// Each context has its own services; destroying one shuts down and
// destroys only its own.
TYPED_TEST_P(Services, EachContextHasItsOwnServices) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using a = traced_service<B, 'A'>;
        logging_to log(rec);
        typename B::io_context kept;
        a& of_kept = B::template use_service<a>(kept);
        {
          typename B::io_context dropped;
          rec.record("the other context's is another: " +
                     yes_no(&B::template use_service<a>(dropped) != &of_kept));
          B::template make_service<traced_service<B, 'B'>>(dropped, 5);
          rec.record("destroying the other context");
        }
        rec.record("kept context's service still there: " +
                   yes_no(B::template has_service<a>(kept) &&
                          &B::template use_service<a>(kept) == &of_kept));
      },
      expect_labels(ElementsAre(
          "service A constructed from io_context (value 0)",
          "service A constructed from io_context (value 0)", "the other context's is another: yes",
          "service B constructed from execution_context (value 5)", "destroying the other context",
          "service B shutdown", "service A shutdown", "service B destroyed (value 5)",
          "service A destroyed (value 0)", "kept context's service still there: yes",
          "service A shutdown", "service A destroyed (value 0)")));
}

// A service on io_context's own service base knows its io_context.
TYPED_TEST_P(Services, IoContextServiceKnowsItsIoContext) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        typename B::io_context ctx;
        auto& svc = B::template use_service<io_context_service<B>>(ctx);
        rec.record("get_io_context: " + yes_no(&svc.get_io_context() == &ctx));
        rec.record("context: " +
                   yes_no(&svc.context() == static_cast<typename B::execution_context*>(&ctx)));
        rec.record("has_service: " + yes_no(B::template has_service<io_context_service<B>>(ctx)));
      },
      expect_labels(ElementsAre("get_io_context: yes", "context: yes", "has_service: yes")));
}

// Four threads ask for the same new service at once: all get one service.
// (A backend may construct more than one on the way — Asio builds a service
// outside its lock and destroys the loser — but one stays alive.)
TYPED_TEST_P(Services, FourThreadsAskingAtOnceGetOneService) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        using c = traced_service<B, 'C'>;
        typename B::io_context ctx;
        const int alive_before = c::alive;
        std::vector<c*> got(4, nullptr);
        on_threads(got.size(), [&](std::size_t i) { got[i] = &B::template use_service<c>(ctx); });
        bool same = true;
        for (c* p : got) same = same && p == got[0];
        rec.record("every thread got the same service: " + yes_no(same && got[0] != nullptr));
        rec.record("services alive: " + std::to_string(c::alive - alive_before));
      },
      expect_labels(ElementsAre("every thread got the same service: yes", "services alive: 1")));
}

}  // namespace conformance::services
