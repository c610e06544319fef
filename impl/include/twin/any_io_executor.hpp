// twin::any_io_executor — a type-erased executor: holds a copy of any
// executor (an io_context's, a strand over one, a thread_pool's) behind one
// type, as Asio's any_io_executor does. Every I/O object's default executor
// is this (tcp::socket is basic_stream_socket<tcp, any_io_executor>), so a
// socket can be made on a strand: `tcp::socket s(make_strand(io))`.
//
// It is an executor itself (context(), on_work_started/finished, execute,
// require/prefer/query of execution.hpp), copies share the erased target
// (copying costs a reference count), and two compare equal when both are
// empty or hold equal targets of one type. target<E>() gives the target
// back. An empty one (default-constructed) must not be used. Safe to use
// from any thread, as its target is.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "twin/detail/erased_function.hpp"
#include "twin/execution.hpp"
#include "twin/execution_concepts.hpp"
#include "twin/execution_context.hpp"

namespace twin {

class any_io_executor {
public:
  any_io_executor() noexcept = default;
  any_io_executor(std::nullptr_t) noexcept {}

  // Holds a copy of `ex`.
  template <typename Executor>
    requires(detail::executor<Executor> && !std::is_same_v<Executor, any_io_executor>)
  any_io_executor(Executor ex) : impl_(std::make_shared<model<Executor>>(std::move(ex))) {}

  explicit operator bool() const noexcept { return impl_ != nullptr; }

  execution_context& context() const noexcept { return impl_->context(); }
  void on_work_started() const noexcept { impl_->on_work_started(); }
  void on_work_finished() const noexcept { impl_->on_work_finished(); }

  // Runs or queues `f` as the target's execute() would.
  template <typename Function>
  void execute(Function&& f) const {
    impl_->execute(detail::erased_function(std::forward<Function>(f)));
  }

  // The same executor with a property applied where the target supports it
  // (execution.hpp; as Asio's any_io_executor, which prefers them).
  any_io_executor require(execution::blocking_t p) const { return impl_->apply(p); }
  any_io_executor require(execution::relationship_t p) const { return impl_->apply(p); }
  any_io_executor require(execution::outstanding_work_t::tracked_t p) const {
    return impl_->apply(p);
  }
  any_io_executor require(execution::outstanding_work_t::untracked_t p) const {
    return impl_->apply(p);
  }
  execution::blocking_t query(execution::blocking_property p) const { return impl_->query(p); }

  // The target, if it is an `Executor`; else null.
  template <typename Executor>
  const Executor* target() const noexcept {
    return impl_ && impl_->type() == typeid(Executor)
               ? &static_cast<const model<Executor>&>(*impl_).executor
               : nullptr;
  }
  const std::type_info& target_type() const noexcept {
    return impl_ ? impl_->type() : typeid(void);
  }

  friend bool operator==(const any_io_executor& a, const any_io_executor& b) noexcept {
    if (!a.impl_ || !b.impl_) return !a.impl_ && !b.impl_;
    return a.impl_ == b.impl_ || (a.impl_->type() == b.impl_->type() && a.impl_->equals(*b.impl_));
  }

private:
  struct base {
    virtual ~base() = default;
    virtual execution_context& context() const noexcept = 0;
    virtual void on_work_started() const noexcept = 0;
    virtual void on_work_finished() const noexcept = 0;
    virtual void execute(detail::erased_function f) const = 0;
    virtual any_io_executor apply(execution::blocking_t) const = 0;
    virtual any_io_executor apply(execution::relationship_t) const = 0;
    virtual any_io_executor apply(execution::outstanding_work_t::tracked_t) const = 0;
    virtual any_io_executor apply(execution::outstanding_work_t::untracked_t) const = 0;
    virtual execution::blocking_t query(execution::blocking_property) const = 0;
    virtual const std::type_info& type() const noexcept = 0;
    virtual bool equals(const base& other) const noexcept = 0;  // same type()
  };

  template <typename Executor>
  struct model final : base {
    explicit model(Executor ex) : executor(std::move(ex)) {}
    execution_context& context() const noexcept override { return executor.context(); }
    void on_work_started() const noexcept override { executor.on_work_started(); }
    void on_work_finished() const noexcept override { executor.on_work_finished(); }
    void execute(detail::erased_function f) const override { executor.execute(std::move(f)); }
    any_io_executor apply(execution::blocking_t p) const override { return prefer(p); }
    any_io_executor apply(execution::relationship_t p) const override { return prefer(p); }
    any_io_executor apply(execution::outstanding_work_t::tracked_t p) const override {
      return prefer(p);
    }
    any_io_executor apply(execution::outstanding_work_t::untracked_t p) const override {
      return prefer(p);
    }
    execution::blocking_t query(execution::blocking_property p) const override {
      return twin::query(executor, p);
    }
    const std::type_info& type() const noexcept override { return typeid(Executor); }
    bool equals(const base& other) const noexcept override {
      return executor == static_cast<const model&>(other).executor;
    }

    template <typename Property>
    any_io_executor prefer(Property p) const {
      return any_io_executor(twin::prefer(executor, p));
    }

    Executor executor;
  };

  std::shared_ptr<const base> impl_;
};

}  // namespace twin
