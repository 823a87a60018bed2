// tessera internals: copying to memory with non-temporal (streaming) stores, for output that is
// written once and is much larger than the cache. A plain store first reads the cache line it
// writes into (a read for ownership), so such output costs twice its size in memory traffic;
// streaming stores of whole lines skip that read.
#pragma once

#include <tessera/config.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// Copies `bytes` from src to dst with the widest streaming stores the build enables (x86:
/// AVX-512, AVX or SSE2) that dst's alignment and `bytes` allow, or with memcpy. Consecutive
/// copies to adjacent memory fill whole cache lines between them. The stores are weakly ordered:
/// call stream_fence() before the memory is published to another thread.
inline void stream_copy(void* dst, const void* src, std::size_t bytes) noexcept {
  auto* d = static_cast<char*>(dst);
  const auto* s = static_cast<const char*>(src);
  [[maybe_unused]] const std::uintptr_t fit = reinterpret_cast<std::uintptr_t>(d) | bytes;
#if defined(__AVX512F__)
  if (fit % 64 == 0) {
    for (std::size_t i = 0; i < bytes; i += 64)
      _mm512_stream_si512(reinterpret_cast<__m512i*>(d + i), _mm512_loadu_si512(s + i));
    return;
  }
#endif
#if defined(__AVX__)
  if (fit % 32 == 0) {
    for (std::size_t i = 0; i < bytes; i += 32)
      _mm256_stream_si256(reinterpret_cast<__m256i*>(d + i),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)));
    return;
  }
#endif
#if defined(__SSE2__)
  if (fit % 16 == 0) {
    for (std::size_t i = 0; i < bytes; i += 16)
      _mm_stream_si128(reinterpret_cast<__m128i*>(d + i),
                       _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)));
    return;
  }
#endif
  std::memcpy(d, s, bytes);
}

/// Orders the streaming stores before every later store (a no-op where there are none).
inline void stream_fence() noexcept {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

} // namespace detail
TESSERA_NAMESPACE_END
