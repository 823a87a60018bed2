#include <tessera/core/bitmap.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

using tessera::bitmap;
using tessera::bitmap_view;

TEST_CASE("bitmap uses Arrow bit order: bit i is bit i%8 of byte i/8") {
  bitmap b(20);
  b.set(0);
  b.set(3);
  b.set(9);
  b.set(19);
  CHECK(b.data()[0] == 0b0000'1001);
  CHECK(b.data()[1] == 0b0000'0010);
  CHECK(b.data()[2] == 0b0000'1000);
  CHECK(b.size_bytes() == 3);
  CHECK(reinterpret_cast<std::uintptr_t>(b.data()) % 64 == 0);
}

TEST_CASE("bitmap counts, sets, resets at edge sizes; bits past size stay zero") {
  for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 65u, 127u, 128u, 129u, 1000u}) {
    CAPTURE(n);
    bitmap ones(n, true);
    CHECK(ones.count() == n);
    CHECK(ones.all());
    CHECK(ones.view().count() == n);
    if (n % 64 != 0) CHECK((ones.words().back() >> (n % 64)) == 0);
    bitmap zeros(n);
    CHECK(zeros.none());
    CHECK((~zeros) == ones);
    CHECK((~ones).count() == 0);
    if (n > 0) {
      ones.reset(n - 1);
      CHECK(ones.count() == n - 1);
      CHECK_FALSE(ones[n - 1]);
      zeros.assign(n / 2, true);
      CHECK(zeros.count() == 1);
      CHECK(zeros[n / 2]);
    }
  }
}

TEST_CASE("bitmap and/or/xor/not agree with bool vectors") {
  std::mt19937_64 rng(7);
  for (std::size_t n : {1u, 63u, 64u, 65u, 200u}) {
    CAPTURE(n);
    std::vector<bool> x(n), y(n);
    bitmap a(n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = rng() & 1;
      y[i] = rng() & 1;
      a.assign(i, x[i]);
      b.assign(i, y[i]);
    }
    const bitmap band = a & b, bor = a | b, bxor = a ^ b, bnot = ~a;
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(band[i] == (x[i] && y[i]));
      REQUIRE(bor[i] == (x[i] || y[i]));
      REQUIRE(bxor[i] == (x[i] != y[i]));
      REQUIRE(bnot[i] == !x[i]);
    }
  }
}

TEST_CASE("bitmap_view counts any window of any offset") {
  std::mt19937_64 rng(11);
  bitmap b(300);
  std::vector<bool> ref(300);
  for (std::size_t i = 0; i < 300; ++i) {
    ref[i] = (rng() % 3) == 0;
    b.assign(i, ref[i]);
  }
  for (std::size_t first : {0u, 1u, 7u, 8u, 63u, 64u, 65u, 130u}) {
    for (std::size_t len : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 65u, 129u}) {
      if (first + len > 300) continue;
      CAPTURE(first);
      CAPTURE(len);
      std::size_t expected = 0;
      for (std::size_t i = first; i < first + len; ++i) expected += ref[i];
      const bitmap_view v = b.view().slice(first, len);
      CHECK(v.size() == len);
      CHECK(v.count() == expected);
      for (std::size_t i = 0; i < len; ++i) REQUIRE(v[i] == ref[first + i]);
      const bitmap copy = bitmap::copy_of(v);
      CHECK(copy.count() == expected);
    }
  }
}

TEST_CASE("bitmap push_back, resize and copies") {
  bitmap b;
  for (int i = 0; i < 130; ++i) b.push_back(i % 3 == 0);
  CHECK(b.size() == 130);
  CHECK(b.count() == 44);
  b.resize(140, true);
  CHECK(b.count() == 54);
  b.resize(65);
  CHECK(b.count() == 22);
  CHECK((b.words()[1] >> 1) == 0);
  bitmap c = b;
  c.set(1);
  CHECK(c.count() == b.count() + 1);
  c = b;
  CHECK(c == b);
  CHECK_FALSE(c == bitmap(65));
  CHECK_FALSE(c == bitmap(66));
}
