// tessera internals: the one family of fixed, platform-independent random numbers the library
// uses (graph generators, sampled betweenness sources, retry jitter). SplitMix64's mixing
// function makes them reproducible from a seed on every compiler and standard library, which
// <random>'s distributions are not.
#pragma once

#include <tessera/config.hpp>

#include <cstdint>
#include <limits>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// SplitMix64's output function without the increment: a bijective 64-bit mix.
constexpr std::uint64_t finalize64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// SplitMix64's step: the golden-ratio increment, then the mix.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  return finalize64(x + 0x9e3779b97f4a7c15ULL);
}

/// The draw-th random 64-bit value of stream `stream` under `seed` (counter-based: any value can
/// be computed on its own, so parallel loops produce the same numbers for any thread count).
constexpr std::uint64_t counter_random(std::uint64_t seed, std::uint64_t stream,
                                       std::uint64_t draw) noexcept {
  return mix64(mix64(seed ^ mix64(stream)) + draw * 0xd1b54a32d192ed03ULL);
}

/// A uniform double in [0, 1) from the top 53 bits of r.
constexpr double unit_double(std::uint64_t r) noexcept {
  return static_cast<double>(r >> 11) * 0x1.0p-53;
}

/// A uniform integer in [0, n) from r (Lemire's multiply-shift; bias below 2^-64 * n).
inline std::uint64_t below(std::uint64_t r, std::uint64_t n) noexcept {
  __extension__ using uint128 = unsigned __int128;
  return static_cast<std::uint64_t>((static_cast<uint128>(r) * n) >> 64);
}

/// The sequential SplitMix64 generator.
struct splitmix64 {
  std::uint64_t state;
  constexpr std::uint64_t next() noexcept {
    const std::uint64_t r = mix64(state);
    state += 0x9e3779b97f4a7c15ULL;
    return r;
  }
  /// Uniform in [0, bound), bound > 0, without bias (rejection).
  constexpr std::uint64_t uniform(std::uint64_t bound) noexcept {
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - max % bound;
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return x % bound;
  }
};

} // namespace detail
TESSERA_NAMESPACE_END
