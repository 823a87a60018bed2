// tessera: an immutable, shared, type-erased byte buffer: the storage under every column.
//
// Needs only the standard library.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// Immutable bytes shared by every column (and slice of a column) that refers to them.
///
/// A buffer is a pointer, a size in bytes and an owner that keeps the bytes alive: an
/// aligned_buffer or bitmap moved in (64-byte aligned, zero-padded to 64 bytes), or any foreign
/// owner (for example an imported Arrow array's release callback). Copying a buffer shares the
/// bytes; it never copies them. An empty buffer has data() == nullptr and size() == 0.
class buffer {
public:
  buffer() noexcept = default;

  /// Takes ownership of an aligned_buffer's storage without copying. size() counts the elements'
  /// bytes, not the padding.
  template <class T>
  explicit buffer(aligned_buffer<T>&& values)
      : buffer(adopt(std::move(values), [](const aligned_buffer<T>& b) {
          return std::pair{static_cast<const void*>(b.data()), b.size() * sizeof(T)};
        })) {}

  /// Takes ownership of a bitmap's storage without copying. size() is size_bytes().
  explicit buffer(bitmap&& bits)
      : buffer(adopt(std::move(bits), [](const bitmap& b) {
          return std::pair{static_cast<const void*>(b.data()), b.size_bytes()};
        })) {}

  /// Refers to `size` bytes at `data`, kept alive by `owner` (may be null when the caller
  /// guarantees the bytes outlive every copy of the buffer, e.g. static data).
  buffer(const void* data, std::size_t size, std::shared_ptr<const void> owner) noexcept
      : owner_(std::move(owner)), data_(static_cast<const std::byte*>(data)), size_(size) {}

  [[nodiscard]] const std::byte* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// The bytes as `T`s (size() / sizeof(T) of them). Precondition: data() is suitably aligned
  /// for T (always true for buffers made from aligned_buffer; imports check it).
  template <class T>
  [[nodiscard]] std::span<const T> as() const noexcept {
    static_assert(std::is_trivially_copyable_v<T>);
    TESSERA_ASSERT(reinterpret_cast<std::uintptr_t>(data_) % alignof(T) == 0,
                   "buffer is not aligned for this type");
    return {reinterpret_cast<const T*>(data_), size_ / sizeof(T)};
  }
  /// The object keeping the bytes alive (shared by copies).
  [[nodiscard]] const std::shared_ptr<const void>& owner() const noexcept { return owner_; }

private:
  template <class Owner, class Describe>
  static buffer adopt(Owner&& o, Describe describe) {
    auto holder = std::make_shared<const std::remove_cvref_t<Owner>>(std::forward<Owner>(o));
    auto [data, size] = describe(*holder);
    return buffer(data, size, std::shared_ptr<const void>(std::move(holder)));
  }

  std::shared_ptr<const void> owner_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

TESSERA_NAMESPACE_END
