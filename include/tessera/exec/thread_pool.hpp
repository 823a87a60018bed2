// tessera: a work-stealing thread pool that coroutines and the DAG executor run on.
//
// Design (measured in benchmarks/exec): one queue per worker, guarded by a spin lock that only
// contends when a thief visits; the owner pushes and pops at the back (LIFO, cache-warm), thieves
// take up to half of the jobs from the front in one visit (FIFO, oldest and usually largest work
// first), once the queue has stayed non-empty for a few microseconds. Work submitted
// from outside the pool goes to an injection queue. Idle workers spin briefly, then sleep on an
// event count (unless they saw jobs queued while spinning: then they spin again); a submitter
// pays for a wake-up only when somebody sleeps. A job is three words
// (function, context, argument): submitting never allocates except when a queue grows.
//
// A pool with zero workers is the deterministic single-thread mode: nothing runs until a thread
// waits with help_until()/sync_wait(), and then jobs run on that thread in submission order.
#pragma once

#include <tessera/config.hpp>
#include <tessera/exec/task.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace exec {

/// A unit of work: fn(ctx, arg). Trivially copyable; the pool never owns what ctx points to.
struct job {
  void (*fn)(void*, std::uintptr_t) = nullptr;
  void* ctx = nullptr;
  std::uintptr_t arg = 0;
  void operator()() const { fn(ctx, arg); }

  /// A job that resumes a suspended coroutine.
  static job resume(std::coroutine_handle<> h) noexcept {
    return job{[](void* address, std::uintptr_t) {
                 std::coroutine_handle<>::from_address(address).resume();
               },
               h.address(), 0};
  }
};

namespace detail {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield" ::: "memory");
#endif
}

/// Test-and-test-and-set lock; yields after a short spin so an oversubscribed machine progresses.
class spin_lock {
public:
  void lock() noexcept {
    for (int spins = 0; locked_.exchange(true, std::memory_order_acquire);) {
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins < 64) {
          cpu_relax();
        } else {
          std::this_thread::yield();
        }
      }
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> locked_{false};
};

/// A growable ring of jobs under a spin lock. Two cache lines: the owner's (the lock, the ring,
/// the exact count), which a thief touches only when it steals, and the thieves' (an emptiness
/// hint and the time a thief first saw the queue non-empty), which the owner writes only when
/// the queue turns empty or non-empty. An idle thread polling for work therefore does not take
/// the owner's line away from it on every push and pop (measured: run-and-wait of a 10-node
/// graph, benchmarks/exec).
class alignas(64) job_queue {
public:
  job_queue() : ring_(64) {}

  void push_back(const job* jobs, std::size_t n) {
    std::lock_guard lock(lock_);
    const std::size_t count = count_.load(std::memory_order_relaxed);
    if (count + n > ring_.size()) grow(count + n);
    for (std::size_t i = 0; i < n; ++i) ring_[(head_ + count + i) & (ring_.size() - 1)] = jobs[i];
    set_count(count, count + n);
  }
  bool pop_back(job& out) {
    if (count_.load(std::memory_order_acquire) == 0) return false;
    std::lock_guard lock(lock_);
    const std::size_t count = count_.load(std::memory_order_relaxed);
    if (count == 0) return false;
    out = ring_[(head_ + count - 1) & (ring_.size() - 1)];
    set_count(count, count - 1);
    return true;
  }
  /// Pops the newest jobs while they are fn(ctx, ...): up to `max`, and more than one only when
  /// many are queued (an eighth of them at most), so thieves still find most of the work.
  std::size_t pop_back_if(void (*fn)(void*, std::uintptr_t), const void* ctx, job* out,
                          std::size_t max) {
    if (count_.load(std::memory_order_acquire) == 0) return 0;
    std::lock_guard lock(lock_);
    const std::size_t count = count_.load(std::memory_order_relaxed);
    const std::size_t most = std::min(max, std::max<std::size_t>(1, count / 8));
    std::size_t k = 0;
    while (k < most && k < count) {
      const job& last = ring_[(head_ + count - k - 1) & (ring_.size() - 1)];
      if (last.fn != fn || last.ctx != ctx) break;
      out[k++] = last;
    }
    if (k != 0) set_count(count, count - k);
    return k;
  }
  /// For a thief: takes up to `max` jobs (at most half of them, at least one) from the front,
  /// but only once the queue has been seen non-empty for `min_age_ns` (its owner has been busy
  /// that long), so that a burst of tiny jobs stays on the core that made it. The first thief
  /// to see the queue non-empty notes the time (`now`, read on first need): the owner never
  /// reads the clock. Returns the number of jobs taken.
  std::size_t steal(job* out, std::size_t max, std::int64_t& now, std::int64_t min_age_ns) {
    if (hint_.load(std::memory_order_acquire) == 0) return 0;
    if (now == 0) now = now_ns();
    std::int64_t seen = since_.load(std::memory_order_relaxed);
    if (seen == 0) {
      // If the owner emptied the queue meanwhile, take the note back (best effort: this only
      // decides when stealing starts).
      if (since_.compare_exchange_strong(seen, now, std::memory_order_relaxed) &&
          hint_.load(std::memory_order_acquire) == 0) {
        std::int64_t mine = now;
        since_.compare_exchange_strong(mine, 0, std::memory_order_relaxed);
      }
      return 0;
    }
    if (now - seen < min_age_ns) return 0;
    std::lock_guard lock(lock_);
    const std::size_t count = count_.load(std::memory_order_relaxed);
    const std::size_t k = std::min(max, (count + 1) / 2);
    for (std::size_t i = 0; i < k; ++i) out[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    head_ = (head_ + k) & (ring_.size() - 1);
    if (k != 0) set_count(count, count - k);
    return k;
  }
  bool pop_front(job& out) {
    if (count_.load(std::memory_order_acquire) == 0) return false;
    std::lock_guard lock(lock_);
    const std::size_t count = count_.load(std::memory_order_relaxed);
    if (count == 0) return false;
    out = ring_[head_];
    head_ = (head_ + 1) & (ring_.size() - 1);
    set_count(count, count - 1);
    return true;
  }
  /// Jobs queued (exact at the moment of the read; reads the owner's line).
  [[nodiscard]] std::size_t size() const noexcept { return count_.load(std::memory_order_relaxed); }
  /// Zero exactly when the queue is empty (reads the thieves' line, not the owner's).
  [[nodiscard]] bool looks_empty() const noexcept {
    return hint_.load(std::memory_order_relaxed) == 0;
  }
  static std::int64_t now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

private:
  // Under the lock: the count goes from `from` to `to`; the thieves' line is written only when
  // the queue turns empty or non-empty.
  void set_count(std::size_t from, std::size_t to) noexcept {
    count_.store(to, std::memory_order_release);
    if (to == 0) {
      hint_.store(0, std::memory_order_release);
      if (since_.load(std::memory_order_relaxed) != 0) since_.store(0, std::memory_order_relaxed);
    } else if (from == 0) {
      hint_.store(1, std::memory_order_release);
    }
  }
  void grow(std::size_t need) {
    std::size_t cap = ring_.size();
    while (cap < need) cap *= 2;
    std::vector<job> next(cap);
    const std::size_t count = count_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < count; ++i) next[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    ring_ = std::move(next);
    head_ = 0;
  }
  // The owner's line.
  spin_lock lock_;
  std::vector<job> ring_;
  std::size_t head_ = 0;
  std::atomic<std::size_t> count_{0}; // written under the lock; read without it as a hint
  // The thieves' line.
  alignas(64) std::atomic<std::size_t> hint_{0}; // 0: empty, 1: not (as of the last unlock)
  std::atomic<std::int64_t> since_{0}; // when a thief first saw it non-empty (0: not seen)
};

} // namespace detail

/// Lets threads sleep until "something may have changed" without missing a notification:
/// prepare_wait(), re-check the condition, then wait() or cancel_wait(). Notifiers that find
/// nobody waiting cost one fence and one load.
class event_count {
public:
  std::uint64_t prepare_wait() noexcept {
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return epoch_.load(std::memory_order_acquire);
  }
  void cancel_wait() noexcept { waiters_.fetch_sub(1, std::memory_order_relaxed); }
  void wait(std::uint64_t epoch) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return epoch_.load(std::memory_order_relaxed) != epoch; });
    }
    waiters_.fetch_sub(1, std::memory_order_relaxed);
  }
  void notify_one() noexcept {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    notify_after_fence(false);
  }
  void notify_all() noexcept {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    notify_after_fence(true);
  }
  /// For a notifier that has already issued a seq_cst fence after changing the condition.
  void notify_after_fence(bool all) noexcept {
    if (waiters_.load(std::memory_order_relaxed) == 0) return;
    {
      std::lock_guard lock(mutex_);
      epoch_.fetch_add(1, std::memory_order_release);
    }
    if (all) {
      cv_.notify_all();
    } else {
      cv_.notify_one();
    }
  }
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<int> waiters_{0};
  std::mutex mutex_;
  std::condition_variable cv_;
};

class thread_pool;

namespace detail {
struct worker_identity {
  const thread_pool* pool = nullptr;
  std::size_t index = 0;
};
inline worker_identity& this_worker() noexcept {
  thread_local worker_identity id;
  return id;
}
} // namespace detail

/// A fixed set of worker threads running jobs and coroutines.
///
/// Threads that wait for work in the pool (help_until, sync_wait) run its jobs meanwhile, so a
/// pool of N workers plus one waiting thread uses N + 1 cores; a pool of 0 workers runs
/// everything on the waiting thread, in submission order (deterministic single-thread mode).
class thread_pool {
public:
  /// Starts `workers` threads. `helpers` is the event count that waiting threads sleep on; pass
  /// one shared by several pools to wait for work in any of them (nullptr: the pool's own).
  explicit thread_pool(unsigned workers, std::string name = "pool", event_count* helpers = nullptr)
      : name_(std::move(name)), workers_(workers), queues_(workers + 2),
        helpers_(helpers != nullptr ? helpers : &own_helpers_) {
    threads_.reserve(workers);
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this, i] { worker_main(i); });
  }
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  /// Runs every job still queued (on the workers, or here when there are none), then joins.
  ~thread_pool() {
    stopping_.store(true, std::memory_order_release);
    workers_sleep_.notify_all();
    for (auto& t : threads_) t.join();
    // Whatever is left (in the injection queue, or in the helper queue after a help_until that
    // ended with jobs queued), whatever its age; the jobs run here may queue more.
    job j;
    for (bool ran = true; ran;) {
      ran = false;
      for (auto& q : queues_)
        while (q.pop_front(j)) j(), ran = true;
    }
  }

  [[nodiscard]] unsigned workers() const noexcept { return workers_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// True on one of this pool's worker threads.
  [[nodiscard]] bool on_worker() const noexcept { return detail::this_worker().pool == this; }

  /// Queues one job: at the back of the calling worker's own queue, or of the injection queue
  /// when called from outside the pool. Thread-safe.
  void submit(job j) { submit_bulk(&j, 1); }
  /// Queues n jobs with one lock acquisition.
  void submit_bulk(const job* jobs, std::size_t n) {
    if (n == 0) return;
    queues_[my_queue()].push_back(jobs, n);
    std::atomic_thread_fence(std::memory_order_seq_cst); // pairs with event_count::prepare_wait
    workers_sleep_.notify_after_fence(false);
    helpers_->notify_after_fence(true);
  }

  struct schedule_awaiter {
    thread_pool* pool;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const { pool->submit(job::resume(h)); }
    void await_resume() const noexcept {}
  };
  /// `co_await pool.schedule()` continues the coroutine on one of the pool's threads.
  [[nodiscard]] schedule_awaiter schedule() noexcept { return schedule_awaiter{this}; }

  /// On a thread with a queue in this pool (a worker, or the thread waiting in help_until):
  /// takes the jobs it would run next (up to `max`, newest first) while they are fn(ctx, ...).
  /// Lets a client run a burst of its own jobs in one go. Returns how many were taken.
  std::size_t pop_local_if(void (*fn)(void*, std::uintptr_t), const void* ctx, job* out,
                           std::size_t max) {
    const auto& me = detail::this_worker();
    if (me.pool != this || me.index == injection()) return 0;
    return queues_[me.index].pop_back_if(fn, ctx, out, max);
  }

  /// Runs one queued job on the calling thread if there is one.
  bool try_run_one() {
    job j;
    if (!find_job(my_queue(), j)) return false;
    j();
    return true;
  }

  /// Runs this pool's jobs on the calling thread until done() is true, sleeping when there are
  /// none. Whoever makes done() true must then call wake_helpers().
  template <class Done>
  void help_until(Done&& done) {
    thread_pool* self = this;
    help_until(&self, 1, *helpers_, done);
  }

  /// Like help_until, over several pools sharing the event count `helpers`. `start()` runs
  /// first, on this thread: what it submits to pools[0] goes to this thread's own queue.
  template <class Done, class Start = void (*)()>
  static void help_until(
      thread_pool* const* pools, std::size_t n, event_count& helpers, Done&& done,
      Start&& start = [] {}) {
    // The first helper of the first pool gets that pool's helper queue, so the work it spawns
    // stays local (LIFO) instead of going through the shared injection queue.
    const helper_slot slot(*pools[0]);
    start();
    int idle = 0;
    while (!done()) {
      bool ran = false;
      for (std::size_t i = 0; i < n && !ran; ++i) ran = pools[i]->try_run_one();
      if (ran) {
        idle = 0;
        continue;
      }
      if (++idle < spin_polls + spin_yields) {
        if (idle < spin_polls) {
          pause();
        } else {
          std::this_thread::yield();
        }
        continue;
      }
      const auto epoch = helpers.prepare_wait();
      bool any = done();
      for (std::size_t i = 0; i < n && !any; ++i) any = pools[i]->queued() != 0;
      if (any) {
        helpers.cancel_wait();
        continue;
      }
      helpers.wait(epoch);
      idle = 0;
    }
  }

  /// Wakes threads sleeping in help_until so they re-check their condition.
  void wake_helpers() noexcept { helpers_->notify_all(); }

  /// Runs `t` to completion; the calling thread runs pool jobs while it waits.
  template <class T>
  T sync_wait(task<T> t) {
    struct notify {
      std::atomic<bool>* flag;
      event_count* helpers;
      void operator()() const noexcept {
        event_count* h = helpers; // `this` may die once the flag is set
        flag->store(true, std::memory_order_release);
        h->notify_all();
      }
    };
    std::atomic<bool> finished{false};
    notify n{&finished, helpers_};
    detail::result_slot<T> slot;
    auto driver = detail::drive<T, notify>(std::move(t), slot);
    driver.start(n);
    help_until([&] { return finished.load(std::memory_order_acquire); });
    return slot.take();
  }

  /// Jobs queued and not yet started (a snapshot).
  [[nodiscard]] std::size_t queued() const noexcept {
    std::size_t n = 0;
    for (const auto& q : queues_) n += q.size();
    return n;
  }

private:
  struct helper_slot {
    thread_pool* pool = nullptr;
    detail::worker_identity saved;
    explicit helper_slot(thread_pool& p) noexcept {
      if (detail::this_worker().pool == &p) return; // a worker already has its queue
      if (p.helper_taken_.exchange(true, std::memory_order_acquire)) return;
      pool = &p;
      saved = detail::this_worker();
      detail::this_worker() = {&p, p.workers()};
    }
    ~helper_slot() {
      if (pool == nullptr) return;
      detail::this_worker() = saved;
      pool->helper_taken_.store(false, std::memory_order_release);
    }
    helper_slot(const helper_slot&) = delete;
    helper_slot& operator=(const helper_slot&) = delete;
  };

  // Whether every queue is empty, from the thieves' lines (the owners' lines stay with them).
  [[nodiscard]] bool all_look_empty() const noexcept {
    for (const auto& q : queues_)
      if (!q.looks_empty()) return false;
    return true;
  }

  // Queues: workers 0..W-1, then the helper queue (W), then the injection queue (W + 1).
  [[nodiscard]] std::size_t injection() const noexcept { return workers_ + 1; }
  [[nodiscard]] std::size_t my_queue() const noexcept {
    const auto& me = detail::this_worker();
    return me.pool == this ? me.index : injection();
  }

  // Idle threads look at the queues between runs of 16 pauses: looking reads cache lines that
  // the threads with work write, so looking too often slows them down.
  static constexpr int spin_polls = 128;
  static void pause() noexcept {
    for (int k = 0; k < 16; ++k) detail::cpu_relax();
  }
  // Yielding is costly when other processes want the cores (a yield can give away a whole time
  // slice): idle threads spin ~100 us (2048 pauses), yield twice, then sleep on the event count.
  static constexpr int spin_yields = 2;
  // A thief takes a worker's jobs once that worker has had queued jobs for this long: a burst of
  // jobs that its owner runs within a few microseconds is not worth moving between cores
  // (measured: run-and-wait of a 10-node graph of empty tasks, benchmarks/exec).
  static constexpr std::int64_t steal_after_ns = 4000;
  static constexpr std::size_t steal_batch = 64;

  // `saw`, if given, is set when some queue held jobs that were not taken (too young).
  bool find_job(std::size_t self, job& out, bool* saw = nullptr) {
    const std::size_t inject = injection();
    if (self != inject && queues_[self].pop_back(out)) return true;
    if (queues_[inject].pop_front(out)) return true;
    std::int64_t now = 0;
    // A thief with a queue of its own takes up to half of the victim's jobs at once (one visit
    // to the victim's lock instead of one per job) and keeps the rest in its queue.
    union loot_storage {
      loot_storage() noexcept {} // left uninitialised: filled by steal()
      job jobs[steal_batch];
    } loot_space;
    job* const loot = loot_space.jobs;
    const std::size_t most = self == inject ? 1 : steal_batch;
    for (std::size_t k = 0; k < inject; ++k) { // steal from workers and the helper, round robin
      const std::size_t victim = (self + 1 + k) % inject;
      if (victim == self || queues_[victim].looks_empty()) continue;
      const std::size_t got = queues_[victim].steal(loot, most, now, steal_after_ns);
      if (got == 0) {
        if (saw != nullptr) *saw = true;
        continue;
      }
      out = loot[0];
      if (got > 1) {
        queues_[self].push_back(loot + 1, got - 1);
        std::atomic_thread_fence(std::memory_order_seq_cst); // pairs with prepare_wait
        workers_sleep_.notify_after_fence(false);
      }
      return true;
    }
    return false;
  }

  void worker_main(std::size_t index) {
    detail::this_worker() = {this, index};
    int idle = 0;
    bool saw_work = false; // a queue held jobs (too young to steal) during this idle period
    job j;
    for (;;) {
      if (find_job(index, j, &saw_work)) {
        j();
        idle = 0;
        saw_work = false;
        continue;
      }
      // Spin a little (a new job usually follows within microseconds), then sleep.
      if (++idle < spin_polls + spin_yields && !stopping_.load(std::memory_order_relaxed)) {
        if (idle < spin_polls) {
          pause();
        } else {
          std::this_thread::yield();
        }
        continue;
      }
      // Work keeps coming (a thread runs bursts of jobs it made): spin another period rather
      // than sleep, since waking a sleeper costs that thread a system call on its next submit
      // (measured: run-and-wait of a 10-node graph, benchmarks/exec). A period in which every
      // queue looked empty at every poll ends in sleep.
      if (saw_work && !stopping_.load(std::memory_order_relaxed)) {
        saw_work = false;
        idle = 0;
        std::this_thread::yield();
        continue;
      }
      if (!all_look_empty()) { // young jobs of a busy worker: stay awake to steal them later
        std::this_thread::yield();
        idle = spin_polls;
        continue;
      }
      const auto epoch = workers_sleep_.prepare_wait();
      if (find_job(index, j)) {
        workers_sleep_.cancel_wait();
        j();
        idle = 0;
        continue;
      }
      if (stopping_.load(std::memory_order_acquire)) {
        workers_sleep_.cancel_wait();
        break;
      }
      // Jobs pushed after the check above but before prepare_wait() woke no one, and find_job
      // leaves them while they are young: stay awake for them.
      if (!all_look_empty()) {
        workers_sleep_.cancel_wait();
        idle = spin_polls;
        continue;
      }
      workers_sleep_.wait(epoch);
      idle = 0;
    }
    detail::this_worker() = {};
  }

  std::string name_;
  const unsigned workers_; // fixed before any thread starts (threads_ grows while they do)
  std::vector<detail::job_queue> queues_; // one per worker, then the injection queue
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> helper_taken_{false};
  event_count workers_sleep_;
  event_count own_helpers_;
  event_count* helpers_;
};

} // namespace exec
TESSERA_NAMESPACE_END
