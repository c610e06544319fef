// Conformance category Services: the services of an execution_context (an
// io_context) — created on first use, made with arguments, adopted, keyed
// by their `id` member or their type, refused when they already exist or
// belong to another context; shut down newest first, and before the
// context's queued handlers are destroyed, then destroyed newest first; told
// of a fork in Asio's order. The scenarios are in the headers beside this
// one; suites/services.hpp registers them.
//
// The scenarios' services (below) record what happens to them in a trace;
// everything here runs on one thread or is counted, so twin's trace must
// equal Asio's event for event.
#pragma once

#include <atomic>
#include <string>

#include "conformance/backend_test.hpp"
#include "conformance/trace.hpp"

namespace conformance::services {

template <typename Backend>
class Services : public backend_test<Backend> {};
TYPED_TEST_SUITE_P(Services);

// Where the scenario's services record what happens to them (nowhere while
// null). Set for a scenario's duration by logging_to.
inline recorder* service_log = nullptr;

class logging_to {
public:
  explicit logging_to(recorder& rec) { service_log = &rec; }
  ~logging_to() { service_log = nullptr; }
  logging_to(const logging_to&) = delete;
  logging_to& operator=(const logging_to&) = delete;
};

inline void log_service(const std::string& what) {
  if (service_log) service_log->record(what);
}

template <typename B>
std::string fork_event_name(typename B::execution_context::fork_event event) {
  switch (event) {
    case B::execution_context::fork_prepare: return "fork_prepare";
    case B::execution_context::fork_parent: return "fork_parent";
    case B::execution_context::fork_child: return "fork_child";
  }
  return "unknown fork event";
}

// A user's service, keyed by its `id` member: "service <Name>" records how it
// was constructed (from the io_context itself or from an execution_context
// reference, with which value), its shutdown, notify_fork and destruction.
// Each Name is a distinct service class.
template <typename B, char Name>
class traced_service : public B::execution_context::service {
public:
  static inline typename B::execution_context::id id;
  // Objects constructed and not yet destroyed (every backend's, all threads).
  static inline std::atomic<int> alive{0};

  explicit traced_service(typename B::io_context& ctx, int value = 0)
      : B::execution_context::service(ctx), value_(value) {
    constructed("io_context");
  }
  explicit traced_service(typename B::execution_context& ctx, int value = 0)
      : B::execution_context::service(ctx), value_(value) {
    constructed("execution_context");
  }
  ~traced_service() override {
    --alive;
    log_service(name() + " destroyed (value " + std::to_string(value_) + ")");
  }

  int value() const { return value_; }
  static std::string name() { return std::string("service ") + Name; }

private:
  void constructed(const std::string& from) {
    ++alive;
    log_service(name() + " constructed from " + from + " (value " + std::to_string(value_) + ")");
  }
  void shutdown() override { log_service(name() + " shutdown"); }
  void notify_fork(typename B::execution_context::fork_event event) override {
    log_service(name() + " " + fork_event_name<B>(event));
  }

  int value_;
};

// A service with no `id`, keyed by its type: it names itself as key_type.
template <typename B>
class type_keyed_service : public B::execution_context::service {
public:
  using key_type = type_keyed_service;
  explicit type_keyed_service(typename B::execution_context& ctx)
      : B::execution_context::service(ctx) {}

private:
  void shutdown() override {}
};

// Classes derived from the two: the id-keyed one inherits its base's id (so
// it is keyed as its base is); the type-keyed one inherits key_type, a base
// of itself, so it is keyed by its own type.
template <typename B>
class derived_from_id_keyed : public traced_service<B, 'A'> {
public:
  using traced_service<B, 'A'>::traced_service;
};
template <typename B>
class derived_from_type_keyed : public type_keyed_service<B> {
public:
  using type_keyed_service<B>::type_keyed_service;
};

// A service built on the io_context's own service base.
template <typename B>
class io_context_service : public B::io_context::service {
public:
  static inline typename B::execution_context::id id;
  explicit io_context_service(typename B::io_context& ctx) : B::io_context::service(ctx) {}
};

// A service whose constructor uses another service (service A), which is
// therefore complete — and registered — first.
template <typename B>
class nesting_service : public traced_service<B, 'N'> {
public:
  explicit nesting_service(typename B::io_context& ctx) : traced_service<B, 'N'>(ctx) {
    B::template use_service<traced_service<B, 'A'>>(ctx);
    log_service("service N has made service A");
  }
};

}  // namespace conformance::services
