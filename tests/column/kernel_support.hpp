// Shared helpers for the kernel tests: random columns with nulls/NaNs, reference loops.
#pragma once

#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/detail/column/simd.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace kt {

using scalar_path = tessera::detail::simd::scalar_path;
using vector_path = tessera::detail::simd::vector_path;

/// The lengths every kernel is tried at: 0, 1, W-1, W, W+1 for the widest W of T, around 64.
template <class T>
std::vector<std::size_t> edge_lengths() {
  const std::size_t w = tessera::detail::simd::lanes_of<vector_path, T>;
  std::vector<std::size_t> n = {0, 1, 2, 63, 64, 65, 130, 1000};
  for (std::size_t x : {w - 1, w, w + 1, 2 * w + 1})
    if (x > 0) n.push_back(x);
  return n;
}

enum class nulls { none, some, all };

/// Random values of T in a small range (so equal values occur) with optional nulls and, for
/// floating point, NaNs and infinities.
template <class T>
std::vector<std::optional<T>> random_values(std::size_t n, std::uint64_t seed, nulls nn,
                                            bool nans = true) {
  std::mt19937_64 rng(seed);
  std::vector<std::optional<T>> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = rng();
    if (nn == nulls::all || (nn == nulls::some && r % 5 == 0)) continue;
    if constexpr (std::is_floating_point_v<T>) {
      if (nans && r % 11 == 1) {
        out[i] = std::numeric_limits<T>::quiet_NaN();
        continue;
      }
      if (nans && r % 37 == 2) {
        out[i] =
            (r & 64) ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
        continue;
      }
      out[i] = static_cast<T>(static_cast<int>((r >> 8) % 41) - 20) / T(4);
    } else if constexpr (std::is_signed_v<T>) {
      out[i] = static_cast<T>(static_cast<int>((r >> 8) % 41) - 20);
    } else {
      out[i] = static_cast<T>((r >> 8) % 41);
    }
  }
  return out;
}

template <class T>
tessera::column build(const std::vector<std::optional<T>>& v, std::size_t pad_front = 0) {
  tessera::primitive_builder<T> b;
  for (std::size_t i = 0; i < pad_front; ++i) b.append(T(7));
  for (const auto& x : v) b.append_optional(x);
  tessera::column c = b.finish();
  return c.slice(pad_front, v.size()); // unaligned start when pad_front != 0
}

inline tessera::column build_strings(const std::vector<std::optional<std::string>>& v,
                                     tessera::type_id id = tessera::type_id::string) {
  std::vector<std::optional<std::string_view>> views;
  for (const auto& s : v) views.push_back(s ? std::optional<std::string_view>(*s) : std::nullopt);
  return tessera::make_string_column(views, id);
}

inline std::vector<std::optional<std::string>> random_strings(std::size_t n, std::uint64_t seed,
                                                              nulls nn) {
  std::mt19937_64 rng(seed);
  const char* words[] = {"", "a", "b", "a b", "x,y", "zz", "ab", "ü"};
  std::vector<std::optional<std::string>> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = rng();
    if (nn == nulls::all || (nn == nulls::some && r % 5 == 0)) continue;
    out[i] = words[(r >> 8) % 8];
  }
  return out;
}

} // namespace kt
