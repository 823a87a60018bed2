#include <tessera/core/aligned_buffer.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

using tessera::aligned_buffer;

namespace {
bool is_aligned(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) % 64 == 0;
}
} // namespace

TEST_CASE_TEMPLATE("aligned_buffer is aligned, zeroed and padded at every edge size", T,
                   std::uint8_t, std::int32_t, std::uint64_t, double) {
  for (std::size_t n : {0u, 1u, 7u, 8u, 15u, 16u, 17u, 63u, 64u, 65u, 1000u}) {
    CAPTURE(n);
    aligned_buffer<T> b(n);
    CHECK(b.size() == n);
    CHECK(b.empty() == (n == 0));
    if (n == 0) {
      CHECK(b.data() == nullptr);
      continue;
    }
    CHECK(is_aligned(b.data()));
    CHECK(b.allocated_bytes() % 64 == 0);
    CHECK(b.allocated_bytes() >= n * sizeof(T));
    const auto* bytes = reinterpret_cast<const unsigned char*>(b.data());
    for (std::size_t i = 0; i < b.allocated_bytes(); ++i) REQUIRE(bytes[i] == 0);
  }
}

TEST_CASE("aligned_buffer fill, copy from span, clone and move") {
  aligned_buffer<int> filled(5, 9);
  CHECK(std::vector<int>(filled.begin(), filled.end()) == std::vector<int>(5, 9));

  std::vector<int> src(100);
  std::iota(src.begin(), src.end(), 0);
  aligned_buffer<int> a{std::span<const int>(src)};
  CHECK(std::vector<int>(a.begin(), a.end()) == src);

  aligned_buffer<int> c = a.clone();
  c[0] = -1;
  CHECK(a[0] == 0);
  CHECK(c.data() != a.data());

  const int* before = a.data();
  aligned_buffer<int> m = std::move(a);
  CHECK(m.data() == before);
  CHECK(a.empty()); // NOLINT(bugprone-use-after-move): moved-from state is specified
  CHECK(a.data() == nullptr);
  a = std::move(m);
  CHECK(a.data() == before);
}

TEST_CASE("aligned_buffer grows, resizes and shrinks") {
  aligned_buffer<std::uint64_t> b;
  for (std::uint64_t i = 0; i < 1000; ++i) b.push_back(i * i);
  CHECK(b.size() == 1000);
  CHECK(is_aligned(b.data()));
  for (std::uint64_t i = 0; i < 1000; ++i) REQUIRE(b[i] == i * i);
  CHECK(b.back() == 999u * 999u);

  b.resize(10);
  CHECK(b.size() == 10);
  b.resize(20);
  for (std::size_t i = 10; i < 20; ++i) CHECK(b[i] == 0); // zeroed on growth
  b.shrink_to_fit();
  CHECK(b.capacity() == 20);
  b.reserve(100);
  CHECK(b.capacity() == 100);
  CHECK(b.size() == 20);
  CHECK(b[19] == 0);
  CHECK(b[3] == 9);
  b.clear();
  CHECK(b.empty());
  CHECK(b.capacity() == 100);
}

TEST_CASE("aligned_buffer rejects impossible sizes without allocating") {
  CHECK_THROWS_AS(aligned_buffer<double>(aligned_buffer<double>::max_size() + 1),
                  std::length_error);
  aligned_buffer<double> b;
  CHECK_THROWS_AS(b.reserve(aligned_buffer<double>::max_size() + 1), std::length_error);
  CHECK(b.empty());
}

TEST_CASE("aligned_buffer converts to spans") {
  aligned_buffer<float> b(3, 1.5f);
  std::span<const float> s = b;
  CHECK(s.size() == 3);
  CHECK(s[2] == 1.5f);
}
