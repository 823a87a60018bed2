// tessera: the clocks the executor reads and sets timers on: a real one, and a manual one for
// tests and simulations (no test ever sleeps).
#pragma once

#include <tessera/config.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

TESSERA_NAMESPACE_BEGIN
namespace exec {

/// A monotonic clock with one-shot timers. The executor measures durations, computes deadlines
/// and waits out retry back-off only through this interface. Implementations are thread-safe.
class clock {
public:
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<std::chrono::steady_clock, duration>;
  using timer_id = std::uint64_t;

  clock() = default;
  clock(const clock&) = delete;
  clock& operator=(const clock&) = delete;
  virtual ~clock() = default;

  [[nodiscard]] virtual time_point now() const = 0;
  /// Calls fn() once, on some thread, at or after `when`, unless cancel() succeeds first.
  /// fn must not throw and must not call back into this clock's call_at/cancel synchronously
  /// in a way that waits for itself.
  virtual timer_id call_at(time_point when, std::function<void()> fn) = 0;
  /// true: fn will never be called. false: it ran, is running, or the id is unknown.
  virtual bool cancel(timer_id id) = 0;
  /// Called by an executor whose only outstanding work is waiting for timers. A virtual clock
  /// jumps to the earliest timer, fires it and returns true; a real clock returns false (its own
  /// thread fires timers when they are due).
  virtual bool advance_idle() { return false; }
  /// True if time moves only when advanced (the executor then calls advance_idle when idle).
  [[nodiscard]] virtual bool is_virtual() const noexcept { return false; }
};

/// std::chrono::steady_clock with timers fired by one internal thread, started on first use.
class real_clock final : public clock {
public:
  real_clock() = default;
  ~real_clock() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  [[nodiscard]] time_point now() const override {
    return std::chrono::time_point_cast<duration>(std::chrono::steady_clock::now());
  }

  timer_id call_at(time_point when, std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    const timer_id id = ++next_id_;
    timers_.emplace(std::pair{when, id}, std::move(fn));
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    cv_.notify_all();
    return id;
  }

  bool cancel(timer_id id) override {
    std::lock_guard lock(mutex_);
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return true;
      }
    }
    return false;
  }

private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (timers_.empty()) {
        cv_.wait(lock);
        continue;
      }
      const auto due = timers_.begin()->first.first;
      if (now() < due) {
        cv_.wait_until(lock, due);
        continue;
      }
      auto fn = std::move(timers_.begin()->second);
      timers_.erase(timers_.begin());
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::pair<time_point, timer_id>, std::function<void()>> timers_;
  timer_id next_id_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

/// A clock that moves only when told to: by advance(), or by an executor that is idle except
/// for timers (advance_idle). Timers fire, in deadline order, on the thread that advances time,
/// with now() equal to their deadline. Deterministic: runs take no real time.
class manual_clock final : public clock {
public:
  explicit manual_clock(time_point start = time_point{}) : now_(start) {}

  [[nodiscard]] time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  timer_id call_at(time_point when, std::function<void()> fn) override {
    std::lock_guard lock(mutex_);
    const timer_id id = ++next_id_;
    timers_.emplace(std::pair{when, id}, std::move(fn));
    return id;
  }

  bool cancel(timer_id id) override {
    std::lock_guard lock(mutex_);
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return true;
      }
    }
    return false;
  }

  /// Moves time forward by d, firing every timer that falls due on the way.
  void advance(duration d) {
    std::unique_lock lock(mutex_);
    const time_point target = now_ + d;
    while (!timers_.empty() && timers_.begin()->first.first <= target) {
      fire_first(lock);
    }
    if (now_ < target) now_ = target;
  }

  bool advance_idle() override {
    std::unique_lock lock(mutex_);
    if (timers_.empty()) return false;
    fire_first(lock);
    return true;
  }

  [[nodiscard]] bool is_virtual() const noexcept override { return true; }

  /// Timers set and neither fired nor cancelled.
  [[nodiscard]] std::size_t pending_timers() const {
    std::lock_guard lock(mutex_);
    return timers_.size();
  }

private:
  void fire_first(std::unique_lock<std::mutex>& lock) {
    auto it = timers_.begin();
    if (now_ < it->first.first) now_ = it->first.first;
    auto fn = std::move(it->second);
    timers_.erase(it);
    lock.unlock();
    fn();
    lock.lock();
  }

  mutable std::mutex mutex_;
  time_point now_;
  std::map<std::pair<time_point, timer_id>, std::function<void()>> timers_;
  timer_id next_id_ = 0;
};

} // namespace exec
TESSERA_NAMESPACE_END
