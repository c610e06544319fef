// twin::executor — Asio's older polymorphic executor: holds a copy of any
// executor with the older members (context(), on_work_started/finished,
// dispatch/post/defer(f, allocator)) — an io_context's, a strand, a
// thread_pool's, system_executor — behind one type. It has no execute():
// twin::post/dispatch/defer use its members.
//
// Default-constructed (or from nullptr) it is empty: false as a bool, and
// dispatch/post/defer throw bad_executor. context() and on_work_started/
// finished are noexcept, as in Asio, so on an empty one the bad_executor
// they raise ends the program (std::terminate). Copies share the target
// (a reference count); two compare equal when both are empty or hold equal
// targets of one type; target<E>() gives the target back when it is an E.
// Safe to use from any thread, as its target is.
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "twin/detail/erased_function.hpp"
#include "twin/execution_context.hpp"

namespace twin {

// Thrown when an empty executor is asked to run a function.
class bad_executor : public std::exception {
public:
  bad_executor() noexcept = default;
  const char* what() const noexcept override { return "bad executor"; }
};

namespace detail {

// An executor with Asio's older members: what twin::executor can hold.
template <typename T>
concept legacy_executor = requires(const T& e, erased_function f) {
  e.context();
  e.on_work_started();
  e.on_work_finished();
  e.dispatch(std::move(f), std::allocator<void>());
  e.post(std::move(f), std::allocator<void>());
  e.defer(std::move(f), std::allocator<void>());
};

}  // namespace detail

class executor {
public:
  executor() noexcept = default;
  executor(std::nullptr_t) noexcept {}

  // Holds a copy of `ex`.
  template <typename Executor>
    requires(detail::legacy_executor<Executor> && !std::is_same_v<Executor, executor>)
  executor(Executor ex) : impl_(std::make_shared<model<Executor>>(std::move(ex))) {}

  explicit operator bool() const noexcept { return impl_ != nullptr; }

  execution_context& context() const noexcept { return get_impl().context(); }
  void on_work_started() const noexcept { get_impl().on_work_started(); }
  void on_work_finished() const noexcept { get_impl().on_work_finished(); }

  // Runs or queues `f` as the target's member of the same name would. The
  // allocator is not used: the function is erased with operator new.
  template <typename Function, typename Allocator = std::allocator<void>>
  void dispatch(Function&& f, const Allocator& = Allocator()) const {
    get_impl().dispatch(detail::erased_function(std::forward<Function>(f)));
  }
  template <typename Function, typename Allocator = std::allocator<void>>
  void post(Function&& f, const Allocator& = Allocator()) const {
    get_impl().post(detail::erased_function(std::forward<Function>(f)));
  }
  template <typename Function, typename Allocator = std::allocator<void>>
  void defer(Function&& f, const Allocator& = Allocator()) const {
    get_impl().defer(detail::erased_function(std::forward<Function>(f)));
  }

  // The target, if it is an `Executor`; else null.
  template <typename Executor>
  const Executor* target() const noexcept {
    return impl_ && impl_->type() == typeid(Executor)
               ? &static_cast<const model<Executor>&>(*impl_).held
               : nullptr;
  }
  const std::type_info& target_type() const noexcept {
    return impl_ ? impl_->type() : typeid(void);
  }

  friend bool operator==(const executor& a, const executor& b) noexcept {
    if (a.impl_ == b.impl_) return true;
    if (!a.impl_ || !b.impl_) return false;
    return a.impl_->type() == b.impl_->type() && a.impl_->equals(*b.impl_);
  }

private:
  // Not any_io_executor's model: that one erases execute() and the
  // execution properties, which an executor with only the older members
  // lacks; a base with both sets would force them on every target. Only
  // the function erasure (erased_function) is shared.
  struct base {
    virtual ~base() = default;
    virtual execution_context& context() const noexcept = 0;
    virtual void on_work_started() const noexcept = 0;
    virtual void on_work_finished() const noexcept = 0;
    virtual void dispatch(detail::erased_function f) const = 0;
    virtual void post(detail::erased_function f) const = 0;
    virtual void defer(detail::erased_function f) const = 0;
    virtual const std::type_info& type() const noexcept = 0;
    virtual bool equals(const base& other) const noexcept = 0;  // same type()
  };

  template <typename Executor>
  struct model final : base {
    explicit model(Executor ex) : held(std::move(ex)) {}
    execution_context& context() const noexcept override { return held.context(); }
    void on_work_started() const noexcept override { held.on_work_started(); }
    void on_work_finished() const noexcept override { held.on_work_finished(); }
    void dispatch(detail::erased_function f) const override {
      held.dispatch(std::move(f), std::allocator<void>());
    }
    void post(detail::erased_function f) const override {
      held.post(std::move(f), std::allocator<void>());
    }
    void defer(detail::erased_function f) const override {
      held.defer(std::move(f), std::allocator<void>());
    }
    const std::type_info& type() const noexcept override { return typeid(Executor); }
    bool equals(const base& other) const noexcept override {
      return held == static_cast<const model&>(other).held;
    }

    Executor held;
  };

  // The target; throws bad_executor when there is none.
  const base& get_impl() const {
    if (!impl_) throw bad_executor();
    return *impl_;
  }

  std::shared_ptr<const base> impl_;
};

}  // namespace twin
