// tessera internals: a read-only view of a whole file, memory-mapped where the platform allows
// (POSIX), read into memory otherwise (and for files that cannot be mapped, such as pipes).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/core/huge_pages.hpp>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define TESSERA_DETAIL_HAS_MMAP 1
#else
#define TESSERA_DETAIL_HAS_MMAP 0
#endif

TESSERA_NAMESPACE_BEGIN
namespace detail {

class mapped_file {
public:
  mapped_file() = default;
  mapped_file(mapped_file&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)),
        mapped_(std::exchange(o.mapped_, false)), copy_(std::move(o.copy_)) {
    if (!mapped_) data_ = copy_.data();
  }
  mapped_file& operator=(mapped_file&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      mapped_ = std::exchange(o.mapped_, false);
      copy_ = std::move(o.copy_);
      if (!mapped_) data_ = copy_.data();
    }
    return *this;
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  ~mapped_file() { release(); }

  /// Opens and maps `path`. Errors: io_error naming the file and the reason.
  static expected<mapped_file> open(const std::filesystem::path& path) {
    const std::string name = path.string();
    const auto fail = [&](const std::string& what) {
      location where;
      where.file = name;
      return make_error(errc::io_error, what, std::move(where));
    };
    mapped_file m;
#if TESSERA_DETAIL_HAS_MMAP
    const int fd = ::open(name.c_str(), O_RDONLY);
    if (fd < 0) return fail(std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      const auto size = static_cast<std::size_t>(st.st_size);
      if (size == 0) {
        ::close(fd);
        return m;
      }
      void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      ::close(fd);
      if (p == MAP_FAILED) return fail(std::string("cannot map: ") + std::strerror(errno));
      ::madvise(p, size, MADV_SEQUENTIAL);
      m.data_ = static_cast<const char*>(p);
      m.size_ = size;
      m.mapped_ = true;
      return m;
    }
    ::close(fd);
#endif
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(std::string("cannot open: ") + std::strerror(errno));
    m.copy_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return fail("read failed");
    m.data_ = m.copy_.data();
    m.size_ = m.copy_.size();
    return m;
  }

  [[nodiscard]] std::string_view view() const noexcept {
    return {data_, size_};
  }

private:
  void release() noexcept {
#if TESSERA_DETAIL_HAS_MMAP
    if (mapped_ && data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
#endif
    data_ = nullptr;
    size_ = 0;
    mapped_ = false;
  }

  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::string copy_;
};

} // namespace detail
TESSERA_NAMESPACE_END
