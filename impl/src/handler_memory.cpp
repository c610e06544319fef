#include "twin/detail/handler_memory.hpp"

#include <array>
#include <cstdint>

namespace twin::detail {

namespace {

// Blocks are grouped in size classes of `granularity` bytes; every block
// starts with a header naming its class, so a block freed on one thread can
// be filed correctly by another.
constexpr std::size_t granularity = 64;
constexpr std::size_t size_classes = 8;  // blocks up to 512 bytes are cached
constexpr std::size_t uncached = size_classes;

// How much freed memory one thread keeps for reuse. Generous on purpose: a
// burst of N queued handlers is followed by N frees on the run thread, and
// the next burst then allocates nothing. Beyond it, blocks go back to the
// heap.
constexpr std::size_t cache_limit_bytes = std::size_t{8} << 20;

struct alignas(std::max_align_t) block_header {
  std::size_t size_class;
};

struct free_block {
  free_block* next;
};

class thread_cache {
public:
  ~thread_cache() {
    for (free_block*& list : lists_)
      while (free_block* block = list) {
        list = block->next;
        ::operator delete(reinterpret_cast<block_header*>(block) - 1);
      }
  }

  void* allocate(std::size_t size) {
    const std::size_t size_class = (size + granularity - 1) / granularity - (size != 0);
    if (size_class < size_classes) {
      if (free_block* block = lists_[size_class]) {
        lists_[size_class] = block->next;
        cached_bytes_ -= block_bytes(size_class);
        return block;
      }
      return make_block(size_class, block_bytes(size_class));
    }
    return make_block(uncached, size);
  }

  void deallocate(void* pointer) noexcept {
    block_header* header = static_cast<block_header*>(pointer) - 1;
    const std::size_t size_class = header->size_class;
    if (size_class < size_classes && cached_bytes_ + block_bytes(size_class) <= cache_limit_bytes) {
      auto* block = static_cast<free_block*>(pointer);
      block->next = lists_[size_class];
      lists_[size_class] = block;
      cached_bytes_ += block_bytes(size_class);
      return;
    }
    ::operator delete(header);
  }

private:
  static std::size_t block_bytes(std::size_t size_class) { return (size_class + 1) * granularity; }

  static void* make_block(std::size_t size_class, std::size_t bytes) {
    auto* header = static_cast<block_header*>(::operator new(sizeof(block_header) + bytes));
    header->size_class = size_class;
    return header + 1;
  }

  std::array<free_block*, size_classes> lists_{};
  std::size_t cached_bytes_ = 0;
};

thread_local thread_cache cache;

}  // namespace

void* allocate_handler_memory(std::size_t size) { return cache.allocate(size); }

void deallocate_handler_memory(void* block) noexcept { cache.deallocate(block); }

}  // namespace twin::detail
