#include <tessera/core/parallel.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {
/// Restores the default thread count when a test ends.
struct threads_guard {
  ~threads_guard() { tessera::set_num_threads(0); }
};
} // namespace

TEST_CASE("parallel_for visits every index exactly once for every size, grain and thread count") {
  threads_guard guard;
  for (int threads : {1, 2, 3}) {
    tessera::set_num_threads(threads);
    for (std::size_t n : {0u, 1u, 2u, 63u, 64u, 65u, 1000u, 4097u}) {
      for (std::size_t grain : {1u, 3u, 64u, 100000u}) {
        CAPTURE(threads);
        CAPTURE(n);
        CAPTURE(grain);
        std::vector<std::atomic<int>> hits(n);
        tessera::parallel_for(
            std::size_t{0}, n, [&](std::size_t i) { hits[i].fetch_add(1); }, grain);
        for (std::size_t i = 0; i < n; ++i) REQUIRE(hits[i].load() == 1);
      }
    }
  }
}

TEST_CASE("parallel_for_chunks covers signed and offset ranges without overflow") {
  std::atomic<long long> sum{0};
  tessera::parallel_for_chunks(
      -50, 50,
      [&](int b, int e) {
        for (int i = b; i < e; ++i) sum += i;
      },
      7);
  CHECK(sum.load() == -50);

  std::atomic<int> calls{0};
  const std::int8_t lo = std::numeric_limits<std::int8_t>::min();
  const std::int8_t hi = std::numeric_limits<std::int8_t>::max();
  tessera::parallel_for(
      lo, hi, [&](std::int8_t) { ++calls; }, 16);
  CHECK(calls.load() == 255);

  calls = 0;
  tessera::parallel_for(10, 3, [&](int) { ++calls; }); // empty: last < first
  CHECK(calls.load() == 0);
}

TEST_CASE("an exception in a loop body reaches the caller") {
  threads_guard guard;
  for (int threads : {1, 2}) {
    tessera::set_num_threads(threads);
    CHECK_THROWS_WITH_AS(tessera::parallel_for(
                             0, 10000,
                             [](int i) {
                               if (i == 5000) throw std::runtime_error("body failed");
                             },
                             10),
                         "body failed", std::runtime_error);
  }
}

TEST_CASE("thread counts: configured, limited by scope, restored") {
  threads_guard guard;
  CHECK(tessera::hardware_threads() >= 1);
  tessera::set_num_threads(0);
#if TESSERA_HAS_OPENMP
  CHECK(tessera::num_threads() == tessera::hardware_threads());
  tessera::set_num_threads(5);
  CHECK(tessera::num_threads() == 5);
  {
    tessera::thread_limit_scope outer(3);
    CHECK(tessera::num_threads() == 3);
    {
      tessera::thread_limit_scope inner(1);
      CHECK(tessera::num_threads() == 1);
    }
    CHECK(tessera::num_threads() == 3);
  }
  CHECK(tessera::num_threads() == 5);
#else
  CHECK(tessera::num_threads() == 1);
#endif
}

TEST_CASE("parallel_reduce is deterministic in chunk order") {
  threads_guard guard;
  std::vector<double> x(100003);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0 / static_cast<double>(i + 1);
  const auto fold = [&](double& acc, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) acc += x[i];
  };
  const auto plus = [](double a, double b) { return a + b; };
  tessera::set_num_threads(1);
  const double one = tessera::parallel_reduce(std::size_t{0}, x.size(), 0.0, fold, plus, 1000);
  tessera::set_num_threads(2);
  const double two = tessera::parallel_reduce(std::size_t{0}, x.size(), 0.0, fold, plus, 1000);
  CHECK(one == two); // bitwise equal: same chunks, same combination order
  CHECK(one == doctest::Approx(12.0901).epsilon(1e-4));
  CHECK(tessera::parallel_reduce(
            5, 5, 17, [](int&, int, int) {}, [](int a, int b) { return a + b; }) == 17);
}
