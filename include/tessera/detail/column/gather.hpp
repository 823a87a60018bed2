// tessera internal: build a column from chosen rows of another (shared by filter, take, sort,
// join, set operations).
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/column.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/parallel.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// Appends bits to zero-initialised words.
struct bit_writer {
  std::uint64_t* words;
  std::size_t pos = 0;
  void append(std::uint64_t bits, unsigned count) noexcept {
    if (count == 0) return;
    const std::size_t k = pos / 64;
    const auto s = static_cast<unsigned>(pos % 64);
    words[k] |= bits << s;
    if (s != 0 && s + count > 64) words[k + 1] |= bits >> (64 - s);
    pos += count;
  }
  void push(bool b) noexcept {
    if (b) words[pos / 64] |= std::uint64_t{1} << (pos % 64);
    ++pos;
  }
};

/// Row `Index(k)` of `c` for k in [0, n): the value, or null where `is_null(k)` says so (for
/// outer joins: a missing row). Index is any callable returning a row of c (unchecked); both
/// callables may be called from several threads at once (fixed-width values gather in parallel).
template <class IndexFn, class NullFn>
column gather_rows(const column& c, std::size_t n, IndexFn index, NullFn extra_null) {
  const validity_view valid = c.validity();
  constexpr bool may_add_nulls = !std::is_same_v<NullFn, std::false_type>;
  bool need_validity = valid.present();
  if constexpr (may_add_nulls) need_validity = true;
  bitmap validity;
  if (need_validity) {
    validity = bitmap(n);
    for (std::size_t k = 0; k < n; ++k) {
      bool ok;
      if constexpr (may_add_nulls) {
        ok = !extra_null(k) && valid(index(k));
      } else {
        ok = valid(index(k));
      }
      if (ok) validity.set(k);
    }
  }
  const auto is_missing = [&](std::size_t k) {
    if constexpr (may_add_nulls) {
      return extra_null(k);
    } else {
      (void)k;
      return false;
    }
  };
  buffer vb = need_validity ? buffer(std::move(validity)) : buffer();
  const type_id id = c.id();
  if (id == type_id::boolean) {
    const auto v = c.bool_view();
    bitmap bits(n);
    for (std::size_t k = 0; k < n; ++k)
      if (!is_missing(k) && v[index(k)]) bits.set(k);
    return column::unchecked(c.type(), n, std::move(vb), buffer(std::move(bits)));
  }
  if (id == type_id::string || id == type_id::large_string) {
    const auto run = [&]<class Offset>(std::type_identity<Offset>) {
      const auto sv = c.string_view<Offset>();
      aligned_buffer<Offset> offsets(n + 1, tessera::uninitialized);
      offsets[0] = 0;
      std::size_t total = 0;
      for (std::size_t k = 0; k < n; ++k) {
        if (!is_missing(k)) {
          const std::size_t i = index(k);
          total += static_cast<std::size_t>(sv.offsets[i + 1] - sv.offsets[i]);
        }
        if (total > static_cast<std::size_t>(std::numeric_limits<Offset>::max()))
          throw_error(error(errc::overflow,
                            "result string column would exceed 2^31 - 1 bytes; cast to "
                            "large_string first"));
        offsets[k + 1] = static_cast<Offset>(total);
      }
      aligned_buffer<char> bytes(total, tessera::uninitialized);
      for (std::size_t k = 0; k < n; ++k) {
        if (is_missing(k)) continue;
        const std::string_view s = sv[index(k)];
        if (!s.empty()) std::memcpy(bytes.data() + offsets[k], s.data(), s.size());
      }
      return column::unchecked(c.type(), n, std::move(vb), buffer(std::move(offsets)),
                               buffer(std::move(bytes)));
    };
    if (id == type_id::string) return run(std::type_identity<std::int32_t>{});
    return run(std::type_identity<std::int64_t>{});
  }
  return visit_physical(id == type_id::dictionary ? type_id::int32 : id,
                        [&]<class T>(std::type_identity<T>) -> column {
                          if constexpr (column_number<T>) {
                            const T* src = c.view<T>().data;
                            aligned_buffer<T> out(n, tessera::uninitialized);
                            // Independent writes: parallel (the callables only read).
                            parallel_for_chunks(
                                std::size_t{0}, n,
                                [&](std::size_t b, std::size_t e) {
                                  for (std::size_t k = b; k < e; ++k)
                                    out[k] = is_missing(k) ? T{} : src[index(k)];
                                },
                                std::size_t{1} << 16);
                            return column::unchecked(c.type(), n, std::move(vb),
                                                     buffer(std::move(out)), {}, c.dictionary());
                          } else {
                            return column();
                          }
                        });
}

/// Total bytes the gathered rows of a string column would hold (to choose or refuse int32
/// offsets before building).
template <class IndexFn>
std::size_t gathered_bytes(const column& c, std::size_t n, IndexFn index) {
  if (c.id() != type_id::string && c.id() != type_id::large_string) return 0;
  std::size_t total = 0;
  for (std::size_t k = 0; k < n; ++k) total += c.string_at(index(k)).size();
  return total;
}

} // namespace detail
TESSERA_NAMESPACE_END
