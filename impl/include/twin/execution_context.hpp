// twin::execution_context — a place where functions run, holding a set of
// services (Asio's execution_context; io_context is one).
//
// A service is an object of a class derived from execution_context::service,
// at most one per key in a context. The key is the address of the class's
// static member `id` (of type execution_context::id), or the class's type
// when it names a base of itself as `key_type`. use_service<S>(ctx) creates
// S on first use (S(ctx) with the context as passed: an io_context& for an
// io_context), make_service<S>(ctx, args...) creates it with arguments and
// add_service(ctx, svc) adopts one the caller made; has_service<S>(ctx)
// tells whether there is one. A service's constructor may itself use
// services of the same context.
//
// Services live as long as their context. A class derived from
// execution_context calls shutdown() then destroy() on destruction:
// shutdown() calls every service's shutdown(), newest first, and destroy()
// deletes them, newest first. notify_fork(event) tells every service about
// a fork: the newest first for fork_prepare, the oldest first after it.
//
// use_service, make_service, add_service and has_service are safe to call
// from any thread; notify_fork, shutdown and destroy are not (nothing else
// may use the context meanwhile).
#pragma once

#include <memory>
#include <mutex>
#include <stdexcept>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace twin {

namespace detail {
template <typename Service, typename Owner>
Service& use_service_of(Owner& owner);
}  // namespace detail

class execution_context {
public:
  class id;
  class service;

  execution_context() = default;
  // shutdown() then destroy(), if the derived class has not done so.
  // Virtual, so that an I/O object given an any_io_executor can find the
  // io_context behind it (dynamic_cast) and refuse any other context.
  virtual ~execution_context();
  execution_context(const execution_context&) = delete;
  execution_context& operator=(const execution_context&) = delete;

  // What notify_fork is told, around a fork().
  enum fork_event { fork_prepare, fork_parent, fork_child };

  // Call with fork_prepare before fork(), then fork_parent in the parent or
  // fork_child in the child; every service hears of it (see above). Throws
  // what a service's notify_fork throws.
  void notify_fork(fork_event event);

protected:
  // Every service's shutdown(), newest first.
  void shutdown();
  // Deletes every service, newest first.
  void destroy();

private:
  template <typename Service, typename Owner>
  friend Service& detail::use_service_of(Owner& owner);
  template <typename Service>
  friend void add_service(execution_context& ctx, Service* svc);
  template <typename Service>
  friend bool has_service(execution_context& ctx);

  // What identifies a service in its context: a type or an id's address.
  struct key {
    const std::type_info* type = nullptr;
    const id* identity = nullptr;
    bool operator==(const key& other) const noexcept;
  };
  template <typename Service>
  static key key_of();

  using factory = service* (*)(void* owner);
  // The service with `k`, created by `make(owner)` (outside the lock) if
  // there is none.
  service& use(const key& k, factory make, void* owner);
  // Adopts `svc` under `k`; throws invalid_service_owner or
  // service_already_exists (the caller keeps `svc` then).
  void add(const key& k, service* svc);
  bool has(const key& k) const;
  service* find(const key& k) const;  // mutex_ held

  mutable std::mutex mutex_;
  service* newest_ = nullptr;  // the services, newest first, linked by next_
};

// Identifies a service class: the type of its static member `id`.
class execution_context::id {
public:
  id() = default;
  id(const id&) = delete;
  id& operator=(const id&) = delete;
};

// The base of every service.
class execution_context::service {
public:
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  // The context that owns the service.
  execution_context& context() noexcept { return owner_; }

protected:
  explicit service(execution_context& owner) : owner_(owner) {}
  virtual ~service() = default;

private:
  friend class execution_context;

  // The context is being destroyed: drop what refers to other services or
  // to handlers (they are all destroyed after every shutdown()).
  virtual void shutdown() = 0;
  // The process is forking, or has forked (see execution_context).
  virtual void notify_fork(fork_event) {}

  execution_context& owner_;
  key key_;
  service* next_ = nullptr;
};

// Thrown by add_service and make_service when the context already has a
// service with the same key.
class service_already_exists : public std::logic_error {
public:
  service_already_exists() : std::logic_error("Service already exists.") {}
};

// Thrown by add_service when the service belongs to another context.
class invalid_service_owner : public std::logic_error {
public:
  invalid_service_owner() : std::logic_error("Invalid service owner.") {}
};

template <typename Service>
execution_context::key execution_context::key_of() {
  if constexpr (requires { typename Service::key_type; }) {
    if constexpr (std::is_base_of_v<typename Service::key_type, Service>)
      return {&typeid(Service), nullptr};
    else
      return {nullptr, &Service::id};
  } else {
    return {nullptr, &Service::id};
  }
}

// The service of `owner` keyed as Service, created as Service(owner) on
// first use (the io_context overload of use_service calls it too). In
// twin::detail, where `execution_context` names a concept: qualified.
template <typename Service, typename Owner>
Service& detail::use_service_of(Owner& owner) {
  static_assert(std::is_base_of_v<::twin::execution_context::service, Service>,
                "a service derives from execution_context::service");
  ::twin::execution_context& ctx = owner;
  auto make = [](void* o) -> ::twin::execution_context::service* {
    return new Service(*static_cast<Owner*>(o));
  };
  return static_cast<Service&>(ctx.use(::twin::execution_context::key_of<Service>(), make, &owner));
}

// The context's Service, created as Service(ctx) if it has none.
template <typename Service>
Service& use_service(execution_context& ctx) {
  return detail::use_service_of<Service>(ctx);
}

// Adds `svc`, which must have been made for `ctx`; the context owns it from
// then on. Throws invalid_service_owner or service_already_exists, and the
// caller keeps `svc` then.
template <typename Service>
void add_service(execution_context& ctx, Service* svc) {
  static_assert(std::is_base_of_v<execution_context::service, Service>,
                "a service derives from execution_context::service");
  ctx.add(execution_context::key_of<Service>(), svc);
}

// Creates Service(ctx, args...) and adds it; throws service_already_exists
// (having destroyed the new object) when the context has one.
template <typename Service, typename... Args>
Service& make_service(execution_context& ctx, Args&&... args) {
  auto svc = std::make_unique<Service>(ctx, std::forward<Args>(args)...);
  add_service<Service>(ctx, svc.get());
  return *svc.release();
}

// True when the context has a service keyed as Service.
template <typename Service>
bool has_service(execution_context& ctx) {
  static_assert(std::is_base_of_v<execution_context::service, Service>,
                "a service derives from execution_context::service");
  return ctx.has(execution_context::key_of<Service>());
}

}  // namespace twin
