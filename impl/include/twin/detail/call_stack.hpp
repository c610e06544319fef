// twin::detail::call_stack — which keys (schedulers, strands) the current
// thread is running inside, innermost first.
//
// A `context` pushed on entry to run() (or to a strand's invoker) and popped
// by its destructor answers "am I inside this scheduler / strand?" without a
// lock: the stack is thread-local. Each frame may carry a value (the
// scheduler's per-thread state).
#pragma once

namespace twin::detail {

template <typename Key, typename Value = unsigned char>
class call_stack {
public:
  // RAII frame: pushes (key, value) for the lifetime of the object.
  class context {
  public:
    explicit context(Key* key) noexcept
        : key_(key), value_(reinterpret_cast<Value*>(this)), next_(top_) {
      top_ = this;
    }
    context(Key* key, Value& value) noexcept : key_(key), value_(&value), next_(top_) {
      top_ = this;
    }
    ~context() { top_ = next_; }

    // The value of the next enclosing frame with the same key, or null.
    Value* next_by_key() const noexcept {
      for (context* c = next_; c; c = c->next_)
        if (c->key_ == key_) return c->value_;
      return nullptr;
    }
    context(const context&) = delete;
    context& operator=(const context&) = delete;

  private:
    friend class call_stack;
    Key* key_;
    Value* value_;
    context* next_;
  };

  // The value of the innermost frame for `key`, or null if the calling thread
  // is not inside `key`.
  static Value* contains(const Key* key) noexcept {
    for (context* c = top_; c; c = c->next_)
      if (c->key_ == key) return c->value_;
    return nullptr;
  }

private:
  static inline thread_local context* top_ = nullptr;
};

}  // namespace twin::detail
