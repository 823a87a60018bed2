// Dijkstra's priority queues on their own: the radix heap and the indexed 4-ary heap pop in key
// order under the monotone pattern Dijkstra produces (every push at or above the last pop), and
// radix_key orders non-negative distances as the distances themselves.
#include <tessera/detail/algorithm/indexed_heap.hpp>
#include <tessera/detail/algorithm/radix_heap.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

TEST_CASE("radix_key preserves the order of non-negative distances") {
  const std::vector<double> d{0.0, 5e-324, 1e-300,
                              0.5, 1.0,    1.0000000000000002,
                              3e8, 1e308,  std::numeric_limits<double>::infinity()};
  for (std::size_t i = 0; i + 1 < d.size(); ++i)
    CHECK(tessera::detail::radix_key(d[i]) < tessera::detail::radix_key(d[i + 1]));
  CHECK(tessera::detail::radix_key(-0.0) == tessera::detail::radix_key(0.0));
  CHECK(tessera::detail::radix_key(-0.0f) == tessera::detail::radix_key(0.0f));
  CHECK(tessera::detail::radix_key(0.25f) < tessera::detail::radix_key(0.5f));
  CHECK(tessera::detail::radix_key(std::int64_t{7}) < tessera::detail::radix_key(std::int64_t{8}));
  CHECK(tessera::detail::radix_key(std::numeric_limits<std::uint64_t>::max()) ==
        std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("radix_heap pops in key order under monotone pushes") {
  std::mt19937_64 rng(5);
  for (std::uint64_t spread : {std::uint64_t{1}, std::uint64_t{255}, std::uint64_t{1} << 40}) {
    tessera::detail::radix_heap<std::uint32_t> heap;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pushed, popped;
    std::uint64_t last = 0;
    std::uint32_t next_id = 0;
    const auto push = [&](std::uint64_t k) {
      heap.push(k, next_id);
      pushed.emplace_back(k, next_id++);
    };
    for (int i = 0; i < 5; ++i) push(rng() % spread);
    while (!heap.empty()) {
      const auto e = heap.pop();
      CHECK(e.key >= last); // never below an earlier pop
      last = e.key;
      popped.emplace_back(e.key, e.vertex);
      if (pushed.size() < 3000)
        for (std::uint64_t j = rng() % 4; j > 0; --j) push(last + rng() % spread);
    }
    CHECK(heap.size() == 0);
    std::sort(pushed.begin(), pushed.end());
    std::sort(popped.begin(), popped.end());
    CHECK(popped == pushed); // every entry comes out once, duplicates of a key included
  }
}

TEST_CASE("indexed_dary_heap: decrease-key, one entry per vertex, pops in key order") {
  std::mt19937_64 rng(9);
  constexpr std::size_t n = 500;
  tessera::detail::indexed_dary_heap<long double, std::int32_t> heap(n);
  std::vector<long double> key(n, std::numeric_limits<long double>::infinity());
  for (int round = 0; round < 4000; ++round) {
    const auto v = static_cast<std::int32_t>(rng() % n);
    const auto k = static_cast<long double>(rng() % 100000);
    if (k < key[static_cast<std::size_t>(v)]) {
      key[static_cast<std::size_t>(v)] = k;
      heap.push_or_decrease(v, k);
    }
  }
  std::size_t present = 0;
  for (std::size_t v = 0; v < n; ++v)
    if (key[v] != std::numeric_limits<long double>::infinity()) {
      ++present;
      CHECK(heap.contains(static_cast<std::int32_t>(v)));
    }
  CHECK(heap.size() == present);
  long double last = -1;
  while (!heap.empty()) {
    const auto e = heap.pop();
    CHECK(e.key >= last);
    CHECK(e.key == key[static_cast<std::size_t>(e.vertex)]); // the latest (lowest) key
    CHECK(!heap.contains(e.vertex));
    last = e.key;
    --present;
  }
  CHECK(present == 0);
}
