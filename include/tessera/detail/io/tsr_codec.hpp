// tessera internals of the .tsr format: little-endian byte packing, bounds-checked cursors,
// XXH3 checksums, block bit-packing (frame of reference and delta), zstd wrappers, and the
// file primitives (mmap, atomic replace). See docs/format.md for the byte layout.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <zstd.h>

// XXH3 is used header-only (every function inline, static): no library to link, and no symbol
// clashes with another copy of xxhash in the program.
#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#define TESSERA_DETAIL_UNDEF_XXH_INLINE_ALL
#endif
#include <xxhash.h>
#ifdef TESSERA_DETAIL_UNDEF_XXH_INLINE_ALL
#undef XXH_INLINE_ALL
#undef TESSERA_DETAIL_UNDEF_XXH_INLINE_ALL
#endif

static_assert(std::endian::native == std::endian::little,
              "the .tsr reader and writer assume a little-endian host");

TESSERA_NAMESPACE_BEGIN
namespace detail::tsr {

/// XXH3-64 of a byte range (seed 0).
[[nodiscard]] inline std::uint64_t checksum(const void* data, std::size_t size) noexcept {
  return XXH3_64bits(data, size);
}

/// Appends little-endian values to a byte vector.
class byte_writer {
public:
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void put(T v) {
    const auto n = out_.size();
    out_.resize(n + sizeof(T));
    std::memcpy(out_.data() + n, &v, sizeof(T));
  }
  void u8(std::uint8_t v) { put(v); }
  void u32(std::uint32_t v) { put(v); }
  void u64(std::uint64_t v) { put(v); }
  void bytes(const void* p, std::size_t n) {
    const auto at = out_.size();
    out_.resize(at + n);
    if (n != 0) std::memcpy(out_.data() + at, p, n);
  }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
  [[nodiscard]] std::vector<std::byte>& data() noexcept { return out_; }

private:
  std::vector<std::byte> out_;
};

/// Reads little-endian values from a byte range; every read is bounds-checked and a failed read
/// leaves the cursor failed (all later reads fail too), so parsers check once per record.
class byte_reader {
public:
  byte_reader(const std::byte* p, std::size_t n) noexcept : p_(p), n_(n) {}
  template <class T>
  requires std::is_trivially_copyable_v<T>
  bool get(T& v) noexcept {
    if (failed_ || n_ - pos_ < sizeof(T)) return fail();
    std::memcpy(&v, p_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool str(std::string& s, std::size_t max_len = std::size_t{1} << 30) {
    std::uint32_t len = 0;
    if (!get(len) || len > max_len || n_ - pos_ < len) return fail();
    s.assign(reinterpret_cast<const char*>(p_ + pos_), len);
    pos_ += len;
    return true;
  }
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  [[nodiscard]] std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return n_ - pos_; }

private:
  bool fail() noexcept {
    failed_ = true;
    return false;
  }
  const std::byte* p_;
  std::size_t n_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// ---------------------------------------------------------------------------------------------
// Block bit-packing. Integers are widened to uint64 (signed ones with the sign bit flipped, which
// preserves order). A delta stream starts with `u64 first`; deltas are v[i] - v[i-1] with
// v[-1] = first. Values (frame of reference) or deltas are cut into blocks of 1024; each block
// is `u64 base, u8 width, ceil(count * width / 8) bytes` with (x - base) packed LSB-first, base
// being the block minimum (the minimum *signed* delta for deltas, so decreasing runs stay
// narrow).

inline constexpr std::size_t block_values = 1024;

[[nodiscard]] inline std::size_t packed_bytes(std::size_t count, unsigned width) noexcept {
  return (count * width + 7) / 8;
}

/// Appends `count` values of `width` bits (0..64) LSB-first.
inline void pack_bits(const std::uint64_t* v, std::size_t count, unsigned width,
                      std::byte* out) noexcept {
  if (width == 0) return;
  std::uint64_t acc = 0;
  unsigned filled = 0;
  std::size_t o = 0;
  const std::uint64_t mask = width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t x = v[i] & mask;
    acc |= x << filled;
    if (filled + width >= 64) {
      std::memcpy(out + o, &acc, 8);
      o += 8;
      const unsigned used = 64 - filled;
      acc = used == 64 ? 0 : x >> used;
      filled = filled + width - 64;
    } else {
      filled += width;
    }
  }
  const std::size_t tail = (filled + 7) / 8;
  std::memcpy(out + o, &acc, tail);
}

/// Reads `count` values of `width` bits. Precondition: `in` holds packed_bytes(count, width).
inline void unpack_bits(const std::byte* in, std::size_t count, unsigned width,
                        std::uint64_t* v) noexcept {
  if (width == 0) {
    std::fill(v, v + count, std::uint64_t{0});
    return;
  }
  const std::uint64_t mask = width == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
  const std::size_t total = packed_bytes(count, width);
  std::size_t bit = 0;
  for (std::size_t i = 0; i < count; ++i, bit += width) {
    const std::size_t byte = bit / 8;
    const unsigned shift = static_cast<unsigned>(bit % 8);
    // Load up to 9 bytes covering [bit, bit + width) without reading past `total`.
    std::uint64_t lo = 0;
    if (total - byte >= 8)
      std::memcpy(&lo, in + byte, 8);
    else
      std::memcpy(&lo, in + byte, total - byte);
    std::uint64_t x = lo >> shift;
    if (shift + width > 64) {
      std::uint8_t hi = 0;
      std::memcpy(&hi, in + byte + 8, 1);
      x |= static_cast<std::uint64_t>(hi) << (64 - shift);
    }
    v[i] = x & mask;
  }
}

[[nodiscard]] inline unsigned bits_needed(std::uint64_t x) noexcept {
  return static_cast<unsigned>(std::bit_width(x));
}

/// Size in bytes of the block-packed form of `v` (delta or frame of reference).
[[nodiscard]] inline std::size_t packed_size(std::span<const std::uint64_t> v, bool delta) {
  std::size_t total = delta && !v.empty() ? 8 : 0;
  std::uint64_t prev = v.empty() ? 0 : v[0];
  for (std::size_t b = 0; b < v.size(); b += block_values) {
    const std::size_t n = std::min(block_values, v.size() - b);
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    std::uint64_t ulo = std::numeric_limits<std::uint64_t>::max(), uhi = 0;
    for (std::size_t i = b; i < b + n; ++i) {
      if (delta) {
        const auto d = static_cast<std::int64_t>(v[i] - prev);
        prev = v[i];
        lo = std::min(lo, d);
        hi = std::max(hi, d);
      } else {
        ulo = std::min(ulo, v[i]);
        uhi = std::max(uhi, v[i]);
      }
    }
    const std::uint64_t range =
        delta ? static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) : uhi - ulo;
    total += 9 + packed_bytes(n, bits_needed(range));
  }
  return total;
}

/// Block-packs `v` (see above).
[[nodiscard]] inline std::vector<std::byte> pack(std::span<const std::uint64_t> v, bool delta) {
  std::vector<std::byte> out(packed_size(v, delta));
  std::vector<std::uint64_t> tmp(std::min(block_values, v.size()));
  std::size_t o = 0;
  std::uint64_t prev = v.empty() ? 0 : v[0];
  if (delta && !v.empty()) {
    std::memcpy(out.data(), &prev, 8);
    o = 8;
  }
  for (std::size_t b = 0; b < v.size(); b += block_values) {
    const std::size_t n = std::min(block_values, v.size() - b);
    std::uint64_t base = 0;
    if (delta) {
      std::int64_t lo = std::numeric_limits<std::int64_t>::max();
      for (std::size_t i = 0; i < n; ++i) {
        tmp[i] = v[b + i] - prev;
        prev = v[b + i];
        lo = std::min(lo, static_cast<std::int64_t>(tmp[i]));
      }
      base = static_cast<std::uint64_t>(lo);
    } else {
      base = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(b),
                               v.begin() + static_cast<std::ptrdiff_t>(b + n));
      std::copy_n(v.begin() + static_cast<std::ptrdiff_t>(b), n, tmp.begin());
    }
    std::uint64_t range = 0;
    for (std::size_t i = 0; i < n; ++i) {
      tmp[i] -= base;
      range = std::max(range, tmp[i]);
    }
    const unsigned width = bits_needed(range);
    std::memcpy(out.data() + o, &base, 8);
    out[o + 8] = static_cast<std::byte>(width);
    o += 9;
    pack_bits(tmp.data(), n, width, out.data() + o);
    o += packed_bytes(n, width);
  }
  return out;
}

/// Decodes `count` block-packed values into `out`, undoing the widening (the sign bit of signed
/// T flipped back). Errors (as text) when the stream's size does not match its block headers
/// exactly or a width exceeds 64.
template <class T>
[[nodiscard]] expected<void> unpack(std::span<const std::byte> in, std::size_t count, bool delta,
                                    T* out) {
  static_assert(std::is_integral_v<T>);
  constexpr std::uint64_t flip = std::is_signed_v<T> ? std::uint64_t{1} << 63 : 0;
  std::uint64_t v[block_values];
  std::size_t o = 0;
  std::uint64_t prev = 0;
  if (delta && count > 0) {
    if (in.size() < 8) return make_error(errc::corrupt_data, "delta stream shorter than 8 bytes");
    std::memcpy(&prev, in.data(), 8);
    o = 8;
  }
  for (std::size_t b = 0; b < count; b += block_values) {
    const std::size_t n = std::min(block_values, count - b);
    if (in.size() - o < 9)
      return make_error(errc::corrupt_data, "bit-packed block header " +
                                                std::to_string(b / block_values) +
                                                " runs past the end of the stream");
    std::uint64_t base = 0;
    std::memcpy(&base, in.data() + o, 8);
    const auto width = static_cast<unsigned>(in[o + 8]);
    o += 9;
    if (width > 64)
      return make_error(errc::corrupt_data, "bit width " + std::to_string(width) + " > 64");
    const std::size_t bytes = packed_bytes(n, width);
    if (in.size() - o < bytes)
      return make_error(errc::corrupt_data, "bit-packed block " + std::to_string(b / block_values) +
                                                " runs past the end of the stream");
    unpack_bits(in.data() + o, n, width, v);
    o += bytes;
    T* dst = out + b;
    if (delta) {
      for (std::size_t i = 0; i < n; ++i) {
        prev += v[i] + base;
        dst[i] = static_cast<T>(prev ^ flip);
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<T>((v[i] + base) ^ flip);
    }
  }
  if (o != in.size())
    return make_error(errc::corrupt_data,
                      "bit-packed stream has " + std::to_string(in.size() - o) + " trailing bytes");
  return {};
}

// ---------------------------------------------------------------------------------------------
// zstd

/// Compresses with zstd at `level`; the result is empty when zstd fails (never expected).
[[nodiscard]] inline std::vector<std::byte> zstd_compress(std::span<const std::byte> in,
                                                          int level) {
  std::vector<std::byte> out(ZSTD_compressBound(in.size()));
  const std::size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), level);
  if (ZSTD_isError(n)) return {};
  out.resize(n);
  return out;
}

/// Decompresses exactly `expected_size` bytes into `out`. Errors name what went wrong.
[[nodiscard]] inline expected<void> zstd_decompress(std::span<const std::byte> in, std::byte* out,
                                                    std::size_t expected_size) {
  const unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
  if (declared == ZSTD_CONTENTSIZE_ERROR) return make_error(errc::corrupt_data, "not a zstd frame");
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != expected_size)
    return make_error(errc::corrupt_data, "zstd frame declares " + std::to_string(declared) +
                                              " bytes, the footer " +
                                              std::to_string(expected_size));
  // One decompression context per thread, reused: creating one per stream costs its allocation.
  thread_local const std::unique_ptr<ZSTD_DCtx, std::size_t (*)(ZSTD_DCtx*)> context(
      ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!context) return make_error(errc::overflow, "zstd: out of memory for a context");
  const std::size_t n =
      ZSTD_decompressDCtx(context.get(), out, expected_size, in.data(), in.size());
  if (ZSTD_isError(n))
    return make_error(errc::corrupt_data, std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != expected_size)
    return make_error(errc::corrupt_data, "zstd produced " + std::to_string(n) + " bytes, " +
                                              std::to_string(expected_size) + " expected");
  return {};
}

} // namespace detail::tsr
TESSERA_NAMESPACE_END
