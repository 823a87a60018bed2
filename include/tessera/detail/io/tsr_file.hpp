// tessera internals of the .tsr format: the file under the reader (a shared read-only mapping).
// The writer's file is a detail::atomic_file (atomic_file.hpp).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/io/atomic_file.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#if TESSERA_DETAIL_POSIX_FILES
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

TESSERA_NAMESPACE_BEGIN
namespace detail::tsr {

/// The bytes of a whole file: mapped read-only where possible (so pages of unread column chunks
/// are never read from disk), read into memory otherwise. Shared by every zero-copy column.
class file_bytes {
public:
  file_bytes() = default;
  file_bytes(const file_bytes&) = delete;
  file_bytes& operator=(const file_bytes&) = delete;
  ~file_bytes() {
#if TESSERA_DETAIL_POSIX_FILES
    if (mapped_) ::munmap(const_cast<std::byte*>(data_), size_);
#endif
  }

  static expected<std::shared_ptr<const file_bytes>> open(const std::filesystem::path& path,
                                                          bool use_mmap = true) {
    auto f = std::make_shared<file_bytes>();
    const std::string name = path.string();
#if TESSERA_DETAIL_POSIX_FILES
    if (use_mmap) {
      const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return unexpected(io_failure(name, "cannot open"));
      struct stat st {};
      if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        const auto size = static_cast<std::size_t>(st.st_size);
        void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        ::close(fd);
        if (p == MAP_FAILED) return unexpected(io_failure(name, "cannot map"));
        f->data_ = static_cast<const std::byte*>(p);
        f->size_ = size;
        f->mapped_ = true;
        return std::shared_ptr<const file_bytes>(std::move(f));
      }
      ::close(fd);
    }
#else
    (void)use_mmap;
#endif
    std::ifstream in(path, std::ios::binary);
    if (!in) return unexpected(io_failure(name, "cannot open"));
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return unexpected(io_failure(name, "read failed"));
    return copy_of(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size());
  }

  /// A 64-byte aligned copy of bytes in memory (for in-memory files and fuzzing).
  static std::shared_ptr<const file_bytes> copy_of(const std::byte* data, std::size_t size) {
    auto f = std::make_shared<file_bytes>();
    f->copy_ = aligned_buffer<std::byte>(size, tessera::uninitialized);
    if (size != 0) std::memcpy(f->copy_.data(), data, size);
    f->data_ = f->copy_.data();
    f->size_ = size;
    return f;
  }

  [[nodiscard]] const std::byte* data() const noexcept {
    return data_;
  }
  [[nodiscard]] std::size_t size() const noexcept {
    return size_;
  }
  [[nodiscard]] bool mapped() const noexcept {
    return mapped_;
  }

private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  aligned_buffer<std::byte> copy_;
};

} // namespace detail::tsr
TESSERA_NAMESPACE_END
