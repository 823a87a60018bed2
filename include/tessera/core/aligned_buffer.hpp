// tessera: a 64-byte-aligned, growable buffer of trivially copyable values.
#pragma once

#include <tessera/config.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <limits>
#include <new>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// Tag: construct an aligned_buffer without initialising its elements.
struct uninitialized_t {
  explicit uninitialized_t() = default;
};
inline constexpr uninitialized_t uninitialized{};

/// An owning, move-only array of `T` whose storage starts on a 64-byte boundary (a cache line,
/// and the alignment the Arrow columnar format recommends) and is padded with zero bytes to a
/// multiple of 64, so SIMD kernels may read whole vectors past the last element.
///
/// Growth is amortised O(1) (push_back doubles the capacity). Copying is explicit: clone().
/// Throws std::length_error when a size does not fit in memory, std::bad_alloc when allocation
/// fails.
template <class T>
requires(
    std::is_trivially_copyable_v<T>&& std::is_trivially_destructible_v<T>) class aligned_buffer {
public:
  using value_type = T;
  using size_type = std::size_t;
  using iterator = T*;
  using const_iterator = const T*;
  static constexpr std::size_t alignment = 64;

  aligned_buffer() noexcept = default;
  /// n elements, value-initialised (zero for arithmetic types).
  explicit aligned_buffer(size_type n) : aligned_buffer(n, tessera::uninitialized) {
    if (n != 0) std::memset(static_cast<void*>(data_), 0, n * sizeof(T));
  }
  /// n elements left uninitialised, for kernels that overwrite every element.
  aligned_buffer(size_type n, uninitialized_t) {
    allocate_exact(n);
    size_ = n;
  }
  /// n copies of value.
  aligned_buffer(size_type n, const T& value) : aligned_buffer(n, tessera::uninitialized) {
    std::fill_n(data_, n, value);
  }
  /// A copy of the elements of `values`.
  explicit aligned_buffer(std::span<const T> values)
      : aligned_buffer(values.size(), tessera::uninitialized) {
    if (!values.empty()) std::memcpy(static_cast<void*>(data_), values.data(), values.size_bytes());
  }

  aligned_buffer(aligned_buffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  aligned_buffer& operator=(aligned_buffer&& other) noexcept {
    if (this != &other) {
      deallocate();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  aligned_buffer(const aligned_buffer&) = delete;
  aligned_buffer& operator=(const aligned_buffer&) = delete;
  ~aligned_buffer() { deallocate(); }

  /// A deep copy.
  [[nodiscard]] aligned_buffer clone() const { return aligned_buffer(span()); }

  [[nodiscard]] T* data() noexcept { return data_; }
  [[nodiscard]] const T* data() const noexcept { return data_; }
  [[nodiscard]] size_type size() const noexcept { return size_; }
  [[nodiscard]] size_type capacity() const noexcept { return capacity_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Bytes of storage including the zero padding to a multiple of 64.
  [[nodiscard]] size_type allocated_bytes() const noexcept { return padded_bytes(capacity_); }

  /// Precondition: i < size().
  [[nodiscard]] T& operator[](size_type i) noexcept {
    TESSERA_ASSERT(i < size_, "aligned_buffer index out of range");
    return data_[i];
  }
  [[nodiscard]] const T& operator[](size_type i) const noexcept {
    TESSERA_ASSERT(i < size_, "aligned_buffer index out of range");
    return data_[i];
  }
  [[nodiscard]] T& back() noexcept { return (*this)[size_ - 1]; }
  [[nodiscard]] const T& back() const noexcept { return (*this)[size_ - 1]; }

  [[nodiscard]] iterator begin() noexcept { return data_; }
  [[nodiscard]] iterator end() noexcept { return data_ + size_; }
  [[nodiscard]] const_iterator begin() const noexcept { return data_; }
  [[nodiscard]] const_iterator end() const noexcept { return data_ + size_; }
  [[nodiscard]] std::span<T> span() noexcept { return {data_, size_}; }
  [[nodiscard]] std::span<const T> span() const noexcept { return {data_, size_}; }

  /// Makes room for n elements without changing size().
  void reserve(size_type n) {
    if (n > capacity_) reallocate(n);
  }
  /// Changes size(); new elements are zero.
  void resize(size_type n) {
    const size_type old = size_;
    resize(n, tessera::uninitialized);
    if (n > old) std::memset(static_cast<void*>(data_ + old), 0, (n - old) * sizeof(T));
  }
  /// Changes size(); new elements are uninitialised.
  void resize(size_type n, uninitialized_t) {
    reserve(n);
    size_ = n;
  }
  void push_back(const T& value) {
    if (size_ == capacity_) reallocate(grown_capacity(size_ + 1));
    data_[size_++] = value;
  }
  void clear() noexcept { size_ = 0; }
  /// Gives back spare capacity.
  void shrink_to_fit() {
    if (capacity_ != size_) reallocate(size_);
  }

  /// The largest element count whose padded byte size is representable.
  [[nodiscard]] static constexpr size_type max_size() noexcept {
    return (std::numeric_limits<size_type>::max() - alignment) / sizeof(T);
  }

private:
  static constexpr size_type padded_bytes(size_type n) noexcept {
    return (n * sizeof(T) + alignment - 1) / alignment * alignment;
  }
  static size_type grown_capacity(size_type needed) {
    if (needed > max_size()) throw std::length_error("tessera::aligned_buffer: size too large");
    return std::max(needed, std::min(max_size(), std::max<size_type>(8, needed * 2)));
  }
  void allocate_exact(size_type n) {
    if (n == 0) return;
    if (n > max_size()) throw std::length_error("tessera::aligned_buffer: size too large");
    const size_type bytes = padded_bytes(n);
    data_ = static_cast<T*>(::operator new (bytes, std::align_val_t{alignment}));
    // Zero the tail padding so whole-vector reads past size() see defined bytes.
    const size_type tail = bytes - n * sizeof(T);
    if (tail != 0) std::memset(reinterpret_cast<unsigned char*>(data_) + n * sizeof(T), 0, tail);
    capacity_ = n;
  }
  void reallocate(size_type n) {
    aligned_buffer next;
    next.allocate_exact(n);
    const size_type keep = std::min(size_, n);
    if (keep != 0) std::memcpy(static_cast<void*>(next.data_), data_, keep * sizeof(T));
    next.size_ = keep;
    *this = std::move(next);
  }
  void deallocate() noexcept {
    if (data_ != nullptr)
      ::operator delete (static_cast<void*>(data_), std::align_val_t{alignment});
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

  T* data_ = nullptr;
  size_type size_ = 0;
  size_type capacity_ = 0;
};

TESSERA_NAMESPACE_END
