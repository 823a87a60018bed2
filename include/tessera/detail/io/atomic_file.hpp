// tessera internals: files written whole or not at all (a temporary file renamed over the
// target), shared by every writer of files.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#define TESSERA_DETAIL_POSIX_FILES 1
#else
#define TESSERA_DETAIL_POSIX_FILES 0
#endif

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// An io_error naming `file`, with errno's text.
inline error io_failure(const std::string& file, const std::string& what) {
  location where;
  where.file = file;
  return error(errc::io_error, what + ": " + std::strerror(errno), std::move(where));
}

/// A temporary file beside `target` that becomes `target` on commit(): write, fsync, rename,
/// fsync the directory. Destroyed uncommitted, it removes the temporary file. Readers of
/// `target` see the old file or the complete new one, never a mixture.
///
/// A writer holds an exclusive flock() on its temporary file while it lives; the kernel drops
/// the lock when the process dies, however it dies. create() removes the temporary files of
/// `target` that nobody holds and that have not been written for `stale_after`, so the leftovers
/// of killed writers do not pile up, and a live writer's file is never touched.
class atomic_file {
public:
  atomic_file() = default;
  atomic_file(atomic_file&& o) noexcept
      : target_(std::move(o.target_)), temp_(std::move(o.temp_)), fd_(std::exchange(o.fd_, -1)),
        out_(std::move(o.out_)), written_(o.written_) {}
  atomic_file& operator=(atomic_file&& o) noexcept {
    if (this != &o) {
      abandon();
      target_ = std::move(o.target_);
      temp_ = std::move(o.temp_);
      fd_ = std::exchange(o.fd_, -1);
      out_ = std::move(o.out_);
      written_ = o.written_;
    }
    return *this;
  }
  ~atomic_file() { abandon(); }

  static expected<atomic_file> create(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    atomic_file f;
    f.target_ = target;
    std::string name = target.filename().string() + ".tmp";
#if TESSERA_DETAIL_POSIX_FILES
    name += "." + std::to_string(::getpid());
#endif
    name += "." + std::to_string(counter.fetch_add(1));
    f.temp_ = target.parent_path() / name;
#if TESSERA_DETAIL_POSIX_FILES
    remove_stale_temporaries(target);
    f.fd_ = ::open(f.temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f.fd_ < 0) return unexpected(io_failure(f.temp_.string(), "cannot create"));
    ::flock(f.fd_, LOCK_EX | LOCK_NB); // a new file: nobody else can hold it yet
#else
    f.out_ = std::make_unique<std::ofstream>(f.temp_, std::ios::binary | std::ios::trunc);
    if (!*f.out_) return unexpected(io_failure(f.temp_.string(), "cannot create"));
#endif
    return f;
  }

  [[nodiscard]] std::uint64_t position() const noexcept {
    return written_;
  }

  expected<void> write(const void* data, std::size_t size) {
    const auto* p = static_cast<const char*>(data);
#if TESSERA_DETAIL_POSIX_FILES
    std::size_t done = 0;
    while (done < size) {
      const ::ssize_t n = ::write(fd_, p + done, size - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return unexpected(io_failure(temp_.string(), "write failed"));
      }
      done += static_cast<std::size_t>(n);
    }
#else
    out_->write(p, static_cast<std::streamsize>(size));
    if (!*out_) return unexpected(io_failure(temp_.string(), "write failed"));
#endif
    written_ += size;
    return {};
  }

  /// Flushes, syncs and renames over the target. `sync` false skips the fsyncs (faster; the
  /// rename stays atomic for readers but a power cut may lose the new file).
  expected<void> commit(bool sync = true) {
#if TESSERA_DETAIL_POSIX_FILES
    if (sync && ::fsync(fd_) != 0) return unexpected(io_failure(temp_.string(), "fsync failed"));
    if (::close(std::exchange(fd_, -1)) != 0)
      return unexpected(io_failure(temp_.string(), "close failed"));
    if (::rename(temp_.c_str(), target_.c_str()) != 0)
      return unexpected(io_failure(target_.string(), "rename failed"));
    temp_.clear();
    if (sync) {
      const auto dir =
          target_.parent_path().empty() ? std::filesystem::path(".") : target_.parent_path();
      const int dfd = ::open(dir.c_str(), O_RDONLY | O_CLOEXEC);
      if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
      }
    }
#else
    (void)sync;
    out_->flush();
    if (!*out_) return unexpected(io_failure(temp_.string(), "flush failed"));
    out_.reset();
    std::error_code ec;
    std::filesystem::rename(temp_, target_, ec);
    if (ec) return unexpected(io_failure(target_.string(), "rename failed"));
    temp_.clear();
#endif
    return {};
  }

  static constexpr int stale_after_seconds = 60;

private:
#if TESSERA_DETAIL_POSIX_FILES
  // Best effort: a file that cannot be inspected, locked or removed is left alone.
  static void remove_stale_temporaries(const std::filesystem::path& target) noexcept {
    try {
      const std::string prefix = target.filename().string() + ".tmp.";
      const auto dir =
          target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
      std::error_code ec;
      for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
           it.increment(ec)) {
        const auto& p = it->path();
        if (p.filename().string().rfind(prefix, 0) != 0) continue;
        struct ::stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
            ::time(nullptr) - st.st_mtime < stale_after_seconds)
          continue;
        const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(p.c_str()); // its writer is gone
        ::close(fd);
      }
    } catch (...) { // allocation failure while listing: nothing to clean up then
    }
  }
#endif

  void abandon() noexcept {
#if TESSERA_DETAIL_POSIX_FILES
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
#endif
    out_.reset();
    if (!temp_.empty()) {
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
      temp_.clear();
    }
  }

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  std::unique_ptr<std::ofstream> out_;
  std::uint64_t written_ = 0;
};

} // namespace detail
TESSERA_NAMESPACE_END
