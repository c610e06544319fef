#include "twin/detail/recycling_allocator.hpp"

#include <array>

namespace twin::detail {

namespace {

// Every block starts with a header recording its usable size, so a block
// freed on one thread can serve a different (smaller) request on another.
struct alignas(std::max_align_t) block_header {
  std::size_t capacity;
};

// Requests are rounded up so that nearby sizes share blocks.
constexpr std::size_t granularity = 64;

class thread_cache {
public:
  ~thread_cache() {
    for (block_header* block : slots_)
      if (block) ::operator delete(block);
  }

  void* allocate(std::size_t size) {
    for (block_header*& block : slots_) {
      if (block && block->capacity >= size) {
        block_header* found = block;
        block = nullptr;
        return found + 1;
      }
    }
    // Nothing fits: drop one cached block too small to be useful, so caches
    // follow the sizes actually in use.
    for (block_header*& block : slots_) {
      if (block) {
        ::operator delete(block);
        block = nullptr;
        break;
      }
    }
    const std::size_t capacity = (size + granularity - 1) / granularity * granularity;
    auto* block = static_cast<block_header*>(::operator new(sizeof(block_header) + capacity));
    block->capacity = capacity;
    return block + 1;
  }

  void deallocate(void* pointer) noexcept {
    block_header* block = static_cast<block_header*>(pointer) - 1;
    for (block_header*& slot : slots_) {
      if (slot == nullptr) {
        slot = block;
        return;
      }
    }
    ::operator delete(block);
  }

private:
  std::array<block_header*, 4> slots_{};
};

thread_local thread_cache cache;

}  // namespace

void* allocate_handler_memory(std::size_t size) { return cache.allocate(size); }

void deallocate_handler_memory(void* block) noexcept { cache.deallocate(block); }

}  // namespace twin::detail
