// twin::detail::handler_memory — the memory of queued handlers: per-thread
// reuse of freed blocks.
//
// Posting a handler allocates its operation; running it frees the operation
// before the handler is invoked, so a handler that posts its successor gets
// the block it just gave back. Each thread keeps its freed blocks (up to
// 8 MiB, in size classes of 64 bytes up to 512) in lock-free per-thread
// lists; in steady state a post therefore does no heap allocation, even
// after a burst of many queued handlers. Blocks may be freed on a different
// thread than the one that allocated them: they join the freeing thread's
// cache. Safe to call from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace twin::detail {

// Allocates at least `size` bytes, reusing a block this thread freed earlier
// when one is large enough.
void* allocate_handler_memory(std::size_t size);

// Returns a block from allocate_handler_memory to this thread's cache (or to
// the heap when the cache is full).
void deallocate_handler_memory(void* block) noexcept;

// Owns a freshly allocated, not yet constructed T while it is being built;
// frees the memory if construction throws.
template <typename T>
struct handler_memory {
  void* raw = allocate_handler_memory(sizeof(T));

  template <typename... Args>
  T* construct(Args&&... args) {
    T* object = new (raw) T(std::forward<Args>(args)...);
    raw = nullptr;
    return object;
  }
  ~handler_memory() {
    if (raw) deallocate_handler_memory(raw);
  }
};

// Allocates an op from the per-thread handler memory and constructs it.
template <typename Op, typename... Args>
Op* make_op(Args&&... args) {
  handler_memory<Op> memory;
  return memory.construct(std::forward<Args>(args)...);
}

// Destroys an object made by handler_memory and returns its block.
template <typename T>
void destroy_handler_object(T* object) noexcept {
  object->~T();
  deallocate_handler_memory(object);
}

}  // namespace twin::detail
