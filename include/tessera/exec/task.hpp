// tessera: task<T>, a lazy coroutine, with sync_wait and when_all.
//
// A task does nothing until it is awaited (or handed to sync_wait); its result or exception is
// delivered to the awaiter. Frames are recycled (detail/frame_pool.hpp).
//
// Why no unconditional symmetric transfer: with g++ 12, `await_suspend` returning a handle is a
// real tail call only under -foptimize-sibling-calls (off at -O0/-O1 and under ASan/TSan), so a
// loop of 100,000 awaits of tasks that complete synchronously would overflow the stack. Awaiting
// a task therefore resumes the child with an ordinary call and uses a two-party handshake: if the
// child finishes before the parent has suspended, the parent simply continues (await_suspend
// returns false, no stack growth); only a child that finished asynchronously resumes the parent,
// and then from the thread that completed it, whose stack holds just that one resumption.
#pragma once

#include <tessera/config.hpp>
#include <tessera/exec/detail/frame_pool.hpp>

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace exec {

template <class T = void>
class task;

namespace detail {

/// State shared by every task promise: who to resume and the completion handshake.
struct task_promise_base : recycled_frame {
  std::coroutine_handle<> continuation;
  // Both the awaiting parent (after starting the child) and the finishing child exchange this
  // to true; whichever comes second resumes the parent.
  std::atomic<bool> handshake{false};

  struct final_awaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> self) noexcept {
      task_promise_base& p = self.promise();
      if (p.handshake.exchange(true, std::memory_order_acq_rel)) return p.continuation;
      return std::noop_coroutine(); // the parent has not suspended yet: it continues by itself
    }
    void await_resume() const noexcept {}
  };
  std::suspend_always initial_suspend() const noexcept { return {}; }
  final_awaiter final_suspend() const noexcept { return {}; }
};

template <class T>
struct task_promise : task_promise_base {
  std::variant<std::monostate, T, std::exception_ptr> result;
  task<T> get_return_object() noexcept;
  template <class U>
  requires std::is_convertible_v<U&&, T>
  void return_value(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    result.template emplace<1>(std::forward<U>(value));
  }
  void unhandled_exception() noexcept { result.template emplace<2>(std::current_exception()); }
  T take() {
    if (result.index() == 2) std::rethrow_exception(std::get<2>(result));
    return std::move(std::get<1>(result));
  }
};

template <>
struct task_promise<void> : task_promise_base {
  std::exception_ptr error;
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void unhandled_exception() noexcept { error = std::current_exception(); }
  void take() {
    if (error) std::rethrow_exception(error);
  }
};

} // namespace detail

/// A lazily started coroutine producing a T (or void). Move-only; awaited at most once
/// (`co_await std::move(t)` or `co_await make_task()`); destroying an unstarted task destroys
/// its frame. Exceptions thrown in the body are rethrown to the awaiter.
///
/// Lifetime: arguments taken by reference must outlive the task. A lambda with captures that is
/// itself a coroutine keeps referring to the lambda object, so the lambda must outlive the task
/// (task_graph stores node callables, which makes capturing coroutine lambdas safe there).
template <class T>
class [[nodiscard]] task {
public:
  using promise_type = detail::task_promise<T>;
  using value_type = T;

  task() noexcept = default;
  explicit task(std::coroutine_handle<promise_type> h) noexcept : handle_(h) {}
  task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() {
    if (handle_) handle_.destroy();
  }

  /// True if this task owns a coroutine (default-constructed and moved-from tasks do not).
  [[nodiscard]] bool valid() const noexcept { return static_cast<bool>(handle_); }

  struct awaiter {
    std::coroutine_handle<promise_type> child;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> parent) noexcept {
      child.promise().continuation = parent;
      child.resume(); // an ordinary call: returns when the child finishes or first suspends
      // false: the child already finished, so the parent continues without a new stack frame.
      return !child.promise().handshake.exchange(true, std::memory_order_acq_rel);
    }
    T await_resume() { return child.promise().take(); }
  };

  /// Starts the task and suspends the awaiter until it finishes. Precondition: valid().
  awaiter operator co_await() && noexcept {
    TESSERA_ASSERT(handle_, "awaiting an empty or moved-from task");
    return awaiter{handle_};
  }

  /// The underlying handle, for executors. Ownership stays with the task.
  [[nodiscard]] std::coroutine_handle<promise_type> handle() const noexcept { return handle_; }

private:
  std::coroutine_handle<promise_type> handle_;
};

namespace detail {
template <class T>
task<T> task_promise<T>::get_return_object() noexcept {
  return task<T>(std::coroutine_handle<task_promise<T>>::from_promise(*this));
}
inline task<void> task_promise<void>::get_return_object() noexcept {
  return task<void>(std::coroutine_handle<task_promise<void>>::from_promise(*this));
}

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<task<T>> : std::true_type {};

/// Wakes a thread blocked in sync_wait. Notifying under the mutex makes the waiter's return
/// (and the destruction of this object) happen after the notifier is done with it.
class completion_latch {
public:
  void set() noexcept {
    std::lock_guard lock(mutex_);
    done_ = true;
    cv_.notify_one();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return done_; });
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
};

/// A fire-and-forget coroutine whose final suspension calls a notifier; the owner destroys it.
template <class Notify>
struct notifying_coroutine {
  struct promise_type : recycled_frame {
    Notify* notify = nullptr;
    notifying_coroutine get_return_object() noexcept {
      return notifying_coroutine{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    struct final_awaiter {
      bool await_ready() const noexcept { return false; }
      void await_suspend(std::coroutine_handle<promise_type> h) const noexcept {
        (*h.promise().notify)();
      }
      void await_resume() const noexcept {}
    };
    final_awaiter final_suspend() const noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); } // bodies catch everything
  };
  std::coroutine_handle<promise_type> handle;
  notifying_coroutine(notifying_coroutine&& o) noexcept : handle(std::exchange(o.handle, {})) {}
  explicit notifying_coroutine(std::coroutine_handle<promise_type> h) noexcept : handle(h) {}
  notifying_coroutine(const notifying_coroutine&) = delete;
  notifying_coroutine& operator=(const notifying_coroutine&) = delete;
  notifying_coroutine& operator=(notifying_coroutine&&) = delete;
  ~notifying_coroutine() {
    if (handle) handle.destroy();
  }
  void start(Notify& n) {
    handle.promise().notify = &n;
    handle.resume();
  }
};

/// The result of a task held until the waiter takes it.
template <class T>
struct result_slot {
  std::optional<T> value;
  std::exception_ptr error;
  template <class U>
  void set(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }
};
template <>
struct result_slot<void> {
  std::exception_ptr error;
  void take() const {
    if (error) std::rethrow_exception(error);
  }
};

template <class T, class Notify>
notifying_coroutine<Notify> drive(task<T> t, result_slot<T>& slot) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(t);
    } else {
      slot.set(co_await std::move(t));
    }
  } catch (...) {
    slot.error = std::current_exception();
  }
}

struct latch_notify {
  completion_latch* latch;
  void operator()() const noexcept { latch->set(); }
};

} // namespace detail

/// Runs `t` to completion, blocking the calling thread until it finishes (on whatever threads
/// it moves to), and returns its result or rethrows its exception. To let the waiting thread
/// help a pool instead of blocking, use thread_pool::sync_wait. Do not call it on a worker of a
/// pool that `t` needs to make progress with all its threads blocked.
template <class T>
T sync_wait(task<T> t) {
  detail::result_slot<T> slot;
  detail::completion_latch latch;
  detail::latch_notify notify{&latch};
  auto driver = detail::drive<T, detail::latch_notify>(std::move(t), slot);
  driver.start(notify);
  latch.wait();
  return slot.take();
}

namespace detail {

/// Counts finished children of a when_all; the last one resumes the parent.
struct when_all_counter {
  std::atomic<std::size_t> remaining;
  std::coroutine_handle<> parent;
  explicit when_all_counter(std::size_t n) : remaining(n + 1) {}
  void operator()() noexcept {
    if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) parent.resume();
  }
};

template <class T>
using when_all_value_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
when_all_value_t<T> take_for_when_all(result_slot<T>& slot) {
  if constexpr (std::is_void_v<T>) {
    slot.take();
    return {};
  } else {
    return slot.take();
  }
}

/// Awaits a set of children concurrently: each is started in turn; children that suspend (on a
/// pool) run in parallel. The parent resumes when all are done.
template <class>
using when_all_driver = std::optional<notifying_coroutine<when_all_counter>>;

template <class... Ts>
struct when_all_awaiter {
  std::tuple<task<Ts>...> tasks;
  std::tuple<result_slot<Ts>...> slots;
  std::tuple<when_all_driver<Ts>...> drivers;
  when_all_counter counter{sizeof...(Ts)};

  explicit when_all_awaiter(task<Ts>... ts) : tasks(std::move(ts)...) {}

  bool await_ready() const noexcept { return sizeof...(Ts) == 0; }
  bool await_suspend(std::coroutine_handle<> parent) {
    counter.parent = parent;
    start(std::index_sequence_for<Ts...>{});
    // The extra count is ours: if every child already finished, do not suspend.
    return counter.remaining.fetch_sub(1, std::memory_order_acq_rel) != 1;
  }
  std::tuple<when_all_value_t<Ts>...> await_resume() {
    return resume(std::index_sequence_for<Ts...>{});
  }

private:
  template <std::size_t... I>
  void start(std::index_sequence<I...>) {
    (std::get<I>(drivers).emplace(
         drive<Ts, when_all_counter>(std::move(std::get<I>(tasks)), std::get<I>(slots))),
     ...);
    (std::get<I>(drivers)->start(counter), ...);
  }
  template <std::size_t... I>
  std::tuple<when_all_value_t<Ts>...> resume(std::index_sequence<I...>) {
    std::exception_ptr first;
    ((first = first ? first : std::get<I>(slots).error), ...);
    if (first) std::rethrow_exception(first);
    return std::tuple<when_all_value_t<Ts>...>(take_for_when_all(std::get<I>(slots))...);
  }
};

template <class T>
struct when_all_vector_awaiter {
  std::vector<task<T>> tasks;
  std::vector<result_slot<T>> slots;
  std::vector<notifying_coroutine<when_all_counter>> drivers;
  when_all_counter counter;

  explicit when_all_vector_awaiter(std::vector<task<T>> ts)
      : tasks(std::move(ts)), slots(tasks.size()), counter(tasks.size()) {}
  bool await_ready() const noexcept { return tasks.empty(); }
  bool await_suspend(std::coroutine_handle<> parent) {
    counter.parent = parent;
    drivers.reserve(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i)
      drivers.push_back(drive<T, when_all_counter>(std::move(tasks[i]), slots[i]));
    for (auto& d : drivers) d.start(counter);
    return counter.remaining.fetch_sub(1, std::memory_order_acq_rel) != 1;
  }
  auto await_resume() {
    for (auto& s : slots)
      if (s.error) std::rethrow_exception(s.error);
    if constexpr (std::is_void_v<T>) {
      return;
    } else {
      std::vector<T> out;
      out.reserve(slots.size());
      for (auto& s : slots) out.push_back(s.take());
      return out;
    }
  }
};

} // namespace detail

/// Awaits all `tasks` and gives their results as a tuple (std::monostate for void tasks).
/// Children start in order on the awaiting thread; those that move to a pool run concurrently.
/// Every child runs to completion even if another throws; then the first exception (in argument
/// order) is rethrown.
template <class... Ts>
task<std::tuple<detail::when_all_value_t<Ts>...>> when_all(task<Ts>... tasks) {
  co_return co_await detail::when_all_awaiter<Ts...>(std::move(tasks)...);
}

/// Awaits every task of `tasks`; gives std::vector<T> (or void) in input order. Exceptions as
/// for the variadic form.
template <class T>
auto when_all(std::vector<task<T>> tasks)
    -> task<std::conditional_t<std::is_void_v<T>, void, std::vector<T>>> {
  if constexpr (std::is_void_v<T>) {
    co_await detail::when_all_vector_awaiter<T>(std::move(tasks));
  } else {
    co_return co_await detail::when_all_vector_awaiter<T>(std::move(tasks));
  }
}

} // namespace exec
TESSERA_NAMESPACE_END
