// tessera: validity bitmaps in Arrow bit order (bit i is bit i % 8 of byte i / 8).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

static_assert(std::endian::native == std::endian::little,
              "tessera's bitmaps share their bytes with Arrow and assume a little-endian machine");

TESSERA_NAMESPACE_BEGIN

namespace detail {
/// Loads the 64 bits that start at byte p, whatever its alignment.
inline std::uint64_t load_word(const std::uint8_t* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

/// Number of set bits among bits [offset, offset + length) of the little-endian bitmap at data.
inline std::size_t count_set_bits(const std::uint8_t* data, std::size_t offset,
                                  std::size_t length) noexcept {
  std::size_t count = 0;
  std::size_t i = offset;
  const std::size_t end = offset + length;
  const auto bit = [data](std::size_t k) -> std::size_t {
    return (static_cast<unsigned>(data[k / 8]) >> (k % 8)) & 1u;
  };
  for (; i < end && i % 8 != 0; ++i) count += bit(i);
  for (; i + 64 <= end; i += 64)
    count += static_cast<std::size_t>(std::popcount(load_word(data + i / 8)));
  for (; i + 8 <= end; i += 8) count += static_cast<std::size_t>(std::popcount(data[i / 8]));
  for (; i < end; ++i) count += bit(i);
  return count;
}
} // namespace detail

/// A read-only window of `size()` bits starting `offset()` bits into a byte array.
/// Slicing is O(1); the bytes must outlive the view.
class bitmap_view {
public:
  constexpr bitmap_view() noexcept = default;
  constexpr bitmap_view(const std::uint8_t* data, std::size_t offset, std::size_t size) noexcept
      : data_(data), offset_(offset), size_(size) {}

  [[nodiscard]] constexpr const std::uint8_t* data() const noexcept { return data_; }
  [[nodiscard]] constexpr std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }

  /// Precondition: i < size().
  [[nodiscard]] bool operator[](std::size_t i) const noexcept {
    TESSERA_ASSERT(i < size_, "bitmap_view index out of range");
    const std::size_t k = offset_ + i;
    return ((data_[k / 8] >> (k % 8)) & 1) != 0;
  }
  /// Set bits in the window. O(size / 64).
  [[nodiscard]] std::size_t count() const noexcept {
    return detail::count_set_bits(data_, offset_, size_);
  }
  /// Bits [first, first + length). Precondition: first + length <= size().
  [[nodiscard]] bitmap_view slice(std::size_t first, std::size_t length) const noexcept {
    TESSERA_ASSERT(first <= size_ && length <= size_ - first, "bitmap_view slice out of range");
    return {data_, offset_ + first, length};
  }

private:
  const std::uint8_t* data_ = nullptr;
  std::size_t offset_ = 0;
  std::size_t size_ = 0;
};

/// An owning bitmap of `size()` bits in 64-byte-aligned storage; the bits past size() are kept
/// zero, so whole-word operations and counts need no masking.
class bitmap {
public:
  bitmap() noexcept = default;
  /// n bits, all equal to value.
  explicit bitmap(std::size_t n, bool value = false) : words_(word_count(n)), size_(n) {
    if (value) set_all();
  }

  bitmap(bitmap&&) noexcept = default;
  bitmap& operator=(bitmap&&) noexcept = default;
  bitmap(const bitmap& other) : words_(other.words_.clone()), size_(other.size_) {}
  bitmap& operator=(const bitmap& other) {
    if (this != &other) *this = bitmap(other);
    return *this;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// The bytes, in Arrow order: ceil(size / 8) meaningful bytes, zero-padded to 64.
  [[nodiscard]] const std::uint8_t* data() const noexcept {
    return reinterpret_cast<const std::uint8_t*>(words_.data());
  }
  [[nodiscard]] std::uint8_t* data() noexcept {
    return reinterpret_cast<std::uint8_t*>(words_.data());
  }
  /// The bits as 64-bit little-endian words; bits past size() are zero.
  [[nodiscard]] std::span<const std::uint64_t> words() const noexcept { return words_.span(); }
  [[nodiscard]] std::span<std::uint64_t> words() noexcept { return words_.span(); }
  [[nodiscard]] std::size_t size_bytes() const noexcept { return (size_ + 7) / 8; }

  [[nodiscard]] bitmap_view view() const noexcept { return {data(), 0, size_}; }
  operator bitmap_view() const noexcept { return view(); }

  /// Precondition: i < size().
  [[nodiscard]] bool operator[](std::size_t i) const noexcept {
    TESSERA_ASSERT(i < size_, "bitmap index out of range");
    return ((words_[i / 64] >> (i % 64)) & 1u) != 0;
  }
  void set(std::size_t i) noexcept {
    TESSERA_ASSERT(i < size_, "bitmap index out of range");
    words_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  void reset(std::size_t i) noexcept {
    TESSERA_ASSERT(i < size_, "bitmap index out of range");
    words_[i / 64] &= ~(std::uint64_t{1} << (i % 64));
  }
  void assign(std::size_t i, bool value) noexcept { value ? set(i) : reset(i); }
  void set_all() noexcept {
    for (auto& w : words_) w = ~std::uint64_t{0};
    clear_tail();
  }
  void reset_all() noexcept {
    for (auto& w : words_) w = 0;
  }
  /// Appends one bit. Amortised O(1).
  void push_back(bool value) {
    if (size_ % 64 == 0) words_.push_back(0);
    ++size_;
    assign(size_ - 1, value);
  }
  /// Changes size(); new bits equal value.
  void resize(std::size_t n, bool value = false) {
    const std::size_t old = size_;
    words_.resize(word_count(n));
    size_ = n;
    clear_tail();
    if (value)
      for (std::size_t i = old; i < n; ++i) set(i);
  }

  /// Set bits. O(size / 64).
  [[nodiscard]] std::size_t count() const noexcept {
    std::size_t c = 0;
    for (auto w : words_) c += static_cast<std::size_t>(std::popcount(w));
    return c;
  }
  [[nodiscard]] bool all() const noexcept { return count() == size_; }
  [[nodiscard]] bool none() const noexcept { return count() == 0; }

  /// Element-wise operations; precondition: equal sizes.
  bitmap& operator&=(const bitmap& o) noexcept {
    return combine(o, [](auto a, auto b) { return a & b; });
  }
  bitmap& operator|=(const bitmap& o) noexcept {
    return combine(o, [](auto a, auto b) { return a | b; });
  }
  bitmap& operator^=(const bitmap& o) noexcept {
    return combine(o, [](auto a, auto b) { return a ^ b; });
  }
  /// Inverts every bit in place.
  bitmap& flip() noexcept {
    for (auto& w : words_) w = ~w;
    clear_tail();
    return *this;
  }
  friend bitmap operator&(bitmap a, const bitmap& b) noexcept { return a &= b; }
  friend bitmap operator|(bitmap a, const bitmap& b) noexcept { return a |= b; }
  friend bitmap operator^(bitmap a, const bitmap& b) noexcept { return a ^= b; }
  friend bitmap operator~(bitmap a) noexcept { return a.flip(), a; }
  friend bool operator==(const bitmap& a, const bitmap& b) noexcept {
    if (a.size_ != b.size_) return false;
    for (std::size_t i = 0; i < a.words_.size(); ++i)
      if (a.words_[i] != b.words_[i]) return false;
    return true;
  }

  /// Copies bits [offset, offset + n) of any little-endian bitmap into a new, offset-0 bitmap.
  [[nodiscard]] static bitmap copy_of(bitmap_view v) {
    bitmap out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v[i]) out.set(i);
    return out;
  }

private:
  static std::size_t word_count(std::size_t bits) noexcept { return bits / 64 + (bits % 64 != 0); }
  void clear_tail() noexcept {
    if (size_ % 64 != 0) words_[size_ / 64] &= (std::uint64_t{1} << (size_ % 64)) - 1;
  }
  template <class Op>
  bitmap& combine(const bitmap& o, Op op) noexcept {
    TESSERA_ASSERT(size_ == o.size_, "bitmap sizes differ");
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] = op(words_[i], o.words_[i]);
    return *this;
  }

  aligned_buffer<std::uint64_t> words_;
  std::size_t size_ = 0;
};

TESSERA_NAMESPACE_END
