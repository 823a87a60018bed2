// tessera: recycling allocator for coroutine frames, and the count of live frames.
//
// g++ 12 never elides coroutine frame allocations, so every task<T> call would hit the global
// allocator. Frames are instead recycled through a per-thread free list per 64-byte size class.
// A frame freed on another thread joins that thread's list; each list is bounded, so memory
// migrating between threads cannot grow without limit. Under AddressSanitizer cached frames are
// poisoned, so a use after free of a recycled frame is still reported.
#pragma once

#include <tessera/config.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define TESSERA_DETAIL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TESSERA_DETAIL_ASAN 1
#endif
#endif
#if defined(TESSERA_DETAIL_ASAN)
#include <sanitizer/asan_interface.h>
#define TESSERA_DETAIL_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define TESSERA_DETAIL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define TESSERA_DETAIL_POISON(p, n) static_cast<void>(0)
#define TESSERA_DETAIL_UNPOISON(p, n) static_cast<void>(0)
#endif

TESSERA_NAMESPACE_BEGIN
namespace exec::detail {

inline std::atomic<std::int64_t> live_frames{0};

/// One thread's cache of free frames: a singly linked list per size class.
class frame_cache {
public:
  static constexpr std::size_t granule = 64;
  static constexpr std::size_t classes = 16;       // frames up to 1 KiB are recycled
  static constexpr std::uint32_t max_cached = 256; // per class and thread

  frame_cache() = default;
  frame_cache(const frame_cache&) = delete;
  frame_cache& operator=(const frame_cache&) = delete;
  ~frame_cache() {
    for (std::size_t c = 0; c < classes; ++c) {
      while (heads_[c] != nullptr) {
        node* n = heads_[c];
        TESSERA_DETAIL_UNPOISON(n, (c + 1) * granule);
        heads_[c] = n->next;
        ::operator delete(n);
      }
    }
  }

  void* allocate(std::size_t size) {
    const std::size_t c = size_class(size);
    if (c < classes && heads_[c] != nullptr) {
      node* n = heads_[c];
      TESSERA_DETAIL_UNPOISON(n, (c + 1) * granule);
      heads_[c] = n->next;
      --counts_[c];
      return n;
    }
    return ::operator new(c < classes ? (c + 1) * granule : size);
  }

  void deallocate(void* p, std::size_t size) noexcept {
    const std::size_t c = size_class(size);
    if (c >= classes || counts_[c] >= max_cached) {
      ::operator delete(p);
      return;
    }
    node* n = static_cast<node*>(p);
    n->next = heads_[c];
    heads_[c] = n;
    ++counts_[c];
    TESSERA_DETAIL_POISON(n, (c + 1) * granule);
  }

private:
  struct node {
    node* next;
  };
  static constexpr std::size_t size_class(std::size_t size) noexcept {
    return (size + granule - 1) / granule - 1;
  }
  node* heads_[classes] = {};
  std::uint32_t counts_[classes] = {};
};

inline frame_cache& this_thread_frames() noexcept {
  thread_local frame_cache cache;
  return cache;
}

inline void* allocate_frame(std::size_t size) {
  void* p = this_thread_frames().allocate(size);
  live_frames.fetch_add(1, std::memory_order_relaxed);
  return p;
}

inline void deallocate_frame(void* p, std::size_t size) noexcept {
  live_frames.fetch_sub(1, std::memory_order_relaxed);
  this_thread_frames().deallocate(p, size);
}

/// Base of every promise type in tessera: frames come from the recycler.
struct recycled_frame {
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* p, std::size_t size) noexcept { deallocate_frame(p, size); }
};

} // namespace exec::detail

namespace exec {
/// The number of tessera coroutine frames (tasks, when_all and sync_wait helpers, node drivers)
/// currently alive in the process. Tests use it to prove that nothing leaks.
[[nodiscard]] inline std::int64_t live_coroutine_frames() noexcept {
  return detail::live_frames.load(std::memory_order_acquire);
}
} // namespace exec

TESSERA_NAMESPACE_END
