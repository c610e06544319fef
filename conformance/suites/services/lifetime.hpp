// Services scenarios: a service's life in its context — on destruction every
// service is shut down, newest first, and only then destroyed, newest first
// (however it was added); every service is shut down before the handlers
// still queued are destroyed, and the waits pending in the reactor are
// destroyed in the reactor's place among them; a service its neighbour's constructor made is
// the older of the two; notify_fork tells every service, the newest first
// before a fork and the oldest first after it, in the parent and in the
// child.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "conformance/destruction_witness.hpp"
#include "conformance/expectations.hpp"
#include "conformance/scenario.hpp"
#include "conformance/waiting.hpp"
#include "suites/services/suite.hpp"

namespace conformance::services {

// Services A, B and C, added by use_service, make_service and add_service in
// that order.
template <typename B>
void add_three_services(typename B::io_context& ctx) {
  B::template use_service<traced_service<B, 'A'>>(ctx);
  B::template make_service<traced_service<B, 'B'>>(ctx, 2);
  B::add_service(ctx, new traced_service<B, 'C'>(ctx, 3));
}

inline auto three_services_constructed() {
  return std::vector<std::string>{"service A constructed from io_context (value 0)",
                                  "service B constructed from execution_context (value 2)",
                                  "service C constructed from io_context (value 3)"};
}

TYPED_TEST_P(Services, ShutdownNewestFirstThenDestructionNewestFirst) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        logging_to log(rec);
        {
          typename B::io_context ctx;
          add_three_services<B>(ctx);
          rec.record("destroying the context");
        }
      },
      expect_labels(ElementsAreArray(
          joined({three_services_constructed(),
                  {"destroying the context", "service C shutdown", "service B shutdown",
                   "service A shutdown", "service C destroyed (value 3)",
                   "service B destroyed (value 2)", "service A destroyed (value 0)"}}))));
}

// The context's own scheduler is its oldest service: the handlers still
// queued are destroyed, uninvoked, after every user service's shutdown and
// before any service is destroyed.
TYPED_TEST_P(Services, EveryServiceShutsDownBeforeQueuedHandlersAreDestroyed) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        logging_to log(rec);
        {
          typename B::io_context ctx;
          B::template use_service<traced_service<B, 'A'>>(ctx);
          post(ctx, [&rec, w = destruction_witness(rec, "posted handler")] {
            rec.record("posted handler ran");
          });
          B::template use_service<traced_service<B, 'B'>>(ctx);
          rec.record("destroying the context");
        }
      },
      expect_labels(ElementsAre("service A constructed from io_context (value 0)",
                                "service B constructed from io_context (value 0)",
                                "destroying the context", "service B shutdown",
                                "service A shutdown", "destroyed posted handler",
                                "service B destroyed (value 0)", "service A destroyed (value 0)")));
}

// A service that owns a timer with a wait pending (service T): the timer's
// service and the reactor are made inside its constructor, so they are
// older than T and newer than what was made before.
template <typename B>
class timer_owning_service : public B::execution_context::service {
public:
  static inline typename B::execution_context::id id;
  explicit timer_owning_service(typename B::io_context& ctx)
      : B::execution_context::service(ctx), timer_(ctx, std::chrono::hours(1)) {
    timer_.async_wait([w = destruction_witness(*service_log, "service T's timer wait")](
                          const typename B::error_code&) {});
    log_service("service T constructed, its timer waiting");
  }
  ~timer_owning_service() override { log_service("service T destroyed"); }

private:
  void shutdown() override { log_service("service T shutdown"); }

  typename B::steady_timer timer_;
};

// The wait pending in the reactor is destroyed when the reactor shuts down,
// in the reactor's place among the services: after T, which made it, and
// the newer B; before the older A. T's timer is destroyed with T, after
// that, and finds nothing to cancel.
TYPED_TEST_P(Services, PendingWaitsAreDestroyedInTheReactorsPlace) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        logging_to log(rec);
        {
          typename B::io_context ctx;
          B::template use_service<traced_service<B, 'A'>>(ctx);
          B::template use_service<timer_owning_service<B>>(ctx);
          B::template use_service<traced_service<B, 'B'>>(ctx);
          rec.record("destroying the context");
        }
      },
      expect_labels(ElementsAre("service A constructed from io_context (value 0)",
                                "service T constructed, its timer waiting",
                                "service B constructed from io_context (value 0)",
                                "destroying the context", "service B shutdown",
                                "service T shutdown", "destroyed service T's timer wait",
                                "service A shutdown", "service B destroyed (value 0)",
                                "service T destroyed", "service A destroyed (value 0)")));
}

// A service used inside another's constructor is complete first, so it is
// the older: shut down and destroyed after the one that made it.
TYPED_TEST_P(Services, ServiceMadeInAnothersConstructorIsTheOlder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        logging_to log(rec);
        {
          typename B::io_context ctx;
          B::template use_service<nesting_service<B>>(ctx);
          rec.record("service A there: " +
                     yes_no(B::template has_service<traced_service<B, 'A'>>(ctx)));
          rec.record("destroying the context");
        }
      },
      expect_labels(ElementsAre(
          "service N constructed from io_context (value 0)",
          "service A constructed from io_context (value 0)", "service N has made service A",
          "service A there: yes", "destroying the context", "service N shutdown",
          "service A shutdown", "service N destroyed (value 0)", "service A destroyed (value 0)")));
}

// fork_prepare reaches the services newest first, fork_parent and (in the
// child) fork_child oldest first; both processes' contexts then run
// handlers. The child checks its own trace and answers with its exit status.
TYPED_TEST_P(Services, NotifyForkReachesEveryServiceInOrder) {
  verify<TypeParam>(
      determinism::deterministic,
      []<class B>(recorder& rec) {
        logging_to log(rec);
        typename B::io_context ctx;
        add_three_services<B>(ctx);
        ctx.notify_fork(B::io_context::fork_prepare);
        const pid_t pid = ::fork();
        if (pid == 0) {
          // A hung child dies instead of outliving the scenario.
          ::alarm(static_cast<unsigned>(wait_limit.count()));
          const std::size_t before = rec.events().size();
          ctx.notify_fork(B::io_context::fork_child);
          bool ran = false;
          post(ctx, [&] { ran = true; });
          ctx.run();
          const std::vector<std::string> told = labels(rec.events());
          const std::vector<std::string> expected = {"service A fork_child", "service B fork_child",
                                                     "service C fork_child"};
          const bool in_order =
              told.size() == before + 3 && std::equal(expected.begin(), expected.end(),
                                                      told.begin() + static_cast<long>(before));
          ::_exit(in_order && ran ? 0 : 1);
        }
        ctx.notify_fork(B::io_context::fork_parent);
        rec.record(pid < 0 ? "fork failed" : wait_for_child(pid));
        post(ctx, [&] { rec.record("parent's context runs a handler"); });
        ctx.run();
      },
      expect_labels(ElementsAreArray(joined(
          {three_services_constructed(),
           {"service C fork_prepare", "service B fork_prepare", "service A fork_prepare",
            "service A fork_parent", "service B fork_parent", "service C fork_parent",
            "child exited with status 0", "parent's context runs a handler", "service C shutdown",
            "service B shutdown", "service A shutdown", "service C destroyed (value 3)",
            "service B destroyed (value 2)", "service A destroyed (value 0)"}}))));
}

}  // namespace conformance::services
