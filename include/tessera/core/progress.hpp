// tessera: progress reporting from long-running work, and a terminal progress bar.
#pragma once

#include <tessera/config.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// Called with (done, total) units of work. May be called from any thread, but never from two
/// threads at once by one progress_reporter. total is 0 when unknown.
using progress_callback = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Accumulates progress from many threads and forwards it to a callback at most once per
/// `step` units (and always at finish()), so hot loops can report cheaply.
/// An empty callback makes every call a single relaxed atomic add.
class progress_reporter {
public:
  progress_reporter() = default;
  /// step 0 picks total / 1000 (at least 1).
  progress_reporter(progress_callback callback, std::uint64_t total, std::uint64_t step = 0)
      : callback_(std::move(callback)), total_(total),
        step_(step != 0 ? step : std::max<std::uint64_t>(1, total / 1000)), next_(step_) {}

  progress_reporter(const progress_reporter&) = delete;
  progress_reporter& operator=(const progress_reporter&) = delete;

  /// Adds n units of work done.
  void advance(std::uint64_t n = 1) {
    const std::uint64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
    if (!callback_ || done < next_.load(std::memory_order_relaxed)) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return; // another thread is reporting; it will see our units later
    const std::uint64_t now = done_.load(std::memory_order_relaxed);
    next_.store(now + step_, std::memory_order_relaxed);
    callback_(total_ != 0 ? std::min(now, total_) : now, total_);
  }
  /// Reports the final state once: (total, total), or (done, 0) when the total is unknown.
  void finish() {
    if (!callback_ || finished_.exchange(true)) return;
    std::lock_guard lock(mutex_);
    const std::uint64_t done = done_.load(std::memory_order_relaxed);
    callback_(total_ != 0 ? total_ : done, total_);
  }
  [[nodiscard]] std::uint64_t done() const noexcept {
    return done_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }

private:
  progress_callback callback_;
  std::uint64_t total_ = 0;
  std::uint64_t step_ = 1;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> next_{1};
  std::atomic<bool> finished_{false};
  std::mutex mutex_;
};

/// A progress display for a terminal: on an interactive stream a bar redrawn in place with
/// `\r` at most every `min_interval`; otherwise one plain line per quarter of the work, so logs
/// stay readable. Usable as a progress_callback through as_callback().
class progress_bar {
public:
  progress_bar(std::ostream& out, std::string label, bool interactive,
               std::chrono::milliseconds min_interval = std::chrono::milliseconds(100))
      : out_(&out), label_(std::move(label)), interactive_(interactive),
        min_interval_(min_interval), start_(std::chrono::steady_clock::now()) {}

  /// Shows (done, total); total 0 shows a count without a bar.
  void update(std::uint64_t done, std::uint64_t total) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const bool complete = total != 0 && done >= total;
    if (interactive_) {
      if (!complete && drawn_ && now - last_draw_ < min_interval_) return;
      *out_ << '\r' << render(done, total, now) << (complete ? "\n" : "") << std::flush;
      drawn_ = !complete;
    } else {
      const int quarter =
          total == 0 ? 0 : static_cast<int>(std::min<std::uint64_t>(4, done * 4 / total));
      if (quarter <= last_quarter_) return;
      last_quarter_ = quarter;
      *out_ << render(done, total, now) << '\n' << std::flush;
    }
    last_draw_ = now;
  }
  /// Ends a bar left half drawn (work stopped early), so the next output starts on a new line.
  void close() {
    std::lock_guard lock(mutex_);
    if (interactive_ && drawn_) *out_ << '\n' << std::flush;
    drawn_ = false;
  }
  /// A callback that forwards to this bar; the bar must outlive it.
  [[nodiscard]] progress_callback as_callback() {
    return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
  }

  /// The text of one update, without control characters: "label [=====>    ]  45% 45/100 1.2s".
  [[nodiscard]] std::string render(std::uint64_t done, std::uint64_t total,
                                   std::chrono::steady_clock::time_point now) const {
    constexpr int width = 30;
    std::string s = label_;
    if (total != 0) {
      const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
      const int filled = static_cast<int>(fraction * width);
      s += " [";
      s.append(static_cast<std::size_t>(filled), '=');
      if (filled < width) {
        s += '>';
        s.append(static_cast<std::size_t>(width - filled - 1), ' ');
      }
      s += "] ";
      const int percent = static_cast<int>(fraction * 100.0);
      s += (percent < 10 ? "  " : percent < 100 ? " " : "") + std::to_string(percent) + "% ";
      s += std::to_string(done) + "/" + std::to_string(total);
    } else {
      s += " " + std::to_string(done);
    }
    const auto tenths =
        std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count() / 100;
    s += " " + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "s";
    return s;
  }

private:
  std::ostream* out_;
  std::string label_;
  bool interactive_;
  std::chrono::milliseconds min_interval_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
  int last_quarter_ = 0;
  std::mutex mutex_;
};

TESSERA_NAMESPACE_END
