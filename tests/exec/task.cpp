#include <tessera/exec/task.hpp>
#include <tessera/exec/thread_pool.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace exec = tessera::exec;

namespace {

exec::task<int> value(int v) {
  co_return v;
}
exec::task<void> nothing() {
  co_return;
}
exec::task<int> thrower() {
  throw std::runtime_error("boom");
  co_return 0;
}
exec::task<int> add_twice(int v) {
  const int a = co_await value(v);
  const int b = co_await value(v);
  co_return a + b;
}
exec::task<long> many_sync_awaits(int n) {
  long sum = 0;
  for (int i = 0; i < n; ++i) sum += co_await value(i);
  co_return sum;
}
exec::task<int> recurse(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await recurse(depth - 1);
}
exec::task<int> on_pool(exec::thread_pool& pool, int v) {
  co_await pool.schedule();
  co_return v * 2;
}
exec::task<std::thread::id> where(exec::thread_pool& pool) {
  co_await pool.schedule();
  co_return std::this_thread::get_id();
}

struct frames_guard {
  std::int64_t before = exec::live_coroutine_frames();
  ~frames_guard() { CHECK(exec::live_coroutine_frames() == before); }
};

} // namespace

TEST_CASE("task: lazy start, values, void, nesting") {
  frames_guard guard;
  bool started = false;
  auto make = [&]() -> exec::task<int> {
    started = true;
    co_return 7;
  };
  {
    auto t = make();
    CHECK_FALSE(started); // lazy
    CHECK(exec::sync_wait(std::move(t)) == 7);
    CHECK(started);
  }
  CHECK(exec::sync_wait(add_twice(21)) == 42);
  exec::sync_wait(nothing());
  CHECK(exec::sync_wait(recurse(200)) == 200);
}

TEST_CASE("task: an exception reaches the awaiter, through levels of awaits") {
  frames_guard guard;
  CHECK_THROWS_WITH_AS(exec::sync_wait(thrower()), "boom", std::runtime_error);
  auto outer = []() -> exec::task<int> {
    try {
      co_return co_await thrower();
    } catch (const std::runtime_error& e) {
      co_return static_cast<int>(std::string(e.what()).size());
    }
  };
  CHECK(exec::sync_wait(outer()) == 4);
}

TEST_CASE("task: 200,000 synchronously completing awaits do not grow the stack") {
  // Without the handshake, each await would nest a resume at -O0/-O1 and under sanitizers.
  frames_guard guard;
  constexpr int n = 200000;
  CHECK(exec::sync_wait(many_sync_awaits(n)) == static_cast<long>(n) * (n - 1) / 2);
}

TEST_CASE("task: an unstarted task is destroyed without running; frames are counted") {
  const auto before = exec::live_coroutine_frames();
  bool ran = false;
  auto make = [&]() -> exec::task<int> {
    ran = true;
    co_return 1;
  };
  {
    // Kept in a container so that clang cannot elide the frames (it may for a local).
    std::vector<exec::task<int>> ts;
    for (int i = 0; i < 3; ++i) ts.push_back(make());
    CHECK(exec::live_coroutine_frames() == before + 3);
  }
  CHECK_FALSE(ran);
  CHECK(exec::live_coroutine_frames() == before);
}

TEST_CASE("thread_pool: schedule moves a coroutine to a worker; sync_wait helps") {
  frames_guard guard;
  exec::thread_pool pool(2);
  CHECK(exec::sync_wait(on_pool(pool, 21)) == 42);
  CHECK(pool.sync_wait(on_pool(pool, 5)) == 10);
  CHECK(exec::sync_wait(where(pool)) != std::this_thread::get_id());
}

TEST_CASE("thread_pool: zero workers is deterministic and runs on the waiting thread") {
  frames_guard guard;
  exec::thread_pool pool(0);
  CHECK(pool.sync_wait(where(pool)) == std::this_thread::get_id());
  std::vector<int> order;
  for (int i = 0; i < 10; ++i)
    pool.submit(exec::job{[](void* ctx, std::uintptr_t v) {
                            static_cast<std::vector<int>*>(ctx)->push_back(static_cast<int>(v));
                          },
                          &order, static_cast<std::uintptr_t>(i)});
  CHECK(order.empty()); // nothing runs until someone waits
  while (pool.try_run_one()) {
  }
  REQUIRE(order.size() == 10);
  for (int i = 0; i < 10; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

namespace {
void count_job(void* ctx, std::uintptr_t) {
  ++*static_cast<int*>(ctx);
}
void other_job(void*, std::uintptr_t) {}
} // namespace

TEST_CASE("thread_pool: pop_local_if takes the waiting thread's newest matching jobs") {
  exec::thread_pool pool(0);
  int count = 0;
  exec::job taken[4];
  CHECK(pool.pop_local_if(&count_job, &count, taken, 4) == 0); // this thread has no queue yet
  struct probe {
    exec::thread_pool* pool;
    int* count;
    bool done = false;
    std::vector<std::size_t> got;
    std::vector<std::uintptr_t> args;
  } p{&pool, &count, false, {}, {}};
  pool.submit(exec::job{
      [](void* ctx, std::uintptr_t) {
        auto& pr = *static_cast<probe*>(ctx);
        exec::job t[4];
        for (std::uintptr_t i = 0; i < 40; ++i)
          pr.pool->submit(exec::job{&count_job, pr.count, i}); // to this thread's own queue
        pr.pool->submit(exec::job{&other_job, nullptr, 0});
        pr.got.push_back(pr.pool->pop_local_if(&count_job, pr.count, t, 4)); // newest is other
        pr.got.push_back(pr.pool->pop_local_if(&other_job, nullptr, t, 4));  // just that one
        pr.got.push_back(pr.pool->pop_local_if(&count_job, pr.count, t, 4)); // 40 queued: 4
        for (std::size_t k = 0; k < pr.got.back(); ++k) pr.args.push_back(t[k].arg);
        pr.got.push_back(pr.pool->pop_local_if(&count_job, pr.count, t, 4));  // 36 queued: 4
        pr.got.push_back(pr.pool->pop_local_if(&count_job, pr.count, t, 64)); // 32: an eighth
        while (pr.pool->pop_local_if(&count_job, pr.count, t, 4) != 0) {
        }
        for (std::uintptr_t i = 0; i < 3; ++i) pr.pool->submit(exec::job{&count_job, pr.count, i});
        pr.got.push_back(pr.pool->pop_local_if(&count_job, pr.count, t, 4)); // 3 queued: 1
        pr.done = true; // two jobs stay queued when help_until returns
      },
      &p, 0});
  pool.help_until([&] { return p.done; });
  CHECK(p.got == std::vector<std::size_t>{0, 1, 4, 4, 4, 1});
  CHECK(p.args == std::vector<std::uintptr_t>{39, 38, 37, 36}); // newest first
  CHECK(count == 0); // taken jobs are the caller's to run
  CHECK(pool.queued() == 2);
}

TEST_CASE("thread_pool: destruction runs the jobs a waiting thread left in its queue") {
  int count = 0;
  {
    exec::thread_pool pool(0);
    bool done = false;
    struct ctx_t {
      exec::thread_pool* pool;
      int* count;
      bool* done;
    } c{&pool, &count, &done};
    pool.submit(exec::job{[](void* ctx, std::uintptr_t) {
                            auto& x = *static_cast<ctx_t*>(ctx);
                            x.pool->submit(exec::job{&count_job, x.count, 0});
                            x.pool->submit(exec::job{&count_job, x.count, 1});
                            *x.done = true;
                          },
                          &c, 0});
    pool.help_until([&] { return done; });
    CHECK(count == 0);
  }
  CHECK(count == 2);
}

TEST_CASE("when_all: tuple and vector forms, concurrent on a pool, first exception wins") {
  frames_guard guard;
  exec::thread_pool pool(3);
  auto [a, b, c] = exec::sync_wait(exec::when_all(on_pool(pool, 1), value(2), nothing()));
  CHECK(a == 2);
  CHECK(b == 2);
  static_cast<void>(c);

  std::vector<exec::task<int>> ts;
  for (int i = 0; i < 100; ++i) ts.push_back(on_pool(pool, i));
  auto v = pool.sync_wait(exec::when_all(std::move(ts)));
  REQUIRE(v.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(v[static_cast<std::size_t>(i)] == 2 * i);

  std::atomic<int> finished{0};
  auto counted = [&](bool fail) -> exec::task<void> {
    co_await pool.schedule();
    finished.fetch_add(1);
    if (fail) throw std::logic_error("child failed");
  };
  std::vector<exec::task<void>> vs;
  for (int i = 0; i < 20; ++i) vs.push_back(counted(i % 7 == 3));
  CHECK_THROWS_AS(exec::sync_wait(exec::when_all(std::move(vs))), std::logic_error);
  CHECK(finished.load() == 20); // every child ran to completion
  CHECK(exec::sync_wait(exec::when_all(std::vector<exec::task<int>>{})).empty());
}

TEST_CASE("thread_pool: many coroutines hop between threads; all frames are freed") {
  frames_guard guard;
  exec::thread_pool pool(2);
  std::vector<exec::task<long>> ts;
  auto hopper = [&](int k) -> exec::task<long> {
    long s = 0;
    for (int i = 0; i < 50; ++i) {
      co_await pool.schedule();
      s += co_await value(i + k);
    }
    co_return s;
  };
  for (int k = 0; k < 64; ++k) ts.push_back(hopper(k));
  auto sums = pool.sync_wait(exec::when_all(std::move(ts)));
  for (int k = 0; k < 64; ++k) CHECK(sums[static_cast<std::size_t>(k)] == 1225 + 50L * k);
}
