// tessera internal: the one place that calls xsimd. Every kernel goes through this adapter, which
// works with xsimd 8.1 (Debian: no reduce_add/reduce_min, no batch_bool::mask) and with current
// releases, and offers the same operations on a scalar path.
//
// Two paths exist in every build: `scalar_path` (plain loops) and `vector_path` (xsimd batches).
// Kernels take the path as a template argument so tests can run both on the same input;
// `default_path` is what the public functions use: vector_path unless TESSERA_NO_SIMD is defined
// (or xsimd offers no SIMD architecture for this target).
#pragma once

#include <tessera/config.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if !defined(TESSERA_NO_SIMD)
#include <xsimd/xsimd.hpp>
#if defined(__SSE2__) || defined(_M_X64)
#include <immintrin.h>
#define TESSERA_DETAIL_X86_MASKS 1
#endif
#endif

TESSERA_NAMESPACE_BEGIN
namespace detail::simd {

/// Plain loops, one element at a time (what the compiler makes of them).
struct scalar_path {};
/// xsimd batches.
struct vector_path {};

#if defined(TESSERA_NO_SIMD)
inline constexpr bool vector_available = false;
using default_path = scalar_path;
#else
inline constexpr bool vector_available = true;
using default_path = vector_path;

// 256-bit batches when AVX2 is enabled: on this machine (g++), 512-bit batches ran memory-bound
// reductions at half the speed of 256-bit ones. Otherwise the best architecture xsimd enables.
#if XSIMD_WITH_AVX2
using arch = xsimd::avx2;
#else
using arch = xsimd::default_arch;
#endif

template <class T>
using batch = xsimd::batch<T, arch>;
template <class T>
using batch_bool = xsimd::batch_bool<T, arch>;

/// Lanes per batch of T.
template <class T>
inline constexpr std::size_t width = batch<T>::size;

template <class T>
[[nodiscard]] inline batch<T> load(const T* p) noexcept {
  return batch<T>::load_unaligned(p);
}
template <class T>
inline void store(T* p, const batch<T>& b) noexcept {
  b.store_unaligned(p);
}
template <class T>
[[nodiscard]] inline batch<T> broadcast(T v) noexcept {
  return batch<T>(v);
}

/// The lanes of a batch in an array (lane 0 first).
template <class T>
[[nodiscard]] inline std::array<T, width<T>> lanes(const batch<T>& b) noexcept {
  alignas(64) std::array<T, width<T>> out;
  b.store_unaligned(out.data());
  return out;
}

namespace masks {
#if defined(TESSERA_DETAIL_X86_MASKS)
inline std::uint64_t pack_every(std::uint64_t bytes_mask, unsigned stride) noexcept {
  std::uint64_t out = 0;
  for (unsigned i = 0, j = 0; i < 64; i += stride, ++j) out |= ((bytes_mask >> i) & 1u) << j;
  return out;
}
inline std::uint64_t movemask(__m128 r, std::size_t) noexcept {
  return static_cast<unsigned>(_mm_movemask_ps(r));
}
inline std::uint64_t movemask(__m128d r, std::size_t) noexcept {
  return static_cast<unsigned>(_mm_movemask_pd(r));
}
inline std::uint64_t movemask(__m128i r, std::size_t lane_bytes) noexcept {
  switch (lane_bytes) {
  case 4:
    return static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(r)));
  case 8:
    return static_cast<unsigned>(_mm_movemask_pd(_mm_castsi128_pd(r)));
  case 2:
    return pack_every(static_cast<unsigned>(_mm_movemask_epi8(r)), 2);
  default:
    return static_cast<unsigned>(_mm_movemask_epi8(r));
  }
}
#if defined(__AVX__)
inline std::uint64_t movemask(__m256 r, std::size_t) noexcept {
  return static_cast<unsigned>(_mm256_movemask_ps(r));
}
inline std::uint64_t movemask(__m256d r, std::size_t) noexcept {
  return static_cast<unsigned>(_mm256_movemask_pd(r));
}
#endif
#if defined(__AVX2__)
inline std::uint64_t movemask(__m256i r, std::size_t lane_bytes) noexcept {
  switch (lane_bytes) {
  case 4:
    return static_cast<unsigned>(_mm256_movemask_ps(_mm256_castsi256_ps(r)));
  case 8:
    return static_cast<unsigned>(_mm256_movemask_pd(_mm256_castsi256_pd(r)));
  case 2: {
    const auto m = static_cast<std::uint32_t>(_mm256_movemask_epi8(r));
#if defined(__BMI2__)
    return _pext_u32(m, 0xAAAAAAAAu);
#else
    return pack_every(m, 2);
#endif
  }
  default:
    return static_cast<std::uint32_t>(_mm256_movemask_epi8(r));
  }
}
#endif
template <class R>
concept x86_register = requires(R r) {
  movemask(r, std::size_t{4});
};
#endif
} // namespace masks

/// Bit i of the result is lane i of the comparison result (xsimd >= 10 has batch_bool::mask();
/// 8.1 does not, so on x86 the register goes to movemask, elsewhere through memory).
template <class T>
[[nodiscard]] inline std::uint64_t to_mask(const batch_bool<T>& b) noexcept {
  if constexpr (requires { b.mask(); }) {
    return static_cast<std::uint64_t>(b.mask());
  } else {
    using reg = typename batch_bool<T>::register_type;
#if defined(TESSERA_DETAIL_X86_MASKS)
    if constexpr (requires { masks::movemask(static_cast<reg>(b), sizeof(T)); }) {
      return masks::movemask(static_cast<reg>(b), sizeof(T));
    } else
#endif
    {
      alignas(64) std::array<bool, width<T>> tmp;
      b.store_unaligned(tmp.data());
      std::uint64_t out = 0;
      for (std::size_t i = 0; i < width<T>; ++i) out |= std::uint64_t{tmp[i]} << i;
      return out;
    }
  }
}

/// Lane-wise sum of a batch (xsimd 8.1 has no reduce_add; once per kernel call it costs nothing).
template <class T>
[[nodiscard]] inline T reduce_add(const batch<T>& b) noexcept {
  T s{};
  for (T v : lanes(b)) s = static_cast<T>(s + v);
  return s;
}
template <class T>
[[nodiscard]] inline T reduce_min(const batch<T>& b) noexcept {
  const auto l = lanes(b);
  T m = l[0];
  for (T v : l) m = v < m ? v : m;
  return m;
}
template <class T>
[[nodiscard]] inline T reduce_max(const batch<T>& b) noexcept {
  const auto l = lanes(b);
  T m = l[0];
  for (T v : l) m = v > m ? v : m;
  return m;
}
/// min/max that never see NaN (callers mask NaN lanes first: xsimd 8.1 returns the second
/// argument when either is NaN).
template <class T>
[[nodiscard]] inline batch<T> min(const batch<T>& a, const batch<T>& b) noexcept {
  return xsimd::min(a, b);
}
template <class T>
[[nodiscard]] inline batch<T> max(const batch<T>& a, const batch<T>& b) noexcept {
  return xsimd::max(a, b);
}
template <class T>
[[nodiscard]] inline batch<T> select(const batch_bool<T>& c, const batch<T>& a,
                                     const batch<T>& b) noexcept {
  return xsimd::select(c, a, b);
}
#endif

/// Lanes used by a path for T (1 on the scalar path).
template <class Path, class T>
inline constexpr std::size_t lanes_of = [] {
  if constexpr (std::is_same_v<Path, scalar_path>) {
    return std::size_t{1};
  } else {
#if defined(TESSERA_NO_SIMD)
    return std::size_t{1};
#else
    return width<T>;
#endif
  }
}();

} // namespace detail::simd
TESSERA_NAMESPACE_END
