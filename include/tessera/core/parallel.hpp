// tessera: the parallel loop every kernel uses, and the thread count it obeys.
//
// Loops run on OpenMP threads when tessera::tessera was built with TESSERA_WITH_OPENMP and the
// compiler enables OpenMP, and serially otherwise; results never depend on which.
#pragma once

#include <tessera/config.hpp>

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#if TESSERA_HAS_OPENMP
#include <omp.h>
#endif

TESSERA_NAMESPACE_BEGIN

namespace detail {
inline std::atomic<int> configured_threads{0}; // 0: use hardware_threads()
inline thread_local int thread_limit = 0;      // 0: no limit on this thread
} // namespace detail

/// Threads the machine offers (at least 1).
[[nodiscard]] inline int hardware_threads() noexcept {
#if TESSERA_HAS_OPENMP
  return std::max(1, omp_get_num_procs());
#else
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
#endif
}

/// Sets the number of threads parallel loops use from now on; 0 restores the default
/// (hardware_threads()). Thread-safe. Precondition: n >= 0.
inline void set_num_threads(int n) noexcept {
  TESSERA_ASSERT(n >= 0, "thread count must be non-negative");
  detail::configured_threads.store(std::max(0, n), std::memory_order_relaxed);
}

/// The number of threads a parallel loop started on this thread will use: the configured count,
/// lowered by any thread_limit_scope active on this thread, and 1 without OpenMP.
[[nodiscard]] inline int num_threads() noexcept {
#if TESSERA_HAS_OPENMP
  int n = detail::configured_threads.load(std::memory_order_relaxed);
  if (n == 0) n = hardware_threads();
  if (detail::thread_limit > 0) n = std::min(n, detail::thread_limit);
  return n;
#else
  return 1;
#endif
}

/// While alive, parallel loops started on this thread use at most `n` threads. The executor
/// grants each node its share of the pool this way, so kernels never oversubscribe the machine.
/// Scopes nest; the innermost limit wins. Precondition: n >= 1.
class thread_limit_scope {
public:
  explicit thread_limit_scope(int n) noexcept : previous_(detail::thread_limit) {
    TESSERA_ASSERT(n >= 1, "thread limit must be at least 1");
    detail::thread_limit = std::max(1, n);
  }
  ~thread_limit_scope() { detail::thread_limit = previous_; }
  thread_limit_scope(const thread_limit_scope&) = delete;
  thread_limit_scope& operator=(const thread_limit_scope&) = delete;

private:
  int previous_;
};

/// Calls body(chunk_begin, chunk_end) for consecutive chunks of about `grain` indices that
/// together cover [first, last), on up to num_threads() threads, and returns when all are done.
/// Chunks are handed out dynamically, so uneven work balances. A loop started inside another
/// parallel loop runs serially. If bodies throw, the first exception is rethrown after every
/// started chunk has finished. Precondition: grain >= 1.
template <std::integral I, class F>
requires std::invocable<F&, I, I>
void parallel_for_chunks(I first, I last, F&& body, std::size_t grain = 1024) {
  if (!(first < last)) return;
  grain = std::max<std::size_t>(grain, 1);
  using U = std::make_unsigned_t<I>;
  const auto n =
      static_cast<std::size_t>(static_cast<U>(static_cast<U>(last) - static_cast<U>(first)));
  const std::size_t chunks = n / grain + (n % grain != 0);
  const auto chunk_at = [&](std::size_t c) {
    const std::size_t b = c * grain;
    const std::size_t e = std::min(n, b + grain);
    return std::pair{static_cast<I>(static_cast<U>(first) + static_cast<U>(b)),
                     static_cast<I>(static_cast<U>(first) + static_cast<U>(e))};
  };
#if TESSERA_HAS_OPENMP
  const int threads =
      static_cast<int>(std::min<std::size_t>(chunks, static_cast<std::size_t>(num_threads())));
  if (threads > 1 && !omp_in_parallel()) {
    std::exception_ptr failure;
    std::once_flag failed;
    std::atomic<bool> stop{false};
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (std::size_t c = 0; c < chunks; ++c) {
      if (stop.load(std::memory_order_relaxed)) continue;
      try {
        const auto [b, e] = chunk_at(c);
        body(b, e);
      } catch (...) {
        std::call_once(failed, [&] { failure = std::current_exception(); });
        stop.store(true, std::memory_order_relaxed);
      }
    }
    if (failure) std::rethrow_exception(failure);
    return;
  }
#endif
  for (std::size_t c = 0; c < chunks; ++c) {
    const auto [b, e] = chunk_at(c);
    body(b, e);
  }
}

/// Calls body(i) for every i in [first, last), in parallel as parallel_for_chunks does.
template <std::integral I, class F>
requires std::invocable<F&, I>
void parallel_for(I first, I last, F&& body, std::size_t grain = 1024) {
  parallel_for_chunks(
      first, last,
      [&body](I b, I e) {
        for (I i = b; i < e; ++i) body(i);
      },
      grain);
}

/// Reduces [first, last): each chunk folds with `fold(accumulator&, chunk_begin, chunk_end)`
/// into a copy of `identity`, and the chunk results combine in chunk order with
/// `combine(a, b)`, so the result is deterministic for any thread count.
template <std::integral I, class T, class Fold, class Combine>
[[nodiscard]] T parallel_reduce(I first, I last, T identity, Fold&& fold, Combine&& combine,
                                std::size_t grain = 1 << 16) {
  if (!(first < last)) return identity;
  grain = std::max<std::size_t>(grain, 1);
  using U = std::make_unsigned_t<I>;
  const auto n =
      static_cast<std::size_t>(static_cast<U>(static_cast<U>(last) - static_cast<U>(first)));
  const std::size_t chunks = n / grain + (n % grain != 0);
  std::vector<T> partial(chunks, identity);
  parallel_for_chunks(
      std::size_t{0}, chunks,
      [&](std::size_t cb, std::size_t ce) {
        for (std::size_t c = cb; c < ce; ++c) {
          const auto b = static_cast<I>(static_cast<U>(first) + static_cast<U>(c * grain));
          const auto e =
              static_cast<I>(static_cast<U>(first) + static_cast<U>(std::min(n, (c + 1) * grain)));
          fold(partial[c], b, e);
        }
      },
      1);
  T result = std::move(identity);
  for (auto& p : partial) result = combine(std::move(result), std::move(p));
  return result;
}

TESSERA_NAMESPACE_END
